//! A customer-managed policy's versions in the console: on a row of the Versions tab, `D` makes
//! that version the default (rolling back or forward), `ctrl-d` deletes a non-default version,
//! and `=` on two versions shows the diff of their documents (unified, or side by side).
//! AWS managed policies are AWS's to change: these keys say so.

pub mod view;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::model::detail::{RowRef, Tab};
use crate::app::shell::actions::{Outcome, not_here, resolve};
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::overlay::{Overlay, Pending, TextScroll};
use crate::app::shell::state::App;
use crate::commands::palette::ViewKind;
use crate::commands::{BrowseCommand, Command, Context, ShellCommand, VersionsCommand};
use crate::iam::{BackendError, PolicyVersion, is_aws_managed_arn};

/// What a versions reply is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A version's document, wanted for a diff.
    Document { arn: String, version_id: String },
}

/// The version `=` marked, to be compared with the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub arn: String,
    pub version_id: String,
}

/// A diff asked for whose documents are still being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub arn: String,
    pub policy: String,
    /// `(version id, document once read)`: the base, then the other.
    pub sides: [(String, Option<String>); 2],
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub base: Option<Base>,
    pub waiting: Option<Waiting>,
}

/// Two versions' documents, formatted in IAM's key order, compared.
#[derive(Debug, Clone)]
pub struct DiffView {
    pub policy: String,
    /// `(version id, formatted document)`: the base (old side), then the other (new side).
    pub old: (String, String),
    pub new: (String, String),
    pub side_by_side: bool,
    pub scroll: TextScroll,
}

/// The version row selected in a managed policy's Versions tab.
struct Selected {
    arn: String,
    policy: String,
    version_id: String,
    /// The policy's versions as loaded.
    versions: Vec<PolicyVersion>,
    /// A document already loaded for a version.
    docs: std::collections::BTreeMap<String, String>,
}

impl Selected {
    fn default_version(&self) -> Option<&str> {
        self.versions
            .iter()
            .find(|v| v.is_default)
            .map(|v| v.version_id.as_str())
    }

    fn document(&self, id: &str) -> Option<String> {
        self.docs.get(id).cloned().or_else(|| {
            self.versions
                .iter()
                .find(|v| v.version_id == id)
                .and_then(|v| v.document.clone())
        })
    }
}

fn selected(app: &App) -> Option<Selected> {
    let d = app.nav.detail()?;
    let arn = d.target.is(ViewKind::Policies)?;
    if d.tab() != Tab::Versions {
        return None;
    }
    let RowRef::Version(version_id) = d.selected_row(app.now())?.what else {
        return None;
    };
    Some(Selected {
        arn: arn.to_string(),
        policy: d.target.name().to_string(),
        version_id,
        versions: d.detail.versions.clone().unwrap_or_default(),
        docs: d.detail.version_docs.clone(),
    })
}

const SELECT_A_VERSION: &str =
    "works on a version row: open a customer-managed policy (:policies, Enter), its Versions tab";

/// Why the keys that change versions do nothing to an AWS managed policy.
fn aws_managed(policy: &str) -> String {
    format!(
        "{policy} is an AWS managed policy: AWS publishes its versions, and they cannot be changed; \
         copy it into a policy of your own (N) to change it"
    )
}

/// The number of a version id (`v12` → 12), to tell older from newer.
fn number(id: &str) -> Option<u64> {
    id.strip_prefix('v')?.parse().ok()
}

/// Whether version `a` came before version `b`.
fn older(s: &Selected, a: &str, b: &str) -> bool {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x < y,
        _ => {
            let date = |id: &str| {
                s.versions
                    .iter()
                    .find(|v| v.version_id == id)
                    .map(|v| v.create_date)
            };
            date(a) < date(b)
        }
    }
}

pub fn on_command(app: &mut App, command: VersionsCommand) -> Outcome {
    match command {
        VersionsCommand::SetDefaultVersion => set_default(app),
        VersionsCommand::DiffVersions => diff(app),
    }
}

/// `D`: asks, then makes the selected version the default.
fn set_default(app: &mut App) -> Outcome {
    let Some(s) = selected(app) else {
        return not_here(format!(
            "makes a policy version the default; it {SELECT_A_VERSION}"
        ));
    };
    if is_aws_managed_arn(&s.arn) {
        app.set_error(aws_managed(&s.policy));
        return Outcome::Done(Vec::new());
    }
    let v = &s.version_id;
    let policy = &s.policy;
    let Some(current) = s.default_version().map(str::to_string) else {
        app.set_error(format!(
            "the versions of {policy} are still loading; try again"
        ));
        return Outcome::Done(Vec::new());
    };
    if current == *v {
        app.set_status(format!(
            "{v} already is the default version of {policy}: D on another version makes that one the default"
        ));
        return Outcome::Done(Vec::new());
    }
    let line = if older(&s, v, &current) {
        format!(
            "Make {v} the default version of policy {policy}? This rolls back from {current}: \
             everyone the policy is attached to gets {v}'s permissions at once. {current} is kept."
        )
    } else {
        format!(
            "Make {v} the default version of policy {policy}? It replaces {current} for \
             everyone the policy is attached to, at once. {current} is kept."
        )
    };
    app.confirm(
        "Set the default version".into(),
        line,
        Pending::new(
            format!("{v} is now the default version of {policy} (was {current})"),
            vec![Call::SetDefaultPolicyVersion {
                arn: s.arn.clone(),
                version_id: v.clone(),
            }],
        ),
    );
    Outcome::Done(Vec::new())
}

/// `ctrl-d` on a version row: `Some` when the selection is one. Deletes the version, never the
/// policy.
pub fn delete_version(app: &mut App) -> Option<Vec<Effect>> {
    let Some(s) = selected(app) else {
        // On the Versions tab, delete is about versions: with no version row (still loading),
        // it must not fall through to deleting the policy.
        let versions_tab = app
            .nav
            .detail()
            .is_some_and(|d| d.target.is(ViewKind::Policies).is_some() && d.tab() == Tab::Versions);
        if !versions_tab {
            return None;
        }
        app.set_error(
            "on the Versions tab, delete deletes the selected version: select one (the versions may \
             still be loading); the policy itself is deleted from another tab or its list",
        );
        return Some(Vec::new());
    };
    let (v, policy) = (&s.version_id, &s.policy);
    if is_aws_managed_arn(&s.arn) {
        app.set_error(aws_managed(policy));
        return Some(Vec::new());
    }
    let current = s.default_version();
    if current == Some(v.as_str()) {
        app.set_error(format!(
            "IAM refuses to delete {v}: it is the default version of {policy}. Make another \
             version the default first (D on its row), or delete the whole policy from its list"
        ));
        return Some(Vec::new());
    }
    let keeps = match current {
        Some(c) => format!("the policy and its default version {c} stay"),
        None => "the policy stays".into(),
    };
    app.confirm(
        format!("Delete version {v}"),
        format!("Delete version {v} of policy {policy}? Its document is lost for good; {keeps}."),
        Pending::new(
            format!("Deleted version {v} of {policy}"),
            vec![Call::DeletePolicyVersion {
                arn: s.arn.clone(),
                version_id: v.clone(),
            }],
        ),
    );
    Some(Vec::new())
}

/// Esc with a diff base marked forgets it (`true`), instead of leaving the view.
pub fn forget_base(app: &mut App) -> bool {
    let Some(base) = app.versions.base.take() else {
        return false;
    };
    // Marked in another policy's view: forgotten without a word, and Esc does what it does.
    let here = app
        .nav
        .detail()
        .and_then(|d| d.target.is(ViewKind::Policies));
    if here != Some(base.arn.as_str()) {
        return false;
    }
    app.set_status(format!(
        "forgot {}: = marks a version to compare",
        base.version_id
    ));
    true
}

/// The Versions tab's rows with the version `=` marked said so.
pub fn mark_base(
    app: &App,
    view: &crate::app::shell::nav::DetailView,
    mut rows: Vec<crate::app::model::detail::DetailRow>,
) -> Vec<crate::app::model::detail::DetailRow> {
    let Some(base) = &app.versions.base else {
        return rows;
    };
    if view.tab() != Tab::Versions || view.target.is(ViewKind::Policies) != Some(&base.arn) {
        return rows;
    }
    for r in &mut rows {
        if r.what == RowRef::Version(base.version_id.clone()) {
            r.cells.push("= compare with…".into());
        }
    }
    rows
}

/// `=`: marks the base, or compares the base with the selected version.
fn diff(app: &mut App) -> Outcome {
    let Some(s) = selected(app) else {
        return not_here(format!(
            "compares two policy versions; it {SELECT_A_VERSION}"
        ));
    };
    let v = s.version_id.clone();
    let base = app.versions.base.clone().filter(|b| b.arn == s.arn);
    let Some(base) = base else {
        app.versions.base = Some(Base {
            arn: s.arn.clone(),
            version_id: v.clone(),
        });
        app.set_status(format!(
            "compare {v} with… select another version and press = again (Esc forgets)"
        ));
        return Outcome::Done(Vec::new());
    };
    if base.version_id == v {
        app.set_status(format!(
            "{v} is the version to compare with: select another version and press = (Esc forgets)"
        ));
        return Outcome::Done(Vec::new());
    }
    app.versions.base = None;
    let sides = [base.version_id.clone(), v].map(|id| {
        let doc = s.document(&id);
        (id, doc)
    });
    let missing: Vec<String> = sides
        .iter()
        .filter(|(_, d)| d.is_none())
        .map(|(id, _)| id.clone())
        .collect();
    app.versions.waiting = Some(Waiting {
        arn: s.arn.clone(),
        policy: s.policy.clone(),
        sides,
    });
    if missing.is_empty() {
        open_if_ready(app);
        return Outcome::Done(Vec::new());
    }
    app.set_status(format!("reading {}…", missing.join(" and ")));
    let arn = s.arn;
    loads::issue_all(
        app,
        missing.into_iter().map(|version_id| {
            (
                Purpose::Document {
                    arn: arn.clone(),
                    version_id: version_id.clone(),
                },
                Call::PolicyVersion {
                    arn: arn.clone(),
                    version_id,
                },
            )
        }),
    )
    .into()
}

/// A document as the diff compares it: formatted in IAM's key order (as is, if it does not
/// parse).
fn formatted(doc: &str) -> String {
    crate::policy::format::format_policy(doc).unwrap_or_else(|_| doc.to_string())
}

/// Opens the diff once both documents are known.
fn open_if_ready(app: &mut App) {
    let Some(w) = &app.versions.waiting else {
        return;
    };
    let [(a, Some(da)), (b, Some(db))] = &w.sides else {
        return;
    };
    let view = DiffView {
        policy: w.policy.clone(),
        old: (a.clone(), formatted(da)),
        new: (b.clone(), formatted(db)),
        side_by_side: false,
        scroll: TextScroll::wrapped(),
    };
    app.versions.waiting = None;
    app.status = None;
    app.overlay = Some(Overlay::VersionDiff(Box::new(view)));
}

pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    let Purpose::Document { arn, version_id } = purpose;
    let doc = match result {
        Ok(Reply::Version(v)) => v.document,
        Ok(_) => None,
        Err(e) => {
            if app.versions.waiting.as_ref().is_some_and(|w| w.arn == arn) {
                app.versions.waiting = None;
                app.set_error(format!(
                    "cannot compare: reading {version_id} failed: {}",
                    crate::ui::error_text(&e)
                ));
            }
            return Vec::new();
        }
    };
    let Some(doc) = doc else {
        app.versions.waiting = None;
        app.set_error(format!(
            "cannot compare: {version_id} came back without a document"
        ));
        return Vec::new();
    };
    // The detail shows it too, once read.
    if let crate::app::shell::nav::Screen::Detail(d) = app.nav.current_mut()
        && d.target.is(ViewKind::Policies) == Some(arn.as_str())
    {
        d.detail
            .version_docs
            .entry(version_id.clone())
            .or_insert_with(|| doc.clone());
    }
    if let Some(w) = &mut app.versions.waiting
        && w.arn == arn
    {
        for (id, slot) in &mut w.sides {
            if *id == version_id {
                *slot = Some(doc.clone());
            }
        }
    }
    open_if_ready(app);
    Vec::new()
}

/// Keys over the diff: `s` switches unified / side by side; the moving keys scroll; Esc closes.
pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    use BrowseCommand::{Bottom, Down, PageDown, PageUp, Top, Up};
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if plain && key.code == KeyCode::Char('s') {
        if let Some(Overlay::VersionDiff(d)) = &mut app.overlay {
            d.side_by_side = !d.side_by_side;
            d.scroll.home();
        }
        return Vec::new();
    }
    let resolved = resolve(app, &[Context::List, Context::Global], key);
    let Some(Overlay::VersionDiff(d)) = &mut app.overlay else {
        return Vec::new();
    };
    let scroll = &d.scroll;
    match resolved {
        Some((Command::Shell(ShellCommand::Back | ShellCommand::Help | ShellCommand::Quit), _)) => {
            app.overlay = None
        }
        Some((Command::Browse(Up), _)) => scroll.by(-1),
        Some((Command::Browse(Down), _)) => scroll.by(1),
        Some((Command::Browse(PageUp), _)) => scroll.pages(-1),
        Some((Command::Browse(PageDown), _)) => scroll.pages(1),
        Some((Command::Browse(Top), _)) => scroll.home(),
        Some((Command::Browse(Bottom), _)) => scroll.end(),
        Some((_, keys)) => app.set_error(format!(
            "`{keys}` does not work over the diff: s switches the layout, Esc closes it"
        )),
        None => {}
    }
    Vec::new()
}

#[cfg(test)]
mod tests;
