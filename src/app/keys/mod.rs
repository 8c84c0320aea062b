//! Access keys and MFA in the console: create (secret shown once), deactivate/reactivate,
//! delete, rotate with every step visible, enrol a virtual MFA device with a QR code.

use crate::commands::palette::ViewKind;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use secrecy::ExposeSecret;

use crate::app::Load;
use crate::app::model::detail::RowRef;
use crate::app::model::table::Target;
use crate::app::shell::actions::{Field, Outcome, field_key, write_profile};
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::loads;
use crate::app::shell::message::{Effect, RotationUpdate};
use crate::app::shell::nav::Screen;
use crate::app::shell::overlay::{
    Confirm, Input, MfaDialog, NewKeyDialog, Overlay, Pending, RotationDialog,
};
use crate::app::shell::state::App;
use crate::commands::KeysCommand;
use crate::commands::PromptCommand;
use crate::credentials::file::CredentialsFile;
use crate::credentials::rotate::{MfaCode, ProfileTarget, Retire, RotateOptions};
use crate::iam::{BackendError, Credentials, KeyStatus};

mod password;

/// What a keys reply is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A new access key for this user (its secret is shown once).
    NewKey {
        user: String,
    },
    /// A virtual MFA device being enrolled.
    MfaCreated {
        user: String,
    },
    MfaEnabled {
        serial: String,
    },
    MfaResynced,
    /// A virtual device named like the one being enrolled for this user already exists: it is
    /// looked up (`serial` is `None`), then deleted when nobody uses it.
    MfaLeftover {
        user: String,
        serial: Option<String>,
    },
    /// Deleting a device whose enrolment did not finish.
    MfaCleanup,
    /// Whether the user of the password dialog has a console password.
    PasswordState {
        user: String,
    },
    PasswordPolicy,
    /// A console password being set (kept to be shown once it is).
    PasswordSet {
        user: String,
        password: crate::iam::Password,
    },
}

/// The keys room's commands.
pub fn on_command(app: &mut App, command: KeysCommand) -> Outcome {
    match command {
        KeysCommand::RotateKey => rotate_key(app),
        KeysCommand::CreateKey => create_key(app),
        KeysCommand::ToggleKey => toggle_key(app),
        KeysCommand::EnrolMfa => enrol_mfa(app),
        KeysCommand::ResyncMfa => resync_mfa(app),
        KeysCommand::ConsolePassword => console_password(app),
    }
    .into()
}

/// The access key the selection stands for: `(user, key id)`.
pub fn selected_key(app: &App) -> Option<(String, String)> {
    match app.nav.current() {
        Screen::List(l) => l.selected_row().and_then(|r| r.access_key.clone()),
        Screen::Detail(_) => match user_row(app)? {
            (user, RowRef::Key(id)) => Some((user, id)),
            _ => None,
        },
    }
}

/// The selected row of a user's detail, with the user.
fn user_row(app: &App) -> Option<(String, RowRef)> {
    let d = app.nav.detail()?;
    let user = d.target.is(ViewKind::Users)?;
    Some((user.into(), d.selected_row(app.now())?.what))
}

/// The MFA device the selection stands for: `(user, serial)`.
pub fn selected_mfa(app: &App) -> Option<(String, String)> {
    match app.nav.current() {
        Screen::Detail(_) => match user_row(app)? {
            (user, RowRef::Mfa(serial)) => Some((user, serial)),
            _ => None,
        },
        Screen::List(l) if l.kind == crate::commands::palette::ViewKind::Mfa => {
            l.selected_row().and_then(|r| match (&r.target, &r.arn) {
                (Some(t), Some(serial)) => Some((t.is(ViewKind::Users)?.into(), serial.clone())),
                _ => None,
            })
        }
        Screen::List(_) => None,
    }
}

/// The name of a loaded policy of the user (inline, or inline via a group) whose conditions
/// test `aws:MultiFactorAuthPresent` or `aws:MultiFactorAuthAge`: taking the device away locks
/// those permissions.
fn mfa_required_by(app: &App, user: &str) -> Option<String> {
    let d = app.nav.detail()?;
    if d.target != Target::user(user) {
        return None;
    }
    let needs = |doc: &str| {
        crate::policy::parse_policy(doc).policy.is_some_and(|p| {
            p.statements.iter().any(|s| {
                s.condition.iter().flat_map(|c| c.clauses.iter()).any(|c| {
                    c.key
                        .value
                        .to_ascii_lowercase()
                        .starts_with("aws:multifactorauth")
                })
            })
        })
    };
    for (name, doc) in &d.detail.inline_docs {
        if needs(doc) {
            return Some(format!("inline policy {name}"));
        }
    }
    for (group, inh) in &d.detail.inherited {
        for (name, doc) in &inh.docs {
            if needs(doc) {
                return Some(format!("policy {name} of group {group}"));
            }
        }
    }
    None
}

/// The user's keys as far as loaded (the keys view's fan-out, or the detail view).
fn known_keys(app: &App, user: &str) -> Vec<crate::iam::AccessKey> {
    if let Some(k) = app.data.keys.get(user) {
        return k.clone();
    }
    match app.nav.current() {
        Screen::Detail(d) if d.target == Target::user(user) => {
            d.detail.keys.clone().unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// The user the selection stands for (a user row or detail, or a key's user).
fn selected_user(app: &App) -> Option<String> {
    if let Some((u, _)) = selected_key(app) {
        return Some(u);
    }
    app.nav.selected(ViewKind::Users)
}

pub fn console_password(app: &mut App) -> Vec<Effect> {
    let Some(user) = selected_user(app) else {
        app.set_error("select a user to set the console password of");
        return Vec::new();
    };
    password::open(app, user)
}

pub fn create_key(app: &mut App) -> Vec<Effect> {
    let Some(user) = selected_user(app) else {
        app.set_error("select a user to create an access key for");
        return Vec::new();
    };
    app.set_status(format!("creating an access key for {user}…"));
    loads::issue(
        app,
        Purpose::NewKey { user: user.clone() },
        Call::CreateAccessKey { user },
    )
}

pub fn toggle_key(app: &mut App) -> Vec<Effect> {
    let Some((user, key)) = selected_key(app) else {
        app.set_error("select an access key (:keys, or a user's Security credentials tab)");
        return Vec::new();
    };
    let active = app
        .data
        .keys
        .get(&user)
        .and_then(|ks| ks.iter().find(|k| k.access_key_id == key))
        .map(|k| k.status == KeyStatus::Active)
        .or_else(|| match app.nav.current() {
            Screen::Detail(d) => d
                .detail
                .keys
                .as_ref()
                .and_then(|ks| ks.iter().find(|k| k.access_key_id == key))
                .map(|k| k.status == KeyStatus::Active),
            _ => None,
        })
        .unwrap_or(true);
    let (verb, status) = if active {
        ("Deactivate", KeyStatus::Inactive)
    } else {
        ("Reactivate", KeyStatus::Active)
    };
    app.confirm(
        format!("{verb} access key"),
        format!("{verb} {key} of {user}?"),
        Pending::new(
            format!("{verb}d {key}"),
            vec![Call::UpdateAccessKey {
                user,
                key_id: key,
                status,
            }],
        ),
    );
    Vec::new()
}

/// `ctrl-d` on an access key or an MFA device: `Some` when the selection is one.
pub fn delete_credential(app: &mut App) -> Option<Vec<Effect>> {
    if let Some((user, key)) = selected_key(app) {
        app.overlay = Some(Overlay::Confirm(Box::new(Confirm {
            title: format!("Delete access key {key}"),
            lines: vec![
                format!("Delete {key} of {user}? Whatever uses it stops working."),
                format!("Type {key} and press Enter to delete; Esc cancels."),
            ],
            expect: Some(key.clone()),
            input: Input::default(),
            blocked: false,
            checking: None,
            pending: Pending::new(
                format!("Deleted {key}"),
                vec![Call::DeleteAccessKey { user, key_id: key }],
            ),
        })));
        return Some(Vec::new());
    }
    if let Some((user, serial)) = selected_mfa(app) {
        let mut calls = vec![Call::DeactivateMfa {
            user: user.clone(),
            serial: serial.clone(),
        }];
        // Virtual devices are deleted too; hardware tokens only leave the user.
        if serial.contains(":mfa/") {
            calls.push(Call::DeleteVirtualMfa {
                serial: serial.clone(),
            });
        }
        app.confirm(
            "Remove MFA device".into(),
            match mfa_required_by(app, &user) {
                Some(policy) => format!(
                    "Deactivate {serial} for {user}? {policy} requires MFA: {user} will lose access until a new device is enrolled."
                ),
                None => format!(
                    "Deactivate {serial} for {user}? If a policy requires MFA, {user} loses access until a new device is enrolled."
                ),
            },
            Pending::new(format!("Removed {serial} from {user}"), calls),
        );
        return Some(Vec::new());
    }
    if let Some((user, RowRef::Password)) = user_row(app) {
        app.confirm(
            "Remove console password".into(),
            format!(
                "Delete the console password of {user}? They can no longer sign in to the console; access keys keep working."
            ),
            Pending::new(
                format!("Deleted the console password of {user}"),
                vec![Call::DeleteLoginProfile { user }],
            ),
        );
        return Some(Vec::new());
    }
    if let Some(serial) = selected_unassigned_mfa(app) {
        app.confirm(
            "Delete MFA device".into(),
            format!(
                "Delete {serial}? It is assigned to nobody (an enrolment that did not finish), so no one signs in with it."
            ),
            Pending::new(format!("Deleted {serial}"), vec![Call::DeleteVirtualMfa { serial }]),
        );
        return Some(Vec::new());
    }
    None
}

/// The unassigned virtual MFA device selected in `:mfa`.
fn selected_unassigned_mfa(app: &App) -> Option<String> {
    let l = app.nav.list()?;
    if l.kind != crate::commands::palette::ViewKind::Mfa {
        return None;
    }
    let row = l.selected_row()?;
    match (&row.target, &row.arn) {
        (None, Some(serial)) if serial.contains(":mfa/") => Some(serial.clone()),
        _ => None,
    }
}

pub fn rotate_key(app: &mut App) -> Vec<Effect> {
    let (user, key) = match selected_key(app) {
        Some((u, k)) => (u, Some(k)),
        None => match selected_user(app) {
            Some(u) => (u, None),
            None => {
                app.set_error("select a user or an access key to rotate");
                return Vec::new();
            }
        },
    };
    // IAM allows two keys and inactive ones count: offer to delete the inactive (else the
    // older) other key first, so the rotation cannot fail on the limit.
    let known = known_keys(app, &user);
    let delete_first = (known.len() >= 2)
        .then(|| {
            let mut others: Vec<&crate::iam::AccessKey> = known
                .iter()
                .filter(|k| Some(&k.access_key_id) != key.as_ref())
                .collect();
            others.sort_by_key(|k| (k.status == KeyStatus::Active, k.create_date));
            others.first().map(|k| k.access_key_id.clone())
        })
        .flatten();
    app.generations += 1;
    app.overlay = Some(Overlay::Rotation(Box::new(RotationDialog {
        user,
        key,
        delete_old: false,
        delete_first,
        code: Input::default(),
        generation: app.generations,
        started: false,
        steps: Vec::new(),
        outcome: None,
    })));
    Vec::new()
}

pub fn enrol_mfa(app: &mut App) -> Vec<Effect> {
    let Some(user) = selected_user(app) else {
        app.set_error("select a user to enrol an MFA device for");
        return Vec::new();
    };
    let account = match app.identity.state() {
        Load::Loaded(id) => id.account.clone(),
        _ => String::new(),
    };
    let message = "creating the virtual device…".into();
    open_mfa(app, user.clone(), account, message, None);
    loads::issue(
        app,
        Purpose::MfaCreated { user: user.clone() },
        Call::CreateVirtualMfa { name: user },
    )
}

/// Resynchronise the selected MFA device: two consecutive codes from the device.
pub fn resync_mfa(app: &mut App) -> Vec<Effect> {
    let Some((user, serial)) = selected_mfa(app) else {
        app.set_error("select an MFA device (a user's Security credentials tab, or :mfa)");
        return Vec::new();
    };
    let message = format!("Resynchronise {serial}: type two consecutive codes the device shows.");
    open_mfa(app, user, String::new(), message, Some(serial));
    Vec::new()
}

/// Opens the MFA dialog: busy creating the device unless it resynchronises `resync`.
fn open_mfa(app: &mut App, user: String, account: String, message: String, resync: Option<String>) {
    app.overlay = Some(Overlay::Mfa(Box::new(MfaDialog {
        user,
        device: None,
        account,
        revealed: false,
        code1: Input::default(),
        code2: Input::default(),
        focus: 0,
        busy: resync.is_none(),
        message: Some(message),
        done: false,
        resync,
        replaced: None,
    })));
}

/// Replies to the calls above.
pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    let error = crate::ui::error_text;
    match (purpose, result) {
        (
            purpose @ (Purpose::PasswordState { .. }
            | Purpose::PasswordPolicy
            | Purpose::PasswordSet { .. }),
            result,
        ) => password::on_reply(app, purpose, result),
        (Purpose::NewKey { user }, Ok(Reply::NewKey(key))) => {
            app.status = None;
            app.overlay = Some(Overlay::NewKey(Box::new(NewKeyDialog::new(
                user, key, None,
            ))));
            loads::reload(app)
        }
        (Purpose::NewKey { .. }, Err(e)) => {
            app.set_error(error(&e));
            Vec::new()
        }
        (Purpose::MfaCreated { .. }, result) => {
            let Some(Overlay::Mfa(d)) = &mut app.overlay else {
                // Closed while the device was being made: do not leave it dangling.
                if let Ok(Reply::NewMfa(m)) = result {
                    return loads::issue(
                        app,
                        Purpose::MfaCleanup,
                        Call::DeleteVirtualMfa {
                            serial: m.serial_number,
                        },
                    );
                }
                return Vec::new();
            };
            d.busy = false;
            match result {
                Ok(Reply::NewMfa(m)) => {
                    d.device = Some(m);
                    let scan =
                        "Scan the code with an authenticator app, then type two consecutive codes.";
                    d.message = Some(match &d.replaced {
                        Some(old) => format!("Replaced the unused device {old}. {scan}"),
                        None => scan.into(),
                    });
                }
                Ok(_) => {}
                // A device of that name exists: an enrolment that did not finish leaves one
                // behind. Look it up once; a second clash is reported as it is.
                Err(e)
                    if matches!(e.kind, crate::iam::ErrorKind::AlreadyExists(_))
                        && d.replaced.is_none() =>
                {
                    d.busy = true;
                    d.message = Some(format!(
                        "a virtual MFA device named {} exists already: checking whether anyone uses it…",
                        d.user
                    ));
                    let user = d.user.clone();
                    return loads::issue(
                        app,
                        Purpose::MfaLeftover { user, serial: None },
                        Call::ListVirtualMfa,
                    );
                }
                Err(e) => {
                    d.message = Some(error(&e));
                    d.done = true;
                }
            }
            Vec::new()
        }
        (Purpose::MfaLeftover { user, serial }, result) => {
            leftover_reply(app, user, serial, result)
        }
        (Purpose::MfaEnabled { serial }, result) => {
            let failed = result.as_ref().err().map(error);
            if let Some(Overlay::Mfa(d)) = &mut app.overlay {
                d.busy = false;
                d.done = true;
                d.message = Some(match &failed {
                    None => format!("MFA enabled for {}.", d.user),
                    Some(e) => format!("{e}. The unassigned device was deleted; E tries again."),
                });
            }
            if failed.is_some() {
                loads::issue(app, Purpose::MfaCleanup, Call::DeleteVirtualMfa { serial })
            } else {
                loads::reload(app)
            }
        }
        (Purpose::MfaResynced, result) => {
            if let Some(Overlay::Mfa(d)) = &mut app.overlay {
                d.busy = false;
                d.done = true;
                d.message = Some(match &result {
                    Ok(_) => "Resynchronised.".into(),
                    Err(e) => format!("{}.", error(e)),
                });
            }
            Vec::new()
        }
        (Purpose::MfaCleanup, result) => {
            if let Err(e) = result {
                app.set_error(format!(
                    "could not delete the unassigned device: {}",
                    error(&e)
                ));
            }
            Vec::new()
        }
        (purpose, _) => {
            tracing::warn!(?purpose, "unexpected reply for a credential call");
            Vec::new()
        }
    }
}

/// The way a leftover device of the enrolling user's name is cleared: found in the list of
/// virtual devices, deleted when it is assigned to nobody (IAM refuses to delete an assigned
/// one: it is deactivated first, by hand), then the enrolment starts over.
fn leftover_reply(
    app: &mut App,
    user: String,
    serial: Option<String>,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    let Some(Overlay::Mfa(d)) = &mut app.overlay else {
        // Closed meanwhile: nothing was made, nothing to clean up.
        return Vec::new();
    };
    if d.user != user || d.resync.is_some() || d.device.is_some() {
        return Vec::new();
    }
    let fail = |d: &mut MfaDialog, text: String| {
        d.busy = false;
        d.done = true;
        d.message = Some(text);
        Vec::new()
    };
    match (serial, result) {
        (None, Ok(Reply::MfaDevices(devices))) => {
            let found = devices.into_iter().find(|m| {
                m.serial_number
                    .rsplit_once(":mfa/")
                    .is_some_and(|(_, name)| name == user)
            });
            match found {
                Some(m) if m.user_name.is_none() => {
                    let serial = m.serial_number;
                    d.message = Some(format!(
                        "{serial} was left by an enrolment that did not finish and is assigned to nobody: deleting it and making a new one…"
                    ));
                    loads::issue(
                        app,
                        Purpose::MfaLeftover {
                            user,
                            serial: Some(serial.clone()),
                        },
                        Call::DeleteVirtualMfa { serial },
                    )
                }
                Some(m) => fail(
                    d,
                    format!(
                        "{} is assigned to {}: deactivate it first (ctrl-d on it in :mfa), then enrol again.",
                        m.serial_number,
                        m.user_name.unwrap_or_default()
                    ),
                ),
                None => fail(
                    d,
                    format!(
                        "a virtual MFA device named {user} exists, but not at the path / iamtui enrols at: delete it in :mfa, then enrol again."
                    ),
                ),
            }
        }
        (Some(serial), Ok(_)) => {
            d.replaced = Some(serial);
            d.message = Some("creating the virtual device…".into());
            loads::issue(
                app,
                Purpose::MfaCreated { user: user.clone() },
                Call::CreateVirtualMfa { name: user },
            )
        }
        (_, Err(e)) => fail(d, crate::ui::error_text(&e)),
        (None, Ok(_)) => fail(d, "unexpected reply listing the virtual MFA devices".into()),
    }
}

/// Steps and the end of a rotation.
pub fn on_rotation(app: &mut App, generation: u64, update: RotationUpdate) -> Vec<Effect> {
    let Some(Overlay::Rotation(d)) = &mut app.overlay else {
        // The dialog was closed; the rotation still ran to its end (it is never abandoned
        // halfway). Say how it ended.
        if let RotationUpdate::Finished(r) = update {
            return match r {
                Ok(report) => {
                    app.set_status(format!(
                        "rotated: {} now uses {}",
                        report.user, report.new_key.key.access_key_id
                    ));
                    finish_rotation(app, *report)
                }
                Err(e) => {
                    app.set_error(e.to_string().replace('\n', "; "));
                    failed_rotation(app, *e)
                }
            };
        }
        return Vec::new();
    };
    if d.generation != generation {
        return Vec::new();
    }
    match update {
        RotationUpdate::Step(e) => {
            use crate::credentials::rotate::Event;
            d.steps.push(match e {
                Event::Starting(s) => format!("… {s}"),
                Event::Done(_, what) => format!("✓ {what}"),
                Event::RolledBack(what) => format!("↺ {}", what.trim_start_matches("; ")),
            });
            Vec::new()
        }
        RotationUpdate::Finished(Err(e)) => {
            d.outcome = Some(Err(e.to_string()));
            failed_rotation(app, *e)
        }
        RotationUpdate::Finished(Ok(report)) => {
            let summary = format!(
                "Done. {}",
                crate::credentials::rotate::describe(&report.user, &report.keys, &report.reread)
            );
            d.outcome = Some(Ok(summary));
            finish_rotation(app, *report)
        }
    }
}

/// After a rotation that worked: the console signs with the new key when its profile took
/// it, and a key no profile took is shown once for hand-over.
fn finish_rotation(app: &mut App, report: crate::credentials::rotate::Report) -> Vec<Effect> {
    if report.profile_written.is_some() {
        switch_console_key(app, &report.new_key);
    } else {
        // Nowhere took the secret: show it once, for hand-over.
        app.overlay = Some(Overlay::NewKey(Box::new(NewKeyDialog::new(
            report.user.clone(),
            report.new_key,
            Some("Rotated. The old key is retired; hand this one over.".into()),
        ))));
    }
    loads::reload(app)
}

/// After a rotation that failed halfway: the console follows its profile onto the new key
/// when the profile kept it, and a secret that could not be saved anywhere is shown once.
fn failed_rotation(app: &mut App, e: crate::credentials::rotate::RotateError) -> Vec<Effect> {
    if let crate::credentials::rotate::RotateError::Failed { state, .. } = e {
        if let Some(key) = &state.switched_to {
            switch_console_key(app, key);
        }
        if let Some(key) = state.unsaved {
            app.overlay = Some(Overlay::NewKey(Box::new(NewKeyDialog::new(
                state.user.clone(),
                key,
                Some(
                    "The rotation failed and this new key's secret could not be saved: copy it now."
                        .into(),
                ),
            ))));
        }
    }
    loads::reload(app)
}

/// The console's own client signs with `key` from now on (AWS only: the local account does
/// not sign with keys).
fn switch_console_key(app: &mut App, key: &crate::iam::NewAccessKey) {
    if app.info.kind != "aws" {
        return;
    }
    let Some(b) = app.backend.loaded().cloned() else {
        return;
    };
    match b.with_credentials(credentials(key)) {
        Ok(next) => {
            let g = app.backend.begin();
            app.backend.finish(g, Ok(next));
        }
        Err(e) => app.set_error(crate::ui::error_text(&e)),
    }
}

/// A new key as the credentials it is.
fn credentials(key: &crate::iam::NewAccessKey) -> Credentials {
    Credentials {
        access_key_id: key.key.access_key_id.clone(),
        secret_access_key: key.secret_access_key.clone(),
        session_token: None,
        expiration: None,
    }
}

/// Keys while a key, rotation or MFA dialog is open.
pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = crate::app::shell::actions::dialog_action(app, key);
    match &app.overlay {
        Some(Overlay::NewKey(_)) => new_key_key(app, key, action),
        Some(Overlay::Rotation(_)) => rotation_key(app, key, action),
        Some(Overlay::Mfa(_)) => mfa_key(app, key, action),
        Some(Overlay::Password(_)) => password::on_key(app, key, action),
        _ => Vec::new(),
    }
}

fn env_lines(d: &NewKeyDialog) -> String {
    format!(
        "export AWS_ACCESS_KEY_ID={}\nexport AWS_SECRET_ACCESS_KEY={}\n",
        d.key.key.access_key_id,
        d.key.secret_access_key.expose_secret()
    )
}

fn new_key_key(app: &mut App, key: KeyEvent, action: Option<PromptCommand>) -> Vec<Effect> {
    let Some(Overlay::NewKey(d)) = &mut app.overlay else {
        return Vec::new();
    };
    if let Some(field) = field_key(&mut d.profile, key, action) {
        if let Field::Entered(profile) = field {
            d.profile = None;
            d.message = Some(write_profile(&profile, &credentials(&d.key)));
        }
        return Vec::new();
    }
    if let Some(field) = field_key(&mut d.csv, key, action) {
        if let Field::Entered(path) = field {
            match write_csv(d, &expand_home(&path)) {
                Ok(written) => {
                    d.csv = None;
                    let saved = format!("saved {} (readable by you only)", written.display());
                    d.message = Some(saved);
                }
                // The input stays: another path can be typed.
                Err(e) => d.message = Some(e),
            }
        }
        return Vec::new();
    }
    match (action, key.code) {
        // Dropping the dialog drops the secret (SecretString zeroizes its memory).
        (Some(PromptCommand::Cancel), _) => app.overlay = None,
        (_, KeyCode::Char('r')) => d.revealed = !d.revealed,
        (_, KeyCode::Char('c')) => {
            d.message = Some("secret copied to the clipboard".into());
            return vec![Effect::Clipboard(
                d.key.secret_access_key.expose_secret().to_string(),
            )];
        }
        (_, KeyCode::Char('e')) => {
            d.message = Some("environment lines copied to the clipboard".into());
            return vec![Effect::Clipboard(env_lines(d))];
        }
        (_, KeyCode::Char('p')) => d.profile = Some(Input::with(&d.user)),
        (_, KeyCode::Char('v')) => {
            d.csv = Some(Input::with(
                &default_csv_path(&d.user).display().to_string(),
            ));
            d.message = None;
        }
        _ => {}
    }
    Vec::new()
}

/// Where the CSV is offered first: iamtui's data directory (`IAMTUI_DATA_DIR` overrides it),
/// never the directory the console happens to run in.
fn default_csv_path(user: &str) -> std::path::PathBuf {
    let name = format!("{user}_accessKeys.csv");
    match crate::config::Paths::from_env() {
        Ok(p) => p.data_dir().join(name),
        Err(_) => std::path::PathBuf::from(name),
    }
}

/// `~/…` as a shell would read it.
fn expand_home(text: &str) -> std::path::PathBuf {
    match (text.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => std::path::PathBuf::from(text),
    }
}

/// The CSV the AWS console offers for a new key. The file is created 0600 (never readable by
/// others, not even for a moment) and never over an existing one; the full path written is
/// returned. Errors name the path, never the secret.
fn write_csv(d: &NewKeyDialog, path: &std::path::Path) -> Result<std::path::PathBuf, String> {
    if path.as_os_str().is_empty() {
        return Err("type the path of the CSV file".into());
    }
    let path = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // The data directory may not exist yet (an AWS-only user); any other missing directory
    // is more likely a typo than a wish.
    if let (Some(parent), Ok(paths)) = (path.parent(), crate::config::Paths::from_env())
        && parent == paths.data_dir()
        && !parent.exists()
    {
        let mut dir = std::fs::DirBuilder::new();
        dir.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
        dir.create(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let text = format!(
        "Access key ID,Secret access key\n{},{}\n",
        d.key.key.access_key_id,
        d.key.secret_access_key.expose_secret()
    );
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut file = open.open(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!(
            "{} exists: not overwritten; type another path",
            path.display()
        ),
        _ => format!("cannot save {}: {e}", path.display()),
    })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            // Half a file is worse than none.
            let _ = std::fs::remove_file(&path);
            format!("cannot save {}: {e}", path.display())
        })?;
    Ok(path)
}

fn rotation_key(app: &mut App, key: KeyEvent, action: Option<PromptCommand>) -> Vec<Effect> {
    let own = app.own_user();
    let wait_limit = app.options.rotation_wait;
    let kind = app.info.kind;
    let profile_name = app.profile.clone();
    let read_only = app.read_only();
    let Some(backend) = app.backend.loaded().cloned() else {
        return Vec::new();
    };
    let Some(Overlay::Rotation(d)) = &mut app.overlay else {
        return Vec::new();
    };
    if d.started {
        if action == Some(PromptCommand::Cancel) && d.outcome.is_some() {
            app.overlay = None;
        }
        return Vec::new();
    }
    match (action, key.code) {
        (Some(PromptCommand::Cancel), _) => app.overlay = None,
        (_, KeyCode::Tab) => d.delete_old = !d.delete_old,
        (Some(PromptCommand::Confirm), _) => {
            if read_only {
                return Vec::new();
            }
            d.started = true;
            let is_own = own.as_deref() == Some(d.user.as_str());
            let code = d.code.text.trim().to_string();
            let options = RotateOptions {
                user: (!is_own).then(|| d.user.clone()),
                key: d.key.clone(),
                retire: if d.delete_old {
                    Retire::Delete
                } else {
                    Retire::Deactivate
                },
                delete_first: d.delete_first.clone(),
                // Only the AWS backend signs with a credentials-file profile; the engine writes
                // it only when it holds the rotated key.
                profile: (is_own && kind == "aws")
                    .then(CredentialsFile::default_path)
                    .flatten()
                    .map(|file| ProfileTarget {
                        file,
                        profile: profile_name.unwrap_or_else(|| "default".into()),
                    }),
                mfa: (!code.is_empty()).then(|| MfaCode {
                    serial: None,
                    code: code.clone(),
                }),
                previous_code: app.last_mfa_code.clone(),
                wait: wait_limit,
                recovery_dir: Some(crate::credentials::rotate::default_recovery_dir()),
            };
            if !code.is_empty() {
                app.last_mfa_code = Some(code);
            }
            let generation = d.generation;
            return vec![Effect::Rotate {
                generation,
                backend,
                options: Box::new(options),
            }];
        }
        (_, KeyCode::Char(c)) if c.is_ascii_digit() => d.code.insert(c),
        (_, KeyCode::Backspace) => d.code.backspace(),
        _ => {}
    }
    Vec::new()
}

fn mfa_key(app: &mut App, key: KeyEvent, action: Option<PromptCommand>) -> Vec<Effect> {
    let Some(Overlay::Mfa(d)) = &mut app.overlay else {
        return Vec::new();
    };
    match (action, key.code) {
        (Some(PromptCommand::Cancel), _) => {
            let dangling = (!d.done && !d.busy)
                .then(|| d.device.as_ref().map(|m| m.serial_number.clone()))
                .flatten();
            app.overlay = None;
            // A device created but never enabled is deleted, so nothing dangles.
            if let Some(serial) = dangling {
                return loads::issue(app, Purpose::MfaCleanup, Call::DeleteVirtualMfa { serial });
            }
        }
        _ if d.busy || d.done || (d.device.is_none() && d.resync.is_none()) => {}
        (Some(PromptCommand::Confirm), _) => {
            let (code1, code2) = (
                d.code1.text.trim().to_string(),
                d.code2.text.trim().to_string(),
            );
            if code1.len() != 6 || code2.len() != 6 {
                d.message = Some(
                    "type two consecutive six-digit codes (Tab: code 2, Shift-Tab: code 1)".into(),
                );
                return Vec::new();
            }
            if code1 == code2 {
                d.message = Some("the two codes must be consecutive: wait for the next one".into());
                return Vec::new();
            }
            let user = d.user.clone();
            d.busy = true;
            let (purpose, call) = if let Some(serial) = d.resync.clone() {
                d.message = Some("resynchronising…".into());
                let call = Call::ResyncMfa {
                    user,
                    serial,
                    code1,
                    code2,
                };
                (Purpose::MfaResynced, call)
            } else {
                let serial = d.device.as_ref().map(|m| m.serial_number.clone());
                let serial = serial.unwrap_or_default();
                d.message = Some("enabling…".into());
                let purpose = Purpose::MfaEnabled {
                    serial: serial.clone(),
                };
                (
                    purpose,
                    Call::EnableMfa {
                        user,
                        serial,
                        code1,
                        code2,
                    },
                )
            };
            return loads::issue(app, purpose, call);
        }
        // Tab and Shift-Tab go to code 2 and code 1 from wherever the focus is (after the
        // automatic move to code 2, Tab stays there rather than going back to a full code 1).
        (_, KeyCode::Tab) => d.focus = 1,
        (_, KeyCode::BackTab) => d.focus = 0,
        (_, KeyCode::Char('r')) => d.revealed = !d.revealed,
        (_, KeyCode::Char(c)) if c.is_ascii_digit() => {
            let field = if d.focus == 0 {
                &mut d.code1
            } else {
                &mut d.code2
            };
            if field.text.len() >= 6 {
                // Never dropped silently: say why the digit went nowhere.
                d.message = Some(if d.focus == 0 {
                    "code 1 has six digits: Backspace corrects it, Tab goes to code 2".into()
                } else {
                    "code 2 has six digits: Backspace corrects it, Enter sends both".into()
                });
            } else {
                field.insert(c);
                if d.focus == 0 && d.code1.text.len() == 6 && d.code2.text.len() < 6 {
                    d.focus = 1;
                }
            }
        }
        (_, KeyCode::Backspace) if d.focus == 0 => d.code1.backspace(),
        (_, KeyCode::Backspace) => d.code2.backspace(),
        _ => {}
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    use secrecy::ExposeSecret;

    use crate::app::harness::{Harness, demo_at, overlay, totp_codes};
    use crate::iam::MfaAssignment;

    /// The seed of the device the open enrolment dialog made.
    fn seed(h: &Harness) -> String {
        let dev = overlay!(h, Mfa).device.as_ref().unwrap_or_else(|| {
            panic!("no device made: {}", h.screen(120, 40));
        });
        dev.seed_base32.expose_secret().to_string()
    }

    fn codes_typed(h: &Harness) -> (String, String, usize) {
        let d = overlay!(h, Mfa);
        (d.code1.text.clone(), d.code2.text.clone(), d.focus)
    }

    #[tokio::test]
    async fn enrolling_over_an_abandoned_device_replaces_it_and_enrols() {
        // The demo's chloe.kim began an enrolment and left her device unassigned.
        let mut h = Harness::demo().await;
        let leftover = "arn:aws:iam::123456789012:mfa/chloe.kim";
        h.command("users chloe").await;
        h.key(KeyCode::Char('E')).await;
        h.assert_shows(&format!("Replaced the unused device {leftover}"), true);
        h.assert_shows("already exists", false);
        let (c1, c2) = totp_codes(&seed(&h));
        h.submit(&format!("{c1}{c2}")).await;
        h.assert_shows("MFA enabled for chloe.kim", true);
        let hers = h.mfa_of("chloe.kim").await;
        assert_eq!(hers.len(), 1);
        assert_eq!(hers[0].serial_number, leftover);
        let unassigned = h.virtual_serials(MfaAssignment::Unassigned).await;
        assert!(unassigned.is_empty(), "{unassigned:?}");

        // Her device is now in use: enrolling again does not touch it and says why.
        h.key(KeyCode::Esc).await;
        h.key(KeyCode::Char('E')).await;
        let d = overlay!(h, Mfa);
        let said = d.message.clone().unwrap_or_default();
        assert!(
            said.starts_with(&format!(
                "{leftover} is assigned to chloe.kim: deactivate it first"
            )),
            "{said}"
        );
        assert!(d.done && d.device.is_none(), "{said}");
        assert_eq!(h.mfa_of("chloe.kim").await.len(), 1);
    }

    #[tokio::test]
    async fn ctrl_d_deletes_an_unassigned_device_in_the_mfa_view() {
        let mut h = Harness::demo().await;
        let leftover = "arn:aws:iam::123456789012:mfa/chloe.kim";
        h.command("mfa chloe").await;
        h.assert_shows("(unassigned)", true);
        h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
        h.assert_shows(&format!("Delete {leftover}? It is assigned to"), true);
        h.key(KeyCode::Char('y')).await;
        let all = h.virtual_serials(MfaAssignment::Any).await;
        assert!(!all.iter().any(|s| s == leftover), "{all:?}");
        // The view reloaded without it.
        h.assert_shows("(unassigned)", false);
        h.assert_shows(&format!("Deleted {leftover}"), true);
    }

    #[tokio::test]
    async fn tab_after_the_move_to_code_2_keeps_every_digit() {
        let mut h = demo_at("users aaron").await;
        h.key(KeyCode::Char('E')).await;
        let (c1, c2) = totp_codes(&seed(&h));
        h.assert_shows("Tab: code 2 · Shift-Tab: code 1", true);
        h.type_text(&c1).await;
        assert_eq!(codes_typed(&h), (c1.clone(), String::new(), 1));
        // Tab as the footer says: already on code 2, it stays there.
        h.key(KeyCode::Tab).await;
        h.type_text(&c2).await;
        assert_eq!(codes_typed(&h), (c1.clone(), c2.clone(), 1));
        // Back to a full code 1: a digit typed there goes nowhere, and says so.
        h.key(KeyCode::BackTab).await;
        h.type_text("7").await;
        assert_eq!(codes_typed(&h), (c1.clone(), c2.clone(), 0));
        h.assert_shows("code 1 has six digits", true);
        h.key(KeyCode::Enter).await;
        h.assert_shows("MFA enabled for aaron.bell", true);
    }

    #[tokio::test]
    async fn each_mfa_dialog_footer_says_what_esc_does() {
        let mut h = demo_at("users aaron").await;
        h.key(KeyCode::Char('E')).await;
        h.assert_shows("Esc cancels (the new device is deleted)", true);
        h.key(KeyCode::Esc).await;
        // alice.nguyen's device is in use: resynchronising it deletes nothing.
        h.command("mfa alice").await;
        h.key(KeyCode::Char('Y')).await;
        h.assert_shows("Resynchronise MFA for alice.nguyen", true);
        h.assert_shows(
            "Enter resynchronises · Tab: code 2 · Shift-Tab: code 1 · Esc cancels",
            true,
        );
        h.assert_shows("deleted", false);
        h.key(KeyCode::Esc).await;
        assert_eq!(h.mfa_of("alice.nguyen").await.len(), 1);
    }

    #[tokio::test]
    async fn the_csv_is_saved_where_asked_owner_only_and_never_over_a_file() {
        let mut h = Harness::demo().await;
        h.key(KeyCode::Char('K')).await;
        let d = overlay!(h, NewKey);
        let id = d.key.key.access_key_id.clone();
        let secret = d.key.secret_access_key.expose_secret().to_string();
        h.key(KeyCode::Char('v')).await;
        // Offered in the data directory, not wherever the console runs.
        let offered = crate::config::Paths::from_env()
            .unwrap()
            .data_dir()
            .join("aaron.bell_accessKeys.csv");
        assert_eq!(
            overlay!(h, NewKey).csv.as_ref().map(|i| i.text.clone()),
            Some(offered.display().to_string())
        );
        h.assert_shows("save CSV to: ", true);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.csv");
        h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
        h.submit(&path.display().to_string()).await;
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!("Access key ID,Secret access key\n{id},{secret}\n")
        );
        #[cfg(unix)]
        assert_eq!(crate::credentials::file::tests::mode(&path), 0o600);
        h.assert_shows(&format!("saved {}", path.display()), true);

        // The same path again: refused, the file kept, the dialog (and its secret) still open.
        std::fs::write(&path, "mine").unwrap();
        h.key(KeyCode::Char('v')).await;
        h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
        h.submit(&path.display().to_string()).await;
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        h.assert_shows(&format!("{} exists: not overwritten", path.display()), true);
        assert!(
            overlay!(h, NewKey).csv.is_some(),
            "the path can be typed again"
        );
        h.assert_screen((120, 40), &[], &[&secret]);
    }
}
