//! Access keys and MFA in the console: create (secret shown once), deactivate/reactivate,
//! delete, rotate with every step visible, enrol a virtual MFA device with a QR code.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use secrecy::ExposeSecret;

use super::Load;
use super::calls::{Call, Reply};
use super::detail::RowRef;
use super::loads;
use super::message::{Effect, RotationUpdate};
use super::nav::Screen;
use super::overlay::{Confirm, Input, MfaDialog, NewKeyDialog, Overlay, Pending, RotationDialog};
use super::state::{App, Purpose};
use super::table::Target;
use crate::commands::PromptCommand;
use crate::credentials::file::CredentialsFile;
use crate::credentials::rotate::{MfaCode, ProfileTarget, Retire, RotateOptions};
use crate::iam::{BackendError, Credentials, KeyStatus};

/// The access key the selection stands for: `(user, key id)`.
pub fn selected_key(app: &App) -> Option<(String, String)> {
    match app.nav.current() {
        Screen::List(l) => l.selected_row().and_then(|r| r.access_key.clone()),
        Screen::Detail(d) => {
            let Target::User(user) = &d.target else {
                return None;
            };
            let (rows, _) = super::detail::rows(&d.detail, &d.target, d.tab(), app.now());
            match rows.get(d.selected).map(|r| &r.what) {
                Some(RowRef::Key(id)) => Some((user.clone(), id.clone())),
                _ => None,
            }
        }
    }
}

/// The MFA device the selection stands for: `(user, serial)`.
pub fn selected_mfa(app: &App) -> Option<(String, String)> {
    match app.nav.current() {
        Screen::Detail(d) => {
            let Target::User(user) = &d.target else {
                return None;
            };
            let (rows, _) = super::detail::rows(&d.detail, &d.target, d.tab(), app.now());
            match rows.get(d.selected).map(|r| &r.what) {
                Some(RowRef::Mfa(serial)) => Some((user.clone(), serial.clone())),
                _ => None,
            }
        }
        Screen::List(l) if l.kind == crate::commands::palette::ViewKind::Mfa => {
            l.selected_row().and_then(|r| match (&r.target, &r.arn) {
                (Some(Target::User(u)), Some(serial)) => Some((u.clone(), serial.clone())),
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
    let Screen::Detail(d) = app.nav.current() else {
        return None;
    };
    if d.target != Target::User(user.to_string()) {
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
        Screen::Detail(d) if d.target == Target::User(user.to_string()) => {
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
    match app.nav.current() {
        Screen::List(l) => match l.selected_row().and_then(|r| r.target.clone()) {
            Some(Target::User(u)) => Some(u),
            _ => None,
        },
        Screen::Detail(d) => match &d.target {
            Target::User(u) => Some(u.clone()),
            _ => None,
        },
    }
}

/// The caller's own IAM user name, from its ARN.
fn own_user(app: &App) -> Option<String> {
    let Load::Loaded(id) = app.identity.state() else {
        return None;
    };
    let (_, resource) = id.arn.rsplit_once(':')?;
    resource
        .strip_prefix("user/")
        .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
}

fn confirm(app: &mut App, title: String, line: String, pending: Pending) {
    app.overlay = Some(Overlay::Confirm(Box::new(Confirm {
        title,
        lines: vec![line, "Enter or y confirms; Esc cancels.".into()],
        expect: None,
        input: Input::default(),
        blocked: false,
        checking: None,
        pending,
    })));
}

pub fn create_key(app: &mut App) -> Vec<Effect> {
    let Some(user) = selected_user(app) else {
        app.set_error("select a user to create an access key for");
        return Vec::new();
    };
    let mut out = Vec::new();
    app.set_status(format!("creating an access key for {user}…"));
    out.extend(loads::issue(
        app,
        Purpose::NewKey { user: user.clone() },
        Call::CreateAccessKey { user },
    ));
    out
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
    confirm(
        app,
        format!("{verb} access key"),
        format!("{verb} {key} of {user}?"),
        Pending {
            what: format!("{verb}d {key}"),
            calls: vec![Call::UpdateAccessKey {
                user,
                key_id: key,
                status,
            }],
            leave_detail: false,
        },
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
            pending: Pending {
                what: format!("Deleted {key}"),
                calls: vec![Call::DeleteAccessKey { user, key_id: key }],
                leave_detail: false,
            },
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
        confirm(
            app,
            "Remove MFA device".into(),
            match mfa_required_by(app, &user) {
                Some(policy) => format!(
                    "Deactivate {serial} for {user}? {policy} requires MFA: {user} will lose access until a new device is enrolled."
                ),
                None => format!(
                    "Deactivate {serial} for {user}? If a policy requires MFA, {user} loses access until a new device is enrolled."
                ),
            },
            Pending {
                what: format!("Removed {serial} from {user}"),
                calls,
                leave_detail: false,
            },
        );
        return Some(Vec::new());
    }
    None
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
    app.overlay = Some(Overlay::Mfa(Box::new(MfaDialog {
        user: user.clone(),
        device: None,
        account,
        revealed: false,
        code1: Input::default(),
        code2: Input::default(),
        focus: 0,
        busy: true,
        message: Some("creating the virtual device…".into()),
        done: false,
        resync: None,
    })));
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
    app.overlay = Some(Overlay::Mfa(Box::new(MfaDialog {
        user,
        device: None,
        account: String::new(),
        revealed: false,
        code1: Input::default(),
        code2: Input::default(),
        focus: 0,
        busy: false,
        message: Some(format!(
            "Resynchronise {serial}: type two consecutive codes the device shows."
        )),
        done: false,
        resync: Some(serial),
    })));
    Vec::new()
}

/// Replies to the calls above.
pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    let error = |e: &BackendError| crate::ui::error_text(e);
    match (purpose, result) {
        (Purpose::NewKey { user }, Ok(Reply::NewKey(key))) => {
            app.status = None;
            app.overlay = Some(Overlay::NewKey(Box::new(NewKeyDialog {
                user,
                key,
                revealed: false,
                message: None,
                profile: None,
            })));
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
                    d.message = Some(
                        "Scan the code with an authenticator app, then type two consecutive codes."
                            .into(),
                    );
                }
                Ok(_) => {}
                Err(e) => {
                    d.message = Some(error(&e));
                    d.done = true;
                }
            }
            Vec::new()
        }
        (Purpose::MfaEnabled { serial }, result) => {
            let failed = result.as_ref().err().map(error);
            if let Some(Overlay::Mfa(d)) = &mut app.overlay {
                d.busy = false;
                d.done = true;
                d.message = Some(match &failed {
                    None => format!("MFA enabled for {}. Esc closes.", d.user),
                    Some(e) => format!(
                        "{e}. The unassigned device was deleted; Esc closes and E tries again."
                    ),
                });
            }
            let mut out = Vec::new();
            if failed.is_some() {
                out.extend(loads::issue(
                    app,
                    Purpose::MfaCleanup,
                    Call::DeleteVirtualMfa { serial },
                ));
            } else {
                out.extend(loads::reload(app));
            }
            out
        }
        (Purpose::MfaResynced, result) => {
            if let Some(Overlay::Mfa(d)) = &mut app.overlay {
                d.busy = false;
                d.done = true;
                d.message = Some(match &result {
                    Ok(_) => "Resynchronised. Esc closes.".into(),
                    Err(e) => format!("{}. Esc closes.", error(e)),
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
        app.overlay = Some(Overlay::NewKey(Box::new(NewKeyDialog {
            user: report.user.clone(),
            key: report.new_key,
            revealed: false,
            message: Some("Rotated. The old key is retired; hand this one over.".into()),
            profile: None,
        })));
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
            app.overlay = Some(Overlay::NewKey(Box::new(NewKeyDialog {
                user: state.user.clone(),
                key,
                revealed: false,
                message: Some(
                    "The rotation failed and this new key's secret could not be saved: copy it now."
                        .into(),
                ),
                profile: None,
            })));
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
    match b.with_credentials(Credentials {
        access_key_id: key.key.access_key_id.clone(),
        secret_access_key: key.secret_access_key.clone(),
        session_token: None,
        expiration: None,
    }) {
        Ok(next) => {
            let g = app.backend.begin();
            app.backend.finish(g, Ok(next));
        }
        Err(e) => app.set_error(error_of(&e)),
    }
}

fn error_of(e: &BackendError) -> String {
    crate::ui::error_text(e)
}

/// Keys while a key, rotation or MFA dialog is open.
pub fn dialog_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = super::actions::dialog_action(app, key);
    match &app.overlay {
        Some(Overlay::NewKey(_)) => new_key_key(app, key, action),
        Some(Overlay::Rotation(_)) => rotation_key(app, key, action),
        Some(Overlay::Mfa(_)) => mfa_key(app, key, action),
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
    if let Some(input) = &mut d.profile {
        match action {
            Some(PromptCommand::Cancel) => d.profile = None,
            Some(PromptCommand::Confirm) => {
                let profile = input.text.trim().to_string();
                d.profile = None;
                d.message = Some(write_profile(d, &profile));
            }
            _ => {
                super::actions::edit_input(input, key);
            }
        }
        return Vec::new();
    }
    match (action, key.code) {
        (Some(PromptCommand::Cancel), _) => {
            // Dropping the dialog drops the secret (SecretString zeroizes its memory).
            app.overlay = None;
            Vec::new()
        }
        (_, KeyCode::Char('r')) => {
            d.revealed = !d.revealed;
            Vec::new()
        }
        (_, KeyCode::Char('c')) => {
            d.message = Some("secret copied to the clipboard".into());
            vec![Effect::Clipboard(
                d.key.secret_access_key.expose_secret().to_string(),
            )]
        }
        (_, KeyCode::Char('e')) => {
            d.message = Some("environment lines copied to the clipboard".into());
            vec![Effect::Clipboard(env_lines(d))]
        }
        (_, KeyCode::Char('p')) => {
            d.profile = Some(Input::with(&d.user));
            Vec::new()
        }
        (_, KeyCode::Char('v')) => {
            d.message = Some(write_csv(d));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Writes the key into a credentials-file profile (atomically, with a backup).
fn write_profile(d: &NewKeyDialog, profile: &str) -> String {
    if profile.is_empty() || profile.contains([']', '[', '\n']) {
        return "type a profile name".into();
    }
    let Some(path) = CredentialsFile::default_path() else {
        return "no credentials file: set AWS_SHARED_CREDENTIALS_FILE or HOME".into();
    };
    let result = CredentialsFile::load(&path).and_then(|f| {
        let text = f.with_keys(
            profile,
            &d.key.key.access_key_id,
            d.key.secret_access_key.expose_secret(),
        );
        f.write(&text)
    });
    match result {
        Ok(_) => format!("written to profile [{profile}] in {}", path.display()),
        Err(e) => e.to_string(),
    }
}

/// The CSV the AWS console offers for a new key, written 0600 in the current directory.
fn write_csv(d: &NewKeyDialog) -> String {
    let path = std::path::PathBuf::from(format!("{}_accessKeys.csv", d.user));
    let text = format!(
        "Access key ID,Secret access key\n{},{}\n",
        d.key.key.access_key_id,
        d.key.secret_access_key.expose_secret()
    );
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    match open
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
    {
        Ok(()) => format!("saved {}", path.display()),
        Err(e) => format!("cannot save {}: {e}", path.display()),
    }
}

fn rotation_key(app: &mut App, key: KeyEvent, action: Option<PromptCommand>) -> Vec<Effect> {
    let own = own_user(app);
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
        (Some(PromptCommand::Cancel), _) => {
            app.overlay = None;
            Vec::new()
        }
        (_, KeyCode::Tab) => {
            d.delete_old = !d.delete_old;
            Vec::new()
        }
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
            vec![Effect::Rotate {
                generation,
                backend,
                options: Box::new(options),
            }]
        }
        (_, KeyCode::Char(c)) if c.is_ascii_digit() => {
            d.code.insert(c);
            Vec::new()
        }
        (_, KeyCode::Backspace) => {
            d.code.backspace();
            Vec::new()
        }
        _ => Vec::new(),
    }
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
            match dangling {
                Some(serial) => {
                    loads::issue(app, Purpose::MfaCleanup, Call::DeleteVirtualMfa { serial })
                }
                None => Vec::new(),
            }
        }
        _ if d.busy || d.done || (d.device.is_none() && d.resync.is_none()) => Vec::new(),
        (Some(PromptCommand::Confirm), _) => {
            let (c1, c2) = (
                d.code1.text.trim().to_string(),
                d.code2.text.trim().to_string(),
            );
            if c1.len() != 6 || c2.len() != 6 {
                d.message =
                    Some("type two consecutive six-digit codes (Tab moves between them)".into());
                return Vec::new();
            }
            if c1 == c2 {
                d.message = Some("the two codes must be consecutive: wait for the next one".into());
                return Vec::new();
            }
            if let Some(serial) = d.resync.clone() {
                d.busy = true;
                d.message = Some("resynchronising…".into());
                let user = d.user.clone();
                return loads::issue(
                    app,
                    Purpose::MfaResynced,
                    Call::ResyncMfa {
                        user,
                        serial,
                        code1: c1,
                        code2: c2,
                    },
                );
            }
            let serial = d
                .device
                .as_ref()
                .map(|m| m.serial_number.clone())
                .unwrap_or_default();
            d.busy = true;
            d.message = Some("enabling…".into());
            let user = d.user.clone();
            loads::issue(
                app,
                Purpose::MfaEnabled {
                    serial: serial.clone(),
                },
                Call::EnableMfa {
                    user,
                    serial,
                    code1: c1,
                    code2: c2,
                },
            )
        }
        (_, KeyCode::Tab | KeyCode::BackTab) => {
            d.focus = 1 - d.focus;
            Vec::new()
        }
        (_, KeyCode::Char('r')) => {
            d.revealed = !d.revealed;
            Vec::new()
        }
        (_, KeyCode::Char(c)) if c.is_ascii_digit() => {
            let field = if d.focus == 0 {
                &mut d.code1
            } else {
                &mut d.code2
            };
            if field.text.len() < 6 {
                field.insert(c);
            }
            if d.focus == 0 && d.code1.text.len() == 6 {
                d.focus = 1;
            }
            Vec::new()
        }
        (_, KeyCode::Backspace) => {
            let field = if d.focus == 0 {
                &mut d.code1
            } else {
                &mut d.code2
            };
            field.backspace();
            Vec::new()
        }
        _ => Vec::new(),
    }
}
