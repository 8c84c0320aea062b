//! Assuming roles in the console: a dialog that predicts the trust policy's answer before STS
//! is called, an identity stack (the whole console works as the role until you return), one MFA
//! session serving many assumes, the roles assumed lately, and the credentials handed on.

use crate::commands::palette::ViewKind;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::app::Load;
use crate::app::shell::actions::{Field, Outcome, field_key, write_profile};
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::intent::Intent;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::overlay::{Input, Overlay, PickFor};
use crate::app::shell::state::App;
use crate::commands::AssumeCommand;
use crate::commands::PromptCommand;
use crate::credentials::assume::{
    Caller, Prediction, SessionPolicy, default_session_name, predict, session_policy,
};
use crate::credentials::export::{Shell, shell_lines};
use crate::iam::{AssumeRoleRequest, Backend, BackendError, Credentials, Identity, Tag};

/// The assume room's commands.
pub fn on_command(app: &mut App, command: AssumeCommand) -> Outcome {
    match command {
        AssumeCommand::AssumeRole => open(app, None),
        AssumeCommand::ReturnIdentity => return_identity(app),
        AssumeCommand::ExportCredentials => export(app),
    }
    .into()
}

/// What an assume reply is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// The trust policy of the role the assume dialog is for.
    AssumeTrust,
    /// The caller's MFA device, to get an MFA session with the code typed.
    AssumeMfaDevice,
    MfaSession,
    Assumed,
}

/// The session policy the editor kept goes into the dialog's field.
pub fn keep_session_policy(app: &mut App, text: &str) {
    if let Some(Overlay::Assume(d)) = &mut app.overlay {
        d.fields[SESSION_POLICY] = Input::with(text);
        d.focus = SESSION_POLICY;
        d.error = None;
    }
}

/// What the assume room keeps between dialogs.
#[derive(Default)]
pub struct State {
    /// The assumed-role session the console works as (`None`: the starting identity).
    pub session: Option<Session>,
    /// The identities below the current one (role chaining), most recent last.
    pub identities: Vec<Frame>,
    /// An MFA session (GetSessionToken) that assumes roles without asking for a code again,
    /// until it expires.
    pub mfa_session: Option<(Arc<dyn Backend>, DateTime<Utc>)>,
    pub pending_assume: Option<crate::iam::AssumeRoleRequest>,
    pub pending_code: Option<String>,
    /// Roles assumed lately (`:ctx`), most recent first, and where they are kept.
    pub recent_roles: Vec<String>,
    pub recent_roles_file: Option<std::path::PathBuf>,
    /// The MFA device a start-up profile names (`mfa_serial`).
    pub startup_mfa_serial: Option<String>,
    /// A role the start-up profile assumes with MFA: the dialog opens once connected, with
    /// the profile's other settings (external_id, duration_seconds, role_session_name).
    pub startup_assume: Option<String>,
    pub startup_fields: Vec<(usize, String)>,
}

/// One identity of the stack: what the console worked as before a role was assumed.
#[derive(Clone)]
pub struct Frame {
    pub backend: Arc<dyn Backend>,
    pub identity: Option<Identity>,
    pub session: Option<Session>,
}

/// The temporary credentials the console works with (an assumed role).
#[derive(Debug, Clone)]
pub struct Session {
    pub arn: String,
    pub role_arn: String,
    pub credentials: Credentials,
    pub expiration: Option<DateTime<Utc>>,
}

/// The fields of the dialog, in Tab order.
pub const FIELDS: [&str; 8] = [
    "session name",
    "duration (s)",
    "external id",
    "MFA code",
    "MFA serial",
    "source identity",
    "session tags (k=v …)",
    "session policy",
];
pub const SESSION_NAME: usize = 0;
pub const DURATION: usize = 1;
pub const EXTERNAL_ID: usize = 2;
pub const MFA_CODE: usize = 3;
pub const MFA_SERIAL: usize = 4;
pub const SOURCE_IDENTITY: usize = 5;
pub const SESSION_TAGS: usize = 6;
/// JSON, `@FILE`, or managed policy ARNs.
pub const SESSION_POLICY: usize = 7;

#[derive(Debug, Clone)]
pub struct AssumeDialog {
    pub role_arn: String,
    /// The trust policy, once known (from the roles list or GetRole).
    pub trust: Option<String>,
    pub max_session: i32,
    pub fields: Vec<Input>,
    /// The fields as the dialog opened with them: a field that differs was typed in.
    pub opened: Vec<String>,
    pub focus: usize,
    pub busy: bool,
    pub error: Option<String>,
}

impl AssumeDialog {
    pub fn field(&self, i: usize) -> &str {
        self.fields[i].text.trim()
    }

    /// The user changed this field.
    pub fn edited(&self, i: usize) -> bool {
        self.fields[i].text != self.opened[i]
    }

    /// What the keys do now.
    pub fn footer(&self) -> &'static str {
        if self.busy {
            "assuming… Esc closes"
        } else {
            "Enter assumes · Tab/↓ next field · Shift-Tab/↑ previous · Esc cancels"
        }
    }
}

/// The trust policy wants an MFA code the dialog does not have yet.
pub fn needs_code(app: &App, d: &AssumeDialog) -> bool {
    matches!(
        prediction(app, d),
        Some(Prediction::NeedsMfa { .. } | Prediction::NeedsMfaAndExternalId { .. })
    )
}

/// When the prediction (which may arrive after the dialog opened) says the role needs MFA,
/// the code is what comes next: the focus moves to it. Only a field the user already typed
/// in keeps the focus, so no keystroke lands somewhere it was not aimed at; the dialog then
/// says where the code goes.
fn focus_code_if_needed(app: &mut App) {
    let needed = match &app.overlay {
        Some(Overlay::Assume(d)) => needs_code(app, d),
        _ => false,
    };
    if let Some(Overlay::Assume(d)) = &mut app.overlay
        && needed
        && !d.busy
        && !d.edited(d.focus)
    {
        d.focus = MFA_CODE;
    }
}

/// The caller as the trust policy will see it.
fn caller(app: &App, mfa: bool, external_id: Option<String>) -> Option<Caller> {
    let Load::Loaded(id) = app.identity.state() else {
        return None;
    };
    // A role session's aws:PrincipalArn is its role's ARN.
    let principal_arn = match &app.assume.session {
        Some(s) => s.role_arn.clone(),
        None => id.arn.clone(),
    };
    Some(Caller {
        arn: id.arn.clone(),
        account: id.account.clone(),
        principal_arn,
        mfa,
        external_id,
        source_identity: None,
    })
}

pub fn prediction(app: &App, d: &AssumeDialog) -> Option<Prediction> {
    let trust = d.trust.as_deref()?;
    let mfa = !d.field(MFA_CODE).is_empty() || app.assume.mfa_session.is_some();
    let x = Some(d.field(EXTERNAL_ID).to_string()).filter(|x| !x.is_empty());
    Some(predict(trust, &d.role_arn, &caller(app, mfa, x)?))
}

fn role_for(app: &App, name_or_arn: &str) -> (String, Option<String>, i32) {
    // The roles list, then the role whose detail is open.
    let open = app
        .nav
        .detail()
        .and_then(|d| d.detail.main::<crate::iam::Role>());
    let mut roles = app.data.roles.items.iter().chain(open);
    if let Some(r) = roles.find(|r| r.arn == name_or_arn || r.name == name_or_arn) {
        return (
            r.arn.clone(),
            r.assume_role_policy.clone(),
            r.max_session_duration,
        );
    }
    let arn = if name_or_arn.starts_with("arn:") {
        name_or_arn.to_string()
    } else {
        let account = match app.identity.state() {
            Load::Loaded(id) => id.account.clone(),
            _ => String::new(),
        };
        format!("arn:aws:iam::{account}:role/{name_or_arn}")
    };
    (arn, None, 3600)
}

/// Opens the dialog for a role (the selected one when `role` is `None`).
pub fn open(app: &mut App, role: Option<String>) -> Vec<Effect> {
    let role = role.or_else(|| app.nav.selected(ViewKind::Roles));
    let Some(role) = role else {
        app.set_error("select a role (:roles), or :assume ARN");
        return Vec::new();
    };
    let (role_arn, trust, max_session) = role_for(app, &role);
    let session_name = match app.identity.state() {
        Load::Loaded(id) => default_session_name(&id.arn),
        _ => "iamtui-session".into(),
    };
    // Chained role sessions last an hour at most: shown, not discovered.
    let chained = app.assume.session.is_some();
    let duration = if chained { 3600 } else { 3600.min(max_session) };
    let mut fields = vec![Input::default(); FIELDS.len()];
    fields[SESSION_NAME] = Input::with(&session_name);
    fields[DURATION] = Input::with(&duration.to_string());
    if let Some(serial) = &app.assume.startup_mfa_serial {
        fields[MFA_SERIAL] = Input::with(serial);
    }
    for (i, value) in std::mem::take(&mut app.assume.startup_fields) {
        fields[i] = Input::with(&value);
    }
    // With a device known and no MFA session yet, the code is what the user types first.
    let focus = if app.assume.startup_mfa_serial.is_some() && app.assume.mfa_session.is_none() {
        MFA_CODE
    } else {
        0
    };
    let need_trust = trust.is_none();
    app.overlay = Some(Overlay::Assume(Box::new(AssumeDialog {
        role_arn: role_arn.clone(),
        trust,
        max_session: if chained { 3600 } else { max_session },
        opened: fields.iter().map(|f| f.text.clone()).collect(),
        fields,
        focus,
        busy: false,
        error: None,
    })));
    focus_code_if_needed(app);
    let mut out = Vec::new();
    if need_trust {
        let name = role_arn.rsplit('/').next().unwrap_or(&role_arn).to_string();
        out.extend(loads::issue(
            app,
            Purpose::AssumeTrust,
            Call::GetRole { name },
        ));
    }
    out
}

fn tags(text: &str) -> Result<Vec<Tag>, String> {
    text.split_whitespace()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok(Tag::new(k, v)),
            _ => Err(format!("`{w}`: write session tags as key=value")),
        })
        .collect()
}

fn submit(app: &mut App) -> Vec<Effect> {
    let Some(Overlay::Assume(d)) = &app.overlay else {
        return Vec::new();
    };
    let duration: i32 = match d.field(DURATION).parse() {
        Ok(n) if (900..=d.max_session).contains(&n) => n,
        _ => {
            let max = d.max_session;
            if let Some(Overlay::Assume(d)) = &mut app.overlay {
                d.error = Some(format!("duration: 900 to {max} seconds"));
            }
            return Vec::new();
        }
    };
    let refuse = |app: &mut App, e: String| {
        if let Some(Overlay::Assume(d)) = &mut app.overlay {
            d.error = Some(e);
        }
        Vec::new()
    };
    let tags = match tags(d.field(SESSION_TAGS)) {
        Ok(t) => t,
        Err(e) => return refuse(app, e),
    };
    let policy = match read_session_policy(d.field(SESSION_POLICY)) {
        Ok(p) => p,
        Err(e) => return refuse(app, e),
    };
    let code = d.field(MFA_CODE).to_string();
    let request = AssumeRoleRequest {
        role_arn: d.role_arn.clone(),
        session_name: d.field(SESSION_NAME).to_string(),
        duration_seconds: Some(duration),
        external_id: Some(d.field(EXTERNAL_ID).to_string()).filter(|x| !x.is_empty()),
        source_identity: Some(d.field(SOURCE_IDENTITY).to_string()).filter(|x| !x.is_empty()),
        tags,
        policy: policy.inline,
        policy_arns: policy.arns,
        ..AssumeRoleRequest::default()
    };
    if !code.is_empty() && app.last_mfa_code.as_deref() == Some(code.as_str()) {
        if let Some(Overlay::Assume(d)) = &mut app.overlay {
            d.error = Some("that MFA code was used already: wait for the next one".into());
        }
        return Vec::new();
    }
    let serial = Some(d.field(MFA_SERIAL).to_string()).filter(|s| !s.is_empty());
    if let Some(Overlay::Assume(d)) = &mut app.overlay {
        d.busy = true;
        d.error = None;
    }
    app.assume.pending_assume = Some(request.clone());
    if code.is_empty() {
        return assume_now(app, request);
    }
    app.last_mfa_code = Some(code.clone());
    // One MFA session serves the assumes that follow. A role session cannot get one (STS
    // refuses GetSessionToken with session credentials): the code goes with the request.
    if app.assume.session.is_some() {
        let mut r = request;
        r.token_code = Some(code);
        r.serial_number = serial;
        return assume_now(app, r);
    }
    match serial {
        Some(serial) => loads::issue(
            app,
            Purpose::MfaSession,
            Call::SessionToken { serial, code },
        ),
        None => {
            app.assume.pending_code = Some(code);
            let user = app.own_user().unwrap_or_default();
            loads::issue(app, Purpose::AssumeMfaDevice, Call::UserMfa { user })
        }
    }
}

/// The session policy field: `@FILE` is read (a small local file, so the UI may), the rest is
/// checked by the engine before STS sees it.
fn read_session_policy(field: &str) -> Result<SessionPolicy, String> {
    match field.strip_prefix('@') {
        Some(path) => {
            let path = path.trim();
            let path = match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
                (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
                _ => std::path::PathBuf::from(path),
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("session policy {}: {e}", path.display()))?;
            session_policy(&text)
        }
        None => session_policy(field),
    }
}

fn assume_now(app: &mut App, request: AssumeRoleRequest) -> Vec<Effect> {
    let call = Call::AssumeRole {
        request: Box::new(request),
    };
    match app.assume.mfa_session.as_ref().map(|(b, _)| b.clone()) {
        // An MFA session signs the assume when there is one.
        Some(b) if app.assume.session.is_none() => {
            loads::issue_with(app, b, Purpose::Assumed, call)
        }
        _ => loads::issue(app, Purpose::Assumed, call),
    }
}

/// Shows `e` (in the dialog when it is open); nothing follows.
fn dialog_error(app: &mut App, e: &BackendError) -> Vec<Effect> {
    let text = crate::ui::error_text(e);
    match &mut app.overlay {
        Some(Overlay::Assume(d)) => {
            d.busy = false;
            // STS's own words: the prediction may have been wrong.
            d.error = Some(text);
        }
        _ => app.set_error(text),
    }
    Vec::new()
}

pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    match (purpose, result) {
        (Purpose::AssumeTrust, Ok(Reply::Role(r))) => {
            if let Some(Overlay::Assume(d)) = &mut app.overlay
                && d.role_arn == r.arn
            {
                d.trust = r.assume_role_policy.clone();
                d.max_session = if app.assume.session.is_some() {
                    3600
                } else {
                    r.max_session_duration
                };
            }
            focus_code_if_needed(app);
            Vec::new()
        }
        (Purpose::AssumeTrust, Err(_)) => Vec::new(),
        (Purpose::AssumeMfaDevice, Ok(Reply::MfaDevices(devices))) => {
            let code = app.assume.pending_code.take().unwrap_or_default();
            match devices.first() {
                Some(dev) => {
                    let serial = dev.serial_number.clone();
                    if let Some(Overlay::Assume(d)) = &mut app.overlay {
                        d.fields[MFA_SERIAL] = Input::with(&serial);
                    }
                    loads::issue(
                        app,
                        Purpose::MfaSession,
                        Call::SessionToken { serial, code },
                    )
                }
                None => dialog_error(
                    app,
                    &BackendError::new(
                        "ListMFADevices",
                        crate::iam::ErrorKind::Validation("you have no MFA device".into()),
                    ),
                ),
            }
        }
        (Purpose::MfaSession, Ok(Reply::Session(creds))) => {
            let Some(base) = app.backend.loaded().cloned() else {
                return Vec::new();
            };
            match base.with_credentials(creds.clone()) {
                Ok(b) => {
                    app.assume.mfa_session = creds.expiration.map(|e| (b, e));
                    match app.assume.pending_assume.clone() {
                        Some(r) => assume_now(app, r),
                        None => Vec::new(),
                    }
                }
                Err(e) => dialog_error(app, &e),
            }
        }
        (Purpose::Assumed, Ok(Reply::Assumed(a))) => switch_to(app, *a),
        (Purpose::AssumeMfaDevice | Purpose::MfaSession | Purpose::Assumed, Err(e)) => {
            dialog_error(app, &e)
        }
        (purpose, _) => {
            tracing::warn!(?purpose, "unexpected reply for an assume");
            Vec::new()
        }
    }
}

/// The console now works as the assumed role.
fn switch_to(app: &mut App, assumed: crate::iam::AssumedRole) -> Vec<Effect> {
    let Some(current) = app.backend.loaded().cloned() else {
        return Vec::new();
    };
    let next = match current.with_credentials(assumed.credentials.clone()) {
        Ok(b) => b,
        Err(e) => {
            return dialog_error(app, &e);
        }
    };
    let role_arn = app
        .assume
        .pending_assume
        .take()
        .map(|r| r.role_arn)
        .unwrap_or_default();
    app.assume.identities.push(Frame {
        backend: current,
        identity: app.identity.loaded().cloned(),
        session: app.assume.session.take(),
    });
    app.assume.session = Some(Session {
        arn: assumed.assumed_role_arn.clone(),
        role_arn: role_arn.clone(),
        expiration: assumed.credentials.expiration,
        credentials: assumed.credentials,
    });
    remember(app, &role_arn);
    app.overlay = None;
    app.set_status(format!("now working as {}", assumed.assumed_role_arn));
    reconnect(app, next)
}

/// Puts `backend` in charge and reloads everything with it.
fn reconnect(app: &mut App, backend: Arc<dyn Backend>) -> Vec<Effect> {
    let g = app.backend.begin();
    app.backend.finish(g, Ok(backend.clone()));
    let mut out = vec![Effect::Whoami {
        backend,
        generation: app.identity.begin(),
    }];
    out.extend(loads::reload(app));
    out
}

/// Back to the identity before the last assume.
pub fn return_identity(app: &mut App) -> Vec<Effect> {
    let Some(frame) = app.assume.identities.pop() else {
        app.set_error("no assumed role to return from");
        return Vec::new();
    };
    app.assume.session = frame.session;
    let label = frame
        .identity
        .as_ref()
        .map(|i| i.arn.clone())
        .unwrap_or_else(|| "the previous identity".into());
    app.set_status(format!("back to {label}"));
    let out = reconnect(app, frame.backend);
    if let Some(id) = frame.identity {
        let g = app.identity.begin();
        app.identity.finish(g, Ok(id));
    }
    out
}

/// The quick-switch list: the roles assumed lately, most recent first.
fn remember(app: &mut App, role_arn: &str) {
    app.assume.recent_roles.retain(|r| r != role_arn);
    app.assume.recent_roles.insert(0, role_arn.to_string());
    app.assume.recent_roles.truncate(20);
    if let Some(path) = &app.assume.recent_roles_file {
        let text = serde_json::to_string_pretty(&app.assume.recent_roles).unwrap_or_default();
        // Temp file and rename: a crash never leaves half a list.
        let tmp = path.with_extension("json.tmp");
        if let Err(e) = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path)) {
            tracing::warn!(%e, "cannot save the recent roles");
        }
    }
}

pub fn contexts(app: &mut App) -> Vec<Effect> {
    if app.assume.recent_roles.is_empty() {
        app.set_error("no role assumed yet: A on a role, or :assume ARN");
        return Vec::new();
    }
    app.overlay = Some(Overlay::picker("Assume a recent role", PickFor::Assume));
    Vec::new()
}

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = crate::app::shell::actions::dialog_action(app, key);
    match &app.overlay {
        Some(Overlay::Export(_)) => return export_key(app, key, action),
        Some(Overlay::Assume(_)) => {}
        _ => return Vec::new(),
    }
    let Some(Overlay::Assume(d)) = &mut app.overlay else {
        return Vec::new();
    };
    if d.busy {
        if action == Some(PromptCommand::Cancel) {
            app.overlay = None;
        }
        return Vec::new();
    }
    match (action, key.code) {
        (Some(PromptCommand::Cancel), _) => app.overlay = None,
        (Some(PromptCommand::Confirm), _) => return submit(app),
        (Some(PromptCommand::EditField), _) if d.focus == SESSION_POLICY => {
            let text = d.fields[SESSION_POLICY].text.clone();
            app.ask(Intent::EditSessionPolicy { text });
        }
        (_, KeyCode::Tab | KeyCode::Down) => d.focus = (d.focus + 1) % FIELDS.len(),
        (_, KeyCode::BackTab | KeyCode::Up) => {
            d.focus = (d.focus + FIELDS.len() - 1) % FIELDS.len();
        }
        _ => {
            let f = d.focus;
            crate::app::shell::actions::edit_input(&mut d.fields[f], key);
            // What was refused no longer describes what is typed.
            d.error = None;
        }
    }
    Vec::new()
}

// --- handing the credentials on ---------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct ExportDialog {
    pub session: Session,
    pub region: Option<String>,
    pub profile: Option<Input>,
    pub message: Option<String>,
}

pub fn export(app: &mut App) -> Vec<Effect> {
    let Some(session) = app.assume.session.clone() else {
        app.set_error("export works on an assumed role's credentials: assume one first (A)");
        return Vec::new();
    };
    app.overlay = Some(Overlay::Export(Box::new(ExportDialog {
        session,
        region: app.info.region.clone(),
        profile: None,
        message: None,
    })));
    Vec::new()
}

fn export_key(app: &mut App, key: KeyEvent, action: Option<PromptCommand>) -> Vec<Effect> {
    let Some(Overlay::Export(d)) = &mut app.overlay else {
        return Vec::new();
    };
    if let Some(field) = field_key(&mut d.profile, key, action) {
        if let Field::Entered(profile) = field {
            d.profile = None;
            d.message = Some(write_profile(&profile, &d.session.credentials));
        }
        return Vec::new();
    }
    let lines = |shell| shell_lines(&d.session.credentials, d.region.as_deref(), shell);
    let (text, what) = match key.code {
        KeyCode::Char('b') => (lines(Shell::Posix), "bash/zsh lines"),
        KeyCode::Char('f') => (lines(Shell::Fish), "fish lines"),
        KeyCode::Char('w') => (lines(Shell::PowerShell), "PowerShell lines"),
        KeyCode::Char('p') => {
            let name = d
                .session
                .arn
                .rsplit('/')
                .nth(1)
                .unwrap_or("iamtui")
                .to_string();
            d.profile = Some(Input::with(&name));
            return Vec::new();
        }
        _ => {
            if action == Some(PromptCommand::Cancel) {
                app.overlay = None;
            }
            return Vec::new();
        }
    };
    d.message = Some(format!("{what} copied to the clipboard"));
    vec![Effect::Clipboard(text)]
}

/// `expires in 54m` (or `expired`), and whether to warn (five minutes or less).
pub fn countdown(app: &App) -> Option<(String, bool)> {
    let e = app.assume.session.as_ref()?.expiration?;
    // Wall-clock time: the expiry is the real one whatever the console's clock shows.
    let left = (e - Utc::now()).num_seconds();
    if left <= 0 {
        return Some(("expired: U returns".into(), true));
    }
    let text = if left >= 3600 {
        format!("expires in {}h{:02}m", left / 3600, (left % 3600) / 60)
    } else {
        format!("expires in {}m{:02}s", left / 60, left % 60)
    };
    Some((text, left <= 300))
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::*;
    use crate::app::harness::{Harness, mfa_code_now, overlay};

    /// `:assume ROLE` with the role's trust policy held back, as if GetRole were still on
    /// its way; the held call is returned.
    async fn open_waiting_for_trust(h: &mut Harness, role: &str) -> Vec<Effect> {
        h.key(KeyCode::Char(':')).await;
        h.type_text(&format!("assume {role}")).await;
        let held = h
            .key_holding(KeyCode::Enter, |c| matches!(c, Call::GetRole { .. }))
            .await;
        assert_eq!(held.len(), 1, "the trust policy is fetched");
        h.assert_shows("reading the trust policy…", true);
        held
    }

    #[tokio::test]
    async fn the_focus_moves_to_the_code_when_the_trust_says_mfa() {
        let mut h = Harness::demo_as("alice.nguyen").await;
        let held = open_waiting_for_trust(&mut h, "BreakGlassAdmin").await;
        assert_eq!(overlay!(h, Assume).focus, SESSION_NAME);
        h.settle(held).await;
        h.assert_shows("prediction: requires MFA", true);
        assert_eq!(overlay!(h, Assume).focus, MFA_CODE);
        // The code typed straight away lands in the code field, not the session name.
        h.type_text(&mfa_code_now()).await;
        assert_eq!(overlay!(h, Assume).field(SESSION_NAME), "alice.nguyen");
        h.key(KeyCode::Enter).await;
        let header = h.header(160);
        assert!(
            header.contains("assumed-role/BreakGlassAdmin/alice.nguyen"),
            "{header}\n{}",
            h.screen(140, 30)
        );
    }

    #[tokio::test]
    async fn a_field_being_typed_in_keeps_the_focus_and_the_dialog_says_where_the_code_goes() {
        let mut h = Harness::demo_as("alice.nguyen").await;
        let held = open_waiting_for_trust(&mut h, "BreakGlassAdmin").await;
        h.type_text("-oncall").await;
        h.settle(held).await;
        let d = overlay!(h, Assume);
        assert_eq!(d.focus, SESSION_NAME);
        assert_eq!(d.field(SESSION_NAME), "alice.nguyen-oncall");
        h.assert_shows(
            "this role needs MFA: the code goes in the MFA code field",
            true,
        );
    }

    #[tokio::test]
    async fn a_chained_assume_keeps_the_current_role_and_its_expiry_at_80_columns() {
        let mut h = Harness::demo_as("alice.nguyen").await;
        h.open_assume("BreakGlassAdmin").await;
        assert_eq!(overlay!(h, Assume).focus, MFA_CODE, "{}", h.screen(140, 30));
        h.submit(&mfa_code_now()).await;
        assert!(h.app.assume.session.is_some(), "{}", h.screen(140, 30));
        h.open_assume("DeveloperSandbox").await;
        h.key(KeyCode::Enter).await;
        assert_eq!(h.app.assume.identities.len(), 2, "{}", h.screen(140, 30));
        let screen = h.screen(80, 24);
        let header = screen.lines().next().unwrap();
        assert!(header.contains("DeveloperSandbox/alice.nguyen"), "{header}");
        assert!(header.contains("│ expires in "), "{header}");
        // The earlier identities gave way, marked as cut.
        assert!(header.contains('…') && header.contains('›'), "{header}");
        assert!(header.chars().count() <= 80, "{header}");
        // Wide enough, the whole chain is there.
        let wide = h.screen(200, 24);
        let header = wide.lines().next().unwrap();
        assert!(
            header.contains(
                "/alice.nguyen › assumed-role/BreakGlassAdmin/alice.nguyen › assumed-role/DeveloperSandbox/alice.nguyen │ expires in "
            ),
            "{header}"
        );
    }
}
