//! Bulk actions: while rows of a list are marked (see `browse::marks`), `edit_tags`,
//! `attach_policy`, `detach_policy`, `add_member` and `delete` act on every marked row instead
//! of the selection. One dialog asks what to do (the tags, or a policy or group from a
//! picker), lists each row with the IAM call it gets, and runs the batch one call at a time
//! after a single confirmation (a delete asks for `delete N` to be typed). Each row's result
//! (✓, ✗ with IAM's message, or skipped) stays in the dialog, scrollable, and the account is
//! reloaded at the end. A row IAM refuses does not stop the others.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::app::model::table::Target;
use crate::app::shell::actions::{Outcome, dialog_action, edit_input, not_here};
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::intent::Intent;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::Screen;
use crate::app::shell::overlay::{Input, Overlay, PickFor, TextScroll};
use crate::app::shell::state::App;
use crate::commands::palette::ViewKind;
use crate::commands::{BrowseCommand, PromptCommand};
use crate::iam::{BackendError, EntityKind, EntityRef, TagTarget};

/// What a bulk reply is for: a row of batch `batch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Reading whether the policy to detach is attached to the row.
    Check { batch: u64, index: usize },
    /// A call of the row's job.
    Step { batch: u64, index: usize },
}

/// The action applied to the marked rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Tags,
    Attach,
    Detach,
    AddMember,
    Delete,
}

/// A picker's choice for the marked rows (a policy to attach or detach, a group to join).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub action: Action,
    pub rows: Vec<Target>,
}

/// One marked row and what is done to it.
#[derive(Debug, Clone)]
pub struct Job {
    /// `user alice`.
    pub label: String,
    pub target: Target,
    /// The calls, in order (tags: set, then remove).
    pub calls: Vec<Call>,
    /// Calls done so far.
    pub done: usize,
    /// Why the row gets no call.
    pub skip: Option<String>,
    /// After it ran: `Ok` or IAM's message.
    pub result: Option<Result<(), String>>,
}

impl Job {
    fn new(target: &Target, calls: Vec<Call>) -> Job {
        Job {
            label: target.label(),
            target: target.clone(),
            calls,
            done: 0,
            skip: None,
            result: None,
        }
    }

    fn skipped(target: &Target, why: impl Into<String>) -> Job {
        Job {
            skip: Some(why.into()),
            ..Job::new(target, Vec::new())
        }
    }

    fn runs(&self) -> bool {
        self.skip.is_none() && !self.calls.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Typing the tags.
    Tags,
    /// Reading each row's attached policies.
    Checking,
    /// The rows and their calls, waiting for the go-ahead.
    Confirm,
    Running,
    Done,
}

#[derive(Debug, Clone)]
pub struct BulkDialog {
    pub title: String,
    pub action: Action,
    pub stage: Stage,
    /// The marked rows (tags and detach build their jobs from these).
    pub rows: Vec<Target>,
    pub jobs: Vec<Job>,
    /// The tags typed, or the delete confirmation.
    pub input: Input,
    /// What to type to delete (`delete 3`).
    pub expect: Option<String>,
    pub error: Option<String>,
    pub scroll: TextScroll,
    pub batch: u64,
    /// The policy being detached.
    pub policy: Option<String>,
    /// The job in flight (or being checked).
    pub current: usize,
}

impl BulkDialog {
    fn new(app: &mut App, title: String, action: Action, rows: Vec<Target>) -> BulkDialog {
        app.generations += 1;
        BulkDialog {
            title,
            action,
            stage: Stage::Confirm,
            rows,
            jobs: Vec::new(),
            input: Input::default(),
            expect: None,
            error: None,
            scroll: TextScroll::wrapped(),
            batch: app.generations,
            policy: None,
            current: 0,
        }
    }

    /// The text the dialog shows, a line each.
    pub fn lines(&self) -> Vec<(String, &'static str)> {
        let n = self.rows.len();
        let mut out = Vec::new();
        match self.stage {
            Stage::Tags => {
                out.push((
                    format!("Tags for the {n} marked rows: key=value sets a tag (adds or updates it), -key removes one; the rows' other tags stay."),
                    "ui.text",
                ));
                out.extend(
                    self.rows
                        .iter()
                        .map(|t| (format!("  {}", t.label()), "ui.text.dim")),
                );
            }
            Stage::Checking => {
                out.push((
                    format!(
                        "checking which rows have it attached… {}/{n}",
                        self.current.min(n)
                    ),
                    "ui.text.dim",
                ));
            }
            Stage::Confirm | Stage::Running | Stage::Done => {
                let runs = self.jobs.iter().filter(|j| j.runs()).count();
                if self.stage == Stage::Confirm {
                    out.push((
                        format!("{runs} of the {n} marked rows get these calls, one at a time:"),
                        "ui.text",
                    ));
                } else {
                    let done = self.jobs.iter().filter(|j| j.result.is_some()).count();
                    let failed = self
                        .jobs
                        .iter()
                        .filter(|j| matches!(j.result, Some(Err(_))))
                        .count();
                    let state = if self.stage == Stage::Done {
                        "done"
                    } else {
                        "running"
                    };
                    out.push((
                        format!(
                            "{state}: {done}/{runs} rows, {} ✓, {failed} ✗",
                            done - failed
                        ),
                        if failed > 0 { "status.warn" } else { "ui.text" },
                    ));
                }
                for j in &self.jobs {
                    let calls = j.calls.iter().map(describe).collect::<Vec<_>>().join("; ");
                    let (mark, scope, tail) = match (&j.skip, &j.result) {
                        (Some(why), _) => ("–", "ui.text.dim", format!("skipped: {why}")),
                        (None, Some(Ok(()))) => ("✓", "status.ok", calls),
                        (None, Some(Err(e))) => ("✗", "status.bad", format!("{calls}: {e}")),
                        (None, None) => (" ", "ui.text", calls),
                    };
                    out.push((format!("{mark} {}: {tail}", j.label), scope));
                }
            }
        }
        out
    }

    /// The input line's label, when the stage takes typing.
    pub fn input_label(&self) -> Option<&'static str> {
        match self.stage {
            Stage::Tags => Some("tags> "),
            Stage::Confirm if self.expect.is_some() && self.runs() => Some("> "),
            _ => None,
        }
    }

    fn runs(&self) -> bool {
        self.jobs.iter().any(Job::runs)
    }

    /// What the keys do now.
    pub fn footer(&self) -> String {
        match self.stage {
            Stage::Tags => "Enter: the calls for each row · Esc cancels".into(),
            Stage::Checking => "Esc cancels".into(),
            Stage::Confirm if !self.runs() => "nothing to do · Esc closes".into(),
            Stage::Confirm => match &self.expect {
                Some(e) => format!("type `{e}` and press Enter to go ahead · Esc cancels"),
                None => "Enter or y runs them · ↑↓ scroll · Esc cancels".into(),
            },
            Stage::Running => "Esc stops after the call in flight".into(),
            Stage::Done => "↑↓ PgUp PgDn scroll · Esc or Enter closes".into(),
        }
    }
}

/// The IAM call, in words: `TagUser team=blue`, `AttachRolePolicy ReadOnlyAccess`.
pub fn describe(call: &Call) -> String {
    let tag_kind = |t: &TagTarget| match t {
        TagTarget::User(_) => "User",
        TagTarget::Role(_) => "Role",
        TagTarget::Policy(_) => "Policy",
        TagTarget::MfaDevice(_) => "MFADevice",
        TagTarget::OidcProvider(_) => "OpenIDConnectProvider",
        TagTarget::SamlProvider(_) => "SAMLProvider",
        TagTarget::InstanceProfile(_) => "InstanceProfile",
    };
    let short = |arn: &str| arn.rsplit('/').next().unwrap_or(arn).to_string();
    let kind = |e: &EntityRef| match e.kind {
        EntityKind::User => "User",
        EntityKind::Group => "Group",
        EntityKind::Role => "Role",
    };
    match call {
        Call::Tag { target, tags } => {
            let words: Vec<String> = tags
                .iter()
                .map(|t| format!("{}={}", t.key, t.value))
                .collect();
            format!("Tag{} {}", tag_kind(target), words.join(" "))
        }
        Call::Untag { target, keys } => format!("Untag{} {}", tag_kind(target), keys.join(" ")),
        Call::Attach { entity, arn } => format!("Attach{}Policy {}", kind(entity), short(arn)),
        Call::Detach { entity, arn } => format!("Detach{}Policy {}", kind(entity), short(arn)),
        Call::AddMember { group, .. } => format!("AddUserToGroup {group}"),
        other => other.label().to_string(),
    }
}

/// The marked rows of the list on top that are resources of its kind (an access-key list's
/// rows stand for their users: they take no bulk action).
fn marked(app: &App) -> Option<(ViewKind, Vec<Target>)> {
    let Screen::List(l) = app.nav.current() else {
        return None;
    };
    let rows: Vec<Target> = l
        .marked_rows()
        .into_iter()
        .filter_map(|r| r.target.clone())
        .filter(|t| t.view() == l.kind)
        .collect();
    (!rows.is_empty()).then_some((l.kind, rows))
}

/// A browse command given while rows are marked: the bulk version of it, or `None` (no marks,
/// or a command that has none: it acts on the selection as usual).
pub fn on_command(app: &mut App, command: BrowseCommand) -> Option<Outcome> {
    let action = match command {
        BrowseCommand::EditTags => Action::Tags,
        BrowseCommand::AttachPolicy => Action::Attach,
        BrowseCommand::DetachPolicy => Action::Detach,
        BrowseCommand::AddMember => Action::AddMember,
        BrowseCommand::Delete => Action::Delete,
        _ => return None,
    };
    let (kind, rows) = marked(app)?;
    let n = rows.len();
    Some(match action {
        Action::Tags => {
            // Rows that cannot be tagged (an AWS managed policy) are listed as skipped; when
            // none can, it says why.
            if let Some(why) = rows
                .iter()
                .map(|t| (t.kind.tags)(&t.id).err())
                .reduce(|a, b| a.and(b))
                .flatten()
            {
                return Some(not_here(format!(
                    "edits the tags of the marked rows: {why}"
                )));
            }
            let mut d = BulkDialog::new(
                app,
                format!("Tags of {n} marked {}", kind.title().to_lowercase()),
                action,
                rows,
            );
            d.stage = Stage::Tags;
            app.overlay = Some(Overlay::Bulk(Box::new(d)));
            Outcome::Done(Vec::new())
        }
        Action::Attach | Action::Detach => {
            if rows.iter().any(|t| t.entity().is_none()) {
                return Some(not_here(
                    "attaches or detaches a policy on marked users, groups or roles: these are none",
                ));
            }
            app.ask(Intent::EnsureKind(ViewKind::Policies));
            let verb = if action == Action::Attach {
                "Attach a policy to"
            } else {
                "Detach a policy from"
            };
            let title = format!("{verb} {n} marked {}", kind.title().to_lowercase());
            app.overlay = Some(Overlay::picker(
                title,
                PickFor::Bulk(Picked { action, rows }),
            ));
            Outcome::Done(Vec::new())
        }
        Action::AddMember => {
            if kind != ViewKind::Users {
                return Some(not_here(
                    "adds the marked users to a group: mark users in :users (a group's members are added from its detail)",
                ));
            }
            app.ask(Intent::EnsureKind(ViewKind::Groups));
            let title = format!("Add {n} marked users to a group");
            app.overlay = Some(Overlay::picker(
                title,
                PickFor::Bulk(Picked { action, rows }),
            ));
            Outcome::Done(Vec::new())
        }
        Action::Delete => {
            let mut d = BulkDialog::new(
                app,
                format!("Delete {n} marked {}", kind.title().to_lowercase()),
                action,
                rows.clone(),
            );
            d.jobs = rows
                .iter()
                .map(|t| match (t.kind.delete)(&t.id) {
                    Ok(call) => Job::new(t, vec![call]),
                    Err(why) => Job::skipped(t, why),
                })
                .collect();
            let runs = d.jobs.iter().filter(|j| j.runs()).count();
            d.expect = Some(format!("delete {runs}"));
            d.stage = Stage::Confirm;
            app.overlay = Some(Overlay::Bulk(Box::new(d)));
            Outcome::Done(Vec::new())
        }
    })
}

/// What the picker offers for a bulk action.
pub fn picker_items(app: &App, picked: &Picked) -> Vec<(String, String)> {
    match picked.action {
        Action::AddMember => app.data.group_choices(),
        _ => app.data.policy_choices(),
    }
}

/// The picker chose `value` (a policy ARN, a group name) for the marked rows: the calls are
/// listed for confirmation (a detach first reads which rows have the policy attached).
pub fn picked(app: &mut App, picked: Picked, value: String) -> Vec<Effect> {
    let n = picked.rows.len();
    let short = value.rsplit('/').next().unwrap_or(&value).to_string();
    let title = match picked.action {
        Action::Attach => format!("Attach {short} to {n} marked rows"),
        Action::Detach => format!("Detach {short} from {n} marked rows"),
        _ => format!("Add {n} marked users to group {short}"),
    };
    let mut d = BulkDialog::new(app, title, picked.action, picked.rows);
    let job = |t: &Target| -> Job {
        let Some(entity) = t.entity() else {
            return Job::skipped(t, "not a user, group or role");
        };
        match picked.action {
            Action::Attach => Job::new(
                t,
                vec![Call::Attach {
                    entity,
                    arn: value.clone(),
                }],
            ),
            _ => Job::new(
                t,
                vec![Call::AddMember {
                    group: value.clone(),
                    user: entity.name,
                }],
            ),
        }
    };
    if picked.action == Action::Detach {
        d.policy = Some(value);
        d.stage = Stage::Checking;
        app.overlay = Some(Overlay::Bulk(Box::new(d)));
        return check_next(app);
    }
    d.jobs = d.rows.iter().map(job).collect();
    app.overlay = Some(Overlay::Bulk(Box::new(d)));
    Vec::new()
}

fn dialog(app: &mut App, batch: Option<u64>) -> Option<&mut BulkDialog> {
    match &mut app.overlay {
        Some(Overlay::Bulk(d)) if batch.is_none_or(|b| d.batch == b) => Some(d),
        _ => None,
    }
}

/// Reads the attached policies of the next row to check, or moves on to the confirmation.
fn check_next(app: &mut App) -> Vec<Effect> {
    let Some(d) = dialog(app, None) else {
        return Vec::new();
    };
    let index = d.jobs.len();
    d.current = index;
    let Some(target) = d.rows.get(index).cloned() else {
        d.stage = Stage::Confirm;
        return Vec::new();
    };
    let batch = d.batch;
    match target.entity() {
        Some(entity) => loads::issue(
            app,
            Purpose::Check { batch, index },
            Call::Attached { entity },
        ),
        None => {
            d.jobs
                .push(Job::skipped(&target, "not a user, group or role"));
            check_next(app)
        }
    }
}

/// Starts the batch: the first row's first call.
fn start(app: &mut App) -> Vec<Effect> {
    if app.read_only() {
        let why = app.read_only_reason();
        if let Some(d) = dialog(app, None) {
            d.error = Some(format!("refused: {why}; no change was made"));
        }
        return Vec::new();
    }
    let Some(d) = dialog(app, None) else {
        return Vec::new();
    };
    d.stage = Stage::Running;
    d.current = 0;
    d.input = Input::default();
    d.error = None;
    next_job(app)
}

/// Issues the next call of the batch, or finishes it.
fn next_job(app: &mut App) -> Vec<Effect> {
    let Some(d) = dialog(app, None) else {
        return Vec::new();
    };
    while let Some(j) = d.jobs.get(d.current) {
        if j.runs() && j.result.is_none() {
            break;
        }
        d.current += 1;
    }
    let (batch, index) = (d.batch, d.current);
    let Some(j) = d.jobs.get(index) else {
        d.stage = Stage::Done;
        let failed = d
            .jobs
            .iter()
            .filter(|j| matches!(j.result, Some(Err(_))))
            .count();
        let done = d
            .jobs
            .iter()
            .filter(|j| matches!(j.result, Some(Ok(()))))
            .count();
        let title = d.title.clone();
        if failed > 0 {
            app.set_error(format!(
                "{title}: {done} done, {failed} refused (listed in the dialog)"
            ));
        } else {
            app.set_status(format!("{title}: {done} done"));
        }
        return loads::reload(app);
    };
    let call = j.calls[j.done].clone();
    loads::issue(app, Purpose::Step { batch, index }, call)
}

pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    match purpose {
        Purpose::Check { batch, index } => {
            let Some(d) = dialog(app, Some(batch)) else {
                return Vec::new();
            };
            if d.stage != Stage::Checking || d.jobs.len() != index {
                return Vec::new();
            }
            let target = d.rows[index].clone();
            let arn = d.policy.clone().unwrap_or_default();
            d.jobs.push(match result {
                Ok(Reply::Attached(list)) if list.iter().any(|p| p.arn == arn) => {
                    let entity = target.entity().expect("checked rows are entities");
                    Job::new(&target, vec![Call::Detach { entity, arn }])
                }
                Ok(_) => Job::skipped(&target, "the policy is not attached to it"),
                Err(e) => Job::skipped(
                    &target,
                    format!(
                        "cannot tell whether it is attached: {}",
                        crate::ui::error_text(&e)
                    ),
                ),
            });
            check_next(app)
        }
        Purpose::Step { batch, index } => {
            let Some(d) = dialog(app, Some(batch)) else {
                // Closed while running: the rest is not sent.
                return loads::reload(app);
            };
            let Some(j) = d.jobs.get_mut(index) else {
                return Vec::new();
            };
            match result {
                Ok(_) => {
                    j.done += 1;
                    if j.done == j.calls.len() {
                        j.result = Some(Ok(()));
                    }
                }
                Err(e) => j.result = Some(Err(crate::ui::error_text(&e))),
            }
            next_job(app)
        }
    }
}

/// The tags typed: each row's calls, or the error under the text (which stays).
fn submit_tags(app: &mut App) {
    let Some(d) = dialog(app, None) else { return };
    let text = d.input.text.trim().to_string();
    let mut jobs = Vec::new();
    for t in &d.rows {
        let target = match (t.kind.tags)(&t.id) {
            Ok(target) => target,
            Err(why) => {
                jobs.push(Job::skipped(t, why));
                continue;
            }
        };
        match crate::app::model::tags::bulk_tag_calls(&target, &text) {
            Ok(calls) => jobs.push(Job::new(t, calls)),
            Err(e) => {
                d.error = Some(e);
                return;
            }
        }
    }
    d.jobs = jobs;
    d.error = None;
    d.stage = Stage::Confirm;
    d.scroll.home();
}

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = dialog_action(app, key);
    let Some(d) = dialog(app, None) else {
        return Vec::new();
    };
    if action == Some(PromptCommand::Cancel) {
        let running = d.stage == Stage::Running;
        app.overlay = None;
        if running {
            app.set_status("bulk action stopped: the rows not yet reached were left as they were");
        }
        return Vec::new();
    }
    match key.code {
        KeyCode::Up => return scroll(d, -1),
        KeyCode::Down => return scroll(d, 1),
        KeyCode::PageUp => return scroll_pages(d, -1),
        KeyCode::PageDown => return scroll_pages(d, 1),
        _ => {}
    }
    match d.stage {
        Stage::Tags => {
            if action == Some(PromptCommand::Confirm) {
                submit_tags(app);
            } else if edit_input(&mut d.input, key) {
                d.error = None;
            }
            Vec::new()
        }
        Stage::Checking | Stage::Running => Vec::new(),
        Stage::Done => {
            if action == Some(PromptCommand::Confirm) {
                app.overlay = None;
            }
            Vec::new()
        }
        Stage::Confirm if !d.runs() => Vec::new(),
        Stage::Confirm => match (&d.expect, action) {
            (Some(expect), Some(PromptCommand::Confirm)) => {
                if d.input.text.trim() == expect {
                    start(app)
                } else {
                    d.error = Some(format!("that is not `{expect}`"));
                    Vec::new()
                }
            }
            (Some(_), _) => {
                if edit_input(&mut d.input, key) {
                    d.error = None;
                }
                Vec::new()
            }
            (None, Some(PromptCommand::Confirm)) => start(app),
            (None, _) => match key.code {
                KeyCode::Char('y' | 'Y') => start(app),
                KeyCode::Char('n' | 'N') => {
                    app.overlay = None;
                    Vec::new()
                }
                _ => Vec::new(),
            },
        },
    }
}

fn scroll(d: &BulkDialog, by: isize) -> Vec<Effect> {
    d.scroll.by(by);
    Vec::new()
}

fn scroll_pages(d: &BulkDialog, by: isize) -> Vec<Effect> {
    d.scroll.pages(by);
    Vec::new()
}

#[cfg(test)]
mod tests;
