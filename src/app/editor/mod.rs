//! The policy editor: a text area over one policy document (a managed policy's version, an
//! inline policy, a role's trust policy, a permissions boundary, a new policy), validated by
//! the engine on every change, with a simulate pane beside it and a save that shows the diff
//! first. Like every part of the UI it never awaits the backend: loads and saves are calls
//! whose replies come back as messages ([`on_reply`]).

pub mod analysis;
pub mod keys;
pub mod save;
pub mod simulate;
pub mod templates_ui;

use crate::commands::palette::ViewKind;
use ratatui_textarea::{CursorMove, TextArea};

use crate::app::model::detail::{Detail, RowRef, Tab};
use crate::app::model::table::Target;
use crate::app::shell::calls::Call;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::Screen;
use crate::app::shell::state::App;
use crate::iam::{EntityKind, EntityRef, PolicyVersion, is_aws_managed_arn};
use crate::policy::json::Span;
use crate::policy::validate::{PolicyType, limits};

use crate::app::shell::actions::{Outcome, not_here};
use crate::commands::{Context, EditorCommand};
use analysis::Analysis;

/// The editor room's commands.
pub fn on_command(app: &mut App, command: EditorCommand) -> Outcome {
    match command {
        EditorCommand::EditPolicy => edit_policy(app),
        EditorCommand::NewPolicy => templates_ui::pick(app).into(),
        EditorCommand::Save
        | EditorCommand::Close
        | EditorCommand::Complete
        | EditorCommand::NextFinding
        | EditorCommand::PreviousFinding
        | EditorCommand::Findings
        | EditorCommand::Format
        | EditorCommand::Simulate
        | EditorCommand::HideSimulate => not_here(format!(
            "works in the policy editor: open a policy document with `{}`",
            app.keymap
                .key_for(Context::List, EditorCommand::EditPolicy.name())
                .unwrap_or_else(|| ":policies".into())
        )),
    }
}

/// `e`: a detail's document in the editor; from the policies list, the selected policy.
fn edit_policy(app: &mut App) -> Outcome {
    if let Screen::List(l) = app.nav.current() {
        return match l.selected_row().and_then(|r| r.target.clone()) {
            Some(t) if t.view() == ViewKind::Policies => open_managed(app, &t.id).into(),
            _ => not_here(
                "edits a policy: open a user, group or role first (Enter), or use :policies",
            ),
        };
    }
    open(app).into()
}

/// What an editor reply is for: a load or a save of the editor with this generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purpose {
    pub generation: u64,
    pub step: Step,
}

/// What the editor room keeps beside the open editor.
#[derive(Default)]
pub struct State {
    /// `e` was pressed on a document still loading: where (detail generation, tab, the
    /// selected row's reference); the editor opens when the document arrives, if the
    /// selection is still there.
    pub edit_when_loaded: Option<EditWhenLoaded>,
}

/// What the document is, and so how it is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTarget {
    /// A managed policy; `version_id` is the version opened (`None` until the default is
    /// known). Saving creates a new default version.
    Managed {
        arn: String,
        version_id: Option<String>,
    },
    /// An inline policy (put on save; `new` when it does not exist yet).
    Inline {
        entity: EntityRef,
        name: String,
        new: bool,
    },
    /// A role's trust policy (UpdateAssumeRolePolicy).
    Trust { role: String },
    /// A customer managed policy to create (its name, path, description and tags; the
    /// document is the editor's text).
    NewManaged(Box<crate::iam::CreatePolicy>),
    /// A role to create: saving sends CreateRole with the document as its trust policy.
    NewRole(Box<crate::iam::CreateRole>),
    /// The assume dialog's session policy: kept back into the dialog, not sent anywhere.
    SessionPolicy,
}

/// Which call a reply belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// GetPolicy: the default version's id.
    Policy,
    /// GetPolicyVersion of the version opened.
    Document,
    /// ListPolicyVersions, for IAM's five-version limit.
    Versions,
    /// Deleting the oldest non-default version before saving.
    Prune,
    Save,
    /// A policy of the principal for the simulate pane: its default version, then its text.
    SimPolicy(String),
    SimDocument(String),
    /// The trust policy of a role (by ARN) an STS action in the simulate pane is about.
    SimTrust(String),
}

pub use crate::app::model::diff::DiffLine;

#[derive(Debug, Clone)]
pub enum Popup {
    Completion {
        replace: Span,
        items: Vec<crate::policy::complete::Candidate>,
        selected: usize,
        /// The literal has its closing quote (else inserting adds one).
        closed: bool,
    },
    Findings {
        selected: usize,
    },
    /// The change about to be saved; Enter saves.
    Diff {
        lines: Vec<DiffLine>,
        scroll: usize,
        warnings: usize,
    },
    /// Leaving with unsaved edits.
    Discard,
    /// Five versions exist: delete this one (the oldest non-default) first?
    Prune {
        version_id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Text,
    Simulate,
}

pub struct Editor {
    /// Replies for an editor closed since are dropped.
    pub generation: u64,
    pub target: EditTarget,
    pub policy_type: PolicyType,
    /// IAM's size limit for this document where it is stored.
    pub limit: usize,
    /// "inline policy `deploy` of user alice".
    pub title: String,
    pub area: TextArea<'static>,
    /// The text as stored (`None`: not saved yet, or still loading).
    pub saved: Option<String>,
    /// What is still loading before the text can be edited.
    pub loading: Option<String>,
    /// The current text and what the engine says about it.
    pub text: String,
    pub analysis: Analysis,
    pub popup: Option<Popup>,
    pub focus: Focus,
    pub simulate: simulate::Pane,
    pub show_simulate: bool,
    /// The policy's versions (managed policies).
    pub versions: Option<Vec<PolicyVersion>>,
    /// A save in flight.
    pub busy: Option<String>,
    /// The outcome of the last action; `true` for an error.
    pub message: Option<(String, bool)>,
    /// Why this document cannot be saved (an AWS managed policy).
    pub read_only: Option<String>,
    /// The theme's styles for the text area: text, line numbers, cursor.
    pub look: [ratatui::style::Style; 3],
}

impl Editor {
    fn new(
        app: &mut App,
        target: EditTarget,
        policy_type: PolicyType,
        limit: usize,
        title: String,
        text: Option<String>,
    ) -> Self {
        app.generations += 1;
        let mut e = Editor {
            generation: app.generations,
            target,
            policy_type,
            limit,
            title,
            area: TextArea::default(),
            saved: None,
            loading: None,
            text: String::new(),
            analysis: Analysis::default(),
            popup: None,
            focus: Focus::Text,
            simulate: simulate::Pane::default(),
            show_simulate: false,
            versions: None,
            busy: None,
            message: None,
            read_only: None,
            look: [
                app.theme.style("ui.text"),
                app.theme.style("ui.linenr"),
                app.theme.style("ui.cursor"),
            ],
        };
        match text {
            Some(t) => e.load_text(&t, true),
            None => e.loading = Some("loading the document…".into()),
        }
        e
    }

    /// Puts a document in the text area (IAM returns documents as stored: often one line, so
    /// they are pretty-printed for editing; the diff compares with the same form).
    pub fn load_text(&mut self, text: &str, saved: bool) {
        self.area = TextArea::new(shown_lines(text));
        self.area.set_tab_length(4);
        self.area.set_max_histories(200);
        let [text, _, cursor] = self.look;
        self.area.set_style(text);
        // No line numbers from the text area: the editor's gutter draws them (see ui/editor.rs).
        self.area.remove_line_number();
        self.area.set_cursor_style(cursor);
        self.area
            .set_cursor_line_style(ratatui::style::Style::default());
        if saved {
            self.saved = Some(self.current_text());
        }
        self.loading = None;
        self.changed();
    }

    pub fn current_text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// After every edit: re-validate, and re-run the simulation.
    pub fn changed(&mut self) {
        let text = self.current_text();
        if text != self.text || self.analysis.size == 0 {
            self.analysis = Analysis::of(&text, self.policy_type, self.limit);
            self.text = text;
        }
        self.simulate
            .refresh(self.analysis.policy.as_ref(), self.policy_type, &self.text);
    }

    pub fn modified(&self) -> bool {
        match &self.saved {
            Some(s) => *s != self.text,
            None => self.loading.is_none(),
        }
    }

    /// The cursor as (0-based line, character column).
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
    }

    pub fn jump(&mut self, line: usize, column: usize) {
        self.area.move_cursor(CursorMove::Jump(
            u16::try_from(line).unwrap_or(u16::MAX),
            u16::try_from(column).unwrap_or(u16::MAX),
        ));
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), false));
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), true));
    }
}

/// A document as the editor shows it: formatted when it parses, as lines.
fn shown_lines(text: &str) -> Vec<String> {
    let shown = crate::policy::format::format_policy(text).unwrap_or_else(|_| text.into());
    shown
        .trim_end_matches('\n')
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

/// The text the editor would show for a document, to compare with (the saved side of a diff).
pub fn shown_text(text: &str) -> String {
    shown_lines(text).join("\n")
}

/// IAM's size limit for an inline policy on this kind of entity.
fn inline_limit(kind: EntityKind) -> usize {
    match kind {
        EntityKind::User => limits::USER_INLINE,
        EntityKind::Group => limits::GROUP_INLINE,
        EntityKind::Role => limits::ROLE_INLINE,
    }
}

/// "inline policy `deploy` of user alice".
fn inline_title(entity: &EntityRef, name: &str) -> String {
    format!(
        "inline policy {name} of {} {}",
        entity.kind.as_str(),
        entity.name
    )
}

/// Issues calls for the editor of this generation.
fn issue(
    app: &mut App,
    generation: u64,
    calls: impl IntoIterator<Item = (Step, Call)>,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    for (step, call) in calls {
        effects.extend(loads::issue(app, Purpose { generation, step }, call));
    }
    effects
}

pub(crate) fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The document under the selection has not arrived yet: the editor opens when it does
/// (`loads` retries `open`), unless the user has moved on by then.
fn wait_for_document(app: &mut App, what: &str) {
    app.editor_room.edit_when_loaded = where_editing(app);
    app.set_status(format!("{what} is still loading; it opens when it arrives"));
}

/// Where `e` was pressed: the detail's generation, its tab, the selected row.
pub type EditWhenLoaded = (u64, usize, Option<crate::app::model::detail::RowRef>);

fn where_editing(app: &App) -> Option<EditWhenLoaded> {
    let Screen::Detail(d) = app.nav.current() else {
        return None;
    };
    let what = d.selected_row(app.now()).map(|r| r.what);
    Some((d.generation, d.tab, what))
}

/// A part of the detail on top arrived: opens the editor `e` asked for while it loaded.
pub fn open_when_loaded(app: &mut App) -> Vec<Effect> {
    let Some(wanted) = app.editor_room.edit_when_loaded.take() else {
        return Vec::new();
    };
    let still_there = where_editing(app) == Some(wanted);
    let busy = app.editor.is_some() || app.overlay.is_some() || app.prompt.is_some();
    if !still_there || busy {
        return Vec::new();
    }
    open(app)
}

/// `e`: the document the detail view shows, in the editor.
pub fn open(app: &mut App) -> Vec<Effect> {
    let Screen::Detail(d) = app.nav.current() else {
        app.set_error("open a policy, a role or a principal first (Enter), then e edits");
        return Vec::new();
    };
    let row = d.selected_row(app.now());
    let target = d.target.clone();
    let tab = d.tab();
    let detail = d.detail.clone();
    let what = row.as_ref().map(|r| r.what.clone());
    match (target.view(), tab, what) {
        (ViewKind::Roles, Tab::Trust, _) => {
            let role = &target.id;
            let doc = detail
                .main::<crate::iam::Role>()
                .and_then(|r| r.assume_role_policy.clone());
            let Some(doc) = doc else {
                wait_for_document(app, "the trust policy");
                return Vec::new();
            };
            let mut e = Editor::new(
                app,
                EditTarget::Trust { role: role.clone() },
                PolicyType::Trust,
                limits::TRUST,
                format!("trust policy of role {role}"),
                Some(doc),
            );
            e.simulate = simulate::Pane::for_trust(app, &detail);
            e.changed();
            finish_open(app, e)
        }
        (_, Tab::Permissions, Some(RowRef::Inline(name))) => {
            let Some(entity) = target.entity() else {
                return Vec::new();
            };
            let Some(doc) = row.and_then(|r| r.document) else {
                wait_for_document(app, "the inline policy");
                return Vec::new();
            };
            let title = inline_title(&entity, &name);
            let e = Editor::new(
                app,
                EditTarget::Inline {
                    entity: entity.clone(),
                    name: name.clone(),
                    new: false,
                },
                PolicyType::Identity,
                inline_limit(entity.kind),
                title,
                Some(doc),
            );
            with_principal(app, e, &target, &detail, Exclude::Inline(name))
        }
        (_, Tab::Permissions, Some(RowRef::Attached(arn) | RowRef::Boundary(arn))) => {
            let boundary = matches!(row.map(|r| r.what), Some(RowRef::Boundary(_)));
            let e = managed(app, &arn, None, None, boundary);
            with_principal(app, e, &target, &detail, Exclude::Managed(arn))
        }
        // A version of the Versions tab, else the default one.
        (ViewKind::Policies, tab, what) => {
            let id = match (tab, what) {
                (Tab::Versions, Some(RowRef::Version(id))) => Some(id),
                _ => detail
                    .main::<crate::iam::ManagedPolicy>()
                    .map(|p| p.default_version_id.clone()),
            };
            let doc = id
                .as_ref()
                .and_then(|id| detail.version_docs.get(id).cloned());
            let mut e = managed(app, &target.id, id, doc, false);
            e.versions = detail.versions.clone();
            finish_open(app, e)
        }
        (_, Tab::Permissions, _) => {
            app.set_error("select an inline, attached or boundary policy to edit (via-group policies are edited on the group)");
            Vec::new()
        }
        _ => {
            app.set_error("e edits a policy: a Permissions row, a role's Trust tab, or a policy");
            Vec::new()
        }
    }
}

/// `e` on a policy of the list: its default version, evaluated alone.
pub fn open_managed(app: &mut App, arn: &str) -> Vec<Effect> {
    let e = managed(app, arn, None, None, false);
    finish_open(app, e)
}

/// A managed policy's editor; the calls it still needs are issued by [`finish_open`].
fn managed(
    app: &mut App,
    arn: &str,
    version_id: Option<String>,
    doc: Option<String>,
    boundary: bool,
) -> Editor {
    let which = match &version_id {
        Some(v) => format!(" {v}"),
        None => String::new(),
    };
    let title = if boundary {
        format!("permissions boundary {}{which}", short(arn))
    } else {
        format!("managed policy {}{which}", short(arn))
    };
    let policy_type = if boundary {
        PolicyType::Boundary
    } else {
        PolicyType::Identity
    };
    let mut e = Editor::new(
        app,
        EditTarget::Managed {
            arn: arn.to_string(),
            version_id,
        },
        policy_type,
        limits::MANAGED,
        title,
        doc,
    );
    if is_aws_managed_arn(arn) {
        e.read_only = Some(
            "an AWS managed policy cannot be changed: ctrl-s saves a customer managed copy".into(),
        );
        e.message = e.read_only.clone().map(|m| (m, false));
    }
    e
}

/// Issues what a managed policy's editor still needs: the default version id, its text, the
/// list of versions.
fn finish_open(app: &mut App, e: Editor) -> Vec<Effect> {
    let generation = e.generation;
    let mut calls = Vec::new();
    if let EditTarget::Managed { arn, version_id } = &e.target {
        match version_id {
            None => calls.push((Step::Policy, Call::GetPolicy { arn: arn.clone() })),
            Some(v) if e.loading.is_some() => calls.push((
                Step::Document,
                Call::PolicyVersion {
                    arn: arn.clone(),
                    version_id: v.clone(),
                },
            )),
            Some(_) => {}
        }
        if e.versions.is_none() && !is_aws_managed_arn(arn) {
            calls.push((Step::Versions, Call::PolicyVersions { arn: arn.clone() }));
        }
    }
    calls.extend(e.simulate.calls());
    app.editor = Some(Box::new(e));
    issue(app, generation, calls)
}

/// What the simulate pane leaves out of the principal's policies: the one being edited.
pub enum Exclude {
    Inline(String),
    Managed(String),
}

fn with_principal(
    app: &mut App,
    mut e: Editor,
    target: &Target,
    detail: &Detail,
    exclude: Exclude,
) -> Vec<Effect> {
    e.simulate = simulate::Pane::for_principal(app, target, detail, &exclude);
    e.changed();
    finish_open(app, e)
}

/// A new document from a template: a customer managed policy, or an inline policy.
pub fn open_new(app: &mut App, target: EditTarget, text: &str) -> Vec<Effect> {
    let (policy_type, limit, title) = match &target {
        EditTarget::Inline { entity, name, .. } => (
            PolicyType::Identity,
            inline_limit(entity.kind),
            format!("new {}", inline_title(entity, name)),
        ),
        EditTarget::NewManaged(req) => (
            PolicyType::Identity,
            limits::MANAGED,
            format!("new managed policy {}", req.name),
        ),
        EditTarget::NewRole(req) => (
            PolicyType::Trust,
            limits::TRUST,
            format!(
                "new role {}: its trust policy (ctrl-s creates the role)",
                req.name
            ),
        ),
        EditTarget::Trust { role } => (
            PolicyType::Trust,
            limits::TRUST,
            format!("trust policy of role {role}"),
        ),
        EditTarget::Managed { arn, .. } => (
            PolicyType::Identity,
            limits::MANAGED,
            format!("managed policy {}", short(arn)),
        ),
        EditTarget::SessionPolicy => (
            PolicyType::Session,
            limits::SESSION,
            "session policy (ctrl-s keeps it for the assume)".to_string(),
        ),
    };
    let detail = app
        .nav
        .detail()
        .map(|d| (d.target.clone(), d.detail.clone()));
    let mut e = Editor::new(app, target, policy_type, limit, title, None);
    e.load_text(text, false);
    e.saved = None;
    if let (EditTarget::Inline { name, .. }, Some((t, d))) = (&e.target, &detail) {
        let name = name.clone();
        e.simulate = simulate::Pane::for_principal(app, t, d, &Exclude::Inline(name));
        e.changed();
    }
    finish_open(app, e)
}

/// What a new session policy starts from: everything the role allows (a session policy only
/// narrows), to be narrowed.
pub const SESSION_SKELETON: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;

/// The assume dialog's session policy field in the editor.
pub fn open_session_policy(app: &mut App, text: &str) -> Vec<Effect> {
    let start = if text.trim_start().starts_with('{') {
        text
    } else {
        SESSION_SKELETON
    };
    let out = open_new(app, EditTarget::SessionPolicy, start);
    if let Some(e) = app.editor.as_mut() {
        // What the field held is what "saved" means here.
        e.saved = Some(e.text.clone()).filter(|_| start == text);
    }
    out
}

/// The trust policy the simulate pane's request needs (an STS action on a role): from the
/// roles list when it holds it, else asked of the backend; the pane says it is loading until
/// the reply comes back through [`on_reply`].
pub fn request_trust(app: &mut App) -> Vec<Effect> {
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    let Some(role) = e.simulate.trust_role(e.policy_type) else {
        return Vec::new();
    };
    // Not while the role's ARN is being typed: each keystroke would be a call for a role that
    // does not exist. Leaving the field (Enter, ↓) asks.
    let typing = e.focus == Focus::Simulate && e.simulate.field == simulate::RESOURCE;
    if typing || e.simulate.trusts.contains_key(&role) {
        return Vec::new();
    }
    let roles = &app.data.roles;
    let listed = roles.items.iter().find(|r| r.arn == role);
    if let Some(doc) = listed.and_then(|r| r.assume_role_policy.clone()) {
        e.simulate.trust_loaded(&role, Ok(doc));
        e.changed();
        return Vec::new();
    }
    if listed.is_none() && roles.status == crate::app::model::data::Status::Complete {
        // Every role of the account is listed: a role typed half-way (or of another account)
        // is not asked for at each keystroke.
        e.simulate
            .trust_loaded(&role, Err("no such role in this account".into()));
        e.changed();
        return Vec::new();
    }
    e.simulate
        .trusts
        .insert(role.clone(), simulate::Trust::Loading);
    e.changed();
    let (generation, name) = (e.generation, short(&role).to_string());
    issue(
        app,
        generation,
        [(Step::SimTrust(role), Call::GetRole { name })],
    )
}

/// A reply for the editor.
pub fn on_reply(
    app: &mut App,
    generation: u64,
    step: Step,
    result: Result<crate::app::shell::calls::Reply, crate::iam::BackendError>,
) -> Vec<Effect> {
    use crate::app::shell::calls::Reply;
    let Some(e) = app.editor.as_mut().filter(|e| e.generation == generation) else {
        return Vec::new();
    };
    match (step, result) {
        (Step::Policy, Ok(Reply::Policy(p))) => {
            let version = p.default_version_id.clone();
            if let EditTarget::Managed { version_id, .. } = &mut e.target {
                *version_id = Some(version.clone());
            }
            e.title = format!("{} {version}", e.title);
            let call = Call::PolicyVersion {
                arn: p.arn,
                version_id: version,
            };
            issue(app, generation, [(Step::Document, call)])
        }
        (Step::Document, Ok(Reply::Version(v))) => {
            match v.document {
                Some(doc) => e.load_text(&doc, true),
                None => e.loading = Some("IAM returned no document".into()),
            }
            Vec::new()
        }
        (Step::Versions, Ok(Reply::Versions(v))) => {
            e.versions = Some(v);
            Vec::new()
        }
        (Step::Policy | Step::Document, Err(err)) => {
            e.loading = Some(format!(
                "cannot load the document: {}",
                crate::ui::error_text(&err)
            ));
            Vec::new()
        }
        (Step::Versions, Err(err)) => {
            tracing::warn!(%err, "cannot list the policy's versions");
            Vec::new()
        }
        (step @ (Step::SimPolicy(_) | Step::SimDocument(_)), result) => {
            let calls = e.simulate.on_reply(step, result);
            e.changed();
            issue(app, generation, calls)
        }
        (Step::SimTrust(role), result) => {
            let trust = match result {
                Ok(Reply::Role(r)) if r.arn == role => r
                    .assume_role_policy
                    .ok_or_else(|| "IAM returned no trust policy".to_string()),
                Ok(_) => Err("not a role of this account".into()),
                Err(err) => Err(crate::ui::error_text(&err)),
            };
            e.simulate.trust_loaded(&role, trust);
            e.changed();
            Vec::new()
        }
        (step @ (Step::Prune | Step::Save), result) => save::on_reply(app, step, result),
        (step, result) => {
            tracing::warn!(
                ?step,
                ok = result.is_ok(),
                "unexpected reply for the editor"
            );
            Vec::new()
        }
    }
}
