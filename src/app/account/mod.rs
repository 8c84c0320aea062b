//! Account settings from the console: the password policy, as a form with IAM's bounds and what
//! each setting means, and the account alias. `u` (`edit`) is the command for settings, so it
//! also sends a role's edit to the roles room.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::shell::actions::{Outcome, not_here};
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::form::{Field, Form};
use crate::app::shell::intent::Intent;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::Screen;
use crate::app::shell::overlay::{FormDialog, FormFor, Overlay, Pending};
use crate::app::shell::state::App;
use crate::commands::palette::ViewKind;
use crate::commands::{AccountCommand, PromptCommand};
use crate::iam::{BackendError, PasswordPolicy};

mod rules;

/// What an account form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    PasswordPolicy,
    /// The alias the account has (`None` until ListAccountAliases answers; `Some("")`: none).
    Alias {
        current: Option<String>,
    },
}

/// What an account reply is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// The alias, for the alias form.
    Alias,
    /// A setting saved: what to say once it is.
    Saved { what: String },
}

pub fn on_command(app: &mut App, command: AccountCommand) -> Outcome {
    match command {
        AccountCommand::Edit => edit(app),
    }
}

fn edit(app: &mut App) -> Outcome {
    let kind = match app.nav.current() {
        Screen::List(l) => l.kind,
        Screen::Detail(d) => d.target.kind.view,
    };
    match kind {
        ViewKind::Roles => {
            app.ask(Intent::EditRole);
            Outcome::Done(Vec::new())
        }
        ViewKind::Providers => {
            app.ask(Intent::EditProvider);
            Outcome::Done(Vec::new())
        }
        ViewKind::PasswordPolicy => password_policy(app).into(),
        ViewKind::Summary => alias(app).into(),
        _ => not_here(
            "edits a role (:roles), an identity provider (:providers), the password policy (:passwordpolicy) or the account alias \
             (:summary)",
        ),
    }
}

fn open(app: &mut App, title: &str, intro: Vec<String>, form: Form, purpose: FormPurpose) {
    app.overlay = Some(Overlay::Form(Box::new(FormDialog {
        title: title.into(),
        intro,
        form,
        purpose: FormFor::Account(purpose),
        busy: false,
        message: None,
    })));
}

fn password_policy(app: &mut App) -> Vec<Effect> {
    let list = app.data.list::<PasswordPolicy>();
    if list.is_none_or(|l| l.status != crate::app::model::data::Status::Complete) {
        app.set_error("the password policy is still loading");
        return Vec::new();
    }
    let current = list.and_then(|l| l.items.first().cloned());
    let exists = current.is_some();
    let mut intro = vec![
        "The rules every IAM user's console password must follow. IAM checks a password when \
         it is set: passwords set before a change stay valid until they expire."
            .to_string(),
    ];
    intro.push(if exists {
        "ctrl-d deletes the policy: IAM's default then applies (8 characters, three of \
         uppercase, lowercase, numbers and symbols)."
            .into()
    } else {
        "The account has no password policy: IAM's default applies (8 characters, three of \
         uppercase, lowercase, numbers and symbols). Saving this form sets one."
            .into()
    });
    open(
        app,
        "Password policy",
        intro,
        rules::password_policy_form(current.as_ref()),
        FormPurpose::PasswordPolicy,
    );
    Vec::new()
}

fn alias(app: &mut App) -> Vec<Effect> {
    open(
        app,
        "Account alias",
        vec![
            "The alias stands for the account id in the console's sign-in address: \
             https://ALIAS.signin.aws.amazon.com/console. An account has one at most: a new \
             alias replaces the old one. Empty removes it."
                .into(),
            "It is unique across AWS, and visible to anyone who has the address.".into(),
        ],
        Form::new(vec![
            Field::text("alias", "Alias", "")
                .check(rules::alias)
                .hint("3–63 of lowercase letters, digits and single hyphens inside"),
        ]),
        FormPurpose::Alias { current: None },
    );
    loads::issue(app, Purpose::Alias, Call::AccountAliases)
}

fn dialog(app: &mut App) -> Option<&mut FormDialog> {
    match &mut app.overlay {
        Some(Overlay::Form(d)) if matches!(d.purpose, FormFor::Account(_)) => Some(d),
        _ => None,
    }
}

pub fn on_form_key(app: &mut App, key: KeyEvent, action: Option<PromptCommand>) -> Vec<Effect> {
    let Some(d) = dialog(app) else {
        return Vec::new();
    };
    let ctrl_d = key.code == KeyCode::Char('d') && key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl_d && !d.busy && d.purpose == FormFor::Account(FormPurpose::PasswordPolicy) {
        app.confirm(
            "Delete the password policy".into(),
            "Delete the account's password policy? IAM's default applies to passwords set \
             from now on."
                .into(),
            Pending::new(
                "Deleted the password policy",
                vec![Call::DeletePasswordPolicy],
            ),
        );
        return Vec::new();
    }
    match crate::app::shell::form::dialog_key(app, key, action) {
        true => submit(app),
        false => Vec::new(),
    }
}

fn submit(app: &mut App) -> Vec<Effect> {
    let Some(d) = dialog(app) else {
        return Vec::new();
    };
    let FormFor::Account(purpose) = d.purpose.clone() else {
        return Vec::new();
    };
    let (what, call) = match purpose {
        FormPurpose::PasswordPolicy => (
            "Saved the password policy".to_string(),
            Call::UpdatePasswordPolicy {
                policy: rules::read_password_policy(&d.form),
            },
        ),
        FormPurpose::Alias { current: None } => {
            d.message = Some("reading the account's alias… Enter again".into());
            return Vec::new();
        }
        FormPurpose::Alias {
            current: Some(current),
        } => {
            let wanted = d.form.get("alias");
            match (wanted.is_empty(), current.is_empty()) {
                _ if wanted == current => {
                    d.message = Some("no change".into());
                    return Vec::new();
                }
                (true, _) => (
                    format!("Removed the account alias {current}"),
                    Call::DeleteAccountAlias { alias: current },
                ),
                (false, _) => (
                    format!("The account alias is now {wanted}"),
                    Call::CreateAccountAlias { alias: wanted },
                ),
            }
        }
    };
    d.busy = true;
    d.message = Some("saving…".into());
    loads::issue(app, Purpose::Saved { what }, call)
}

pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    match purpose {
        Purpose::Alias => {
            let Some(d) = dialog(app) else {
                return Vec::new();
            };
            match result {
                Ok(Reply::Names(aliases)) => {
                    let current = aliases.into_iter().next().unwrap_or_default();
                    // What was typed before the answer came stays.
                    if let Some(f) = d.form.fields.first_mut().filter(|f| f.as_text().is_empty()) {
                        f.value = crate::app::shell::form::Value::Text(
                            crate::app::shell::overlay::Input::with(&current),
                        );
                    }
                    d.purpose = FormFor::Account(FormPurpose::Alias {
                        current: Some(current),
                    });
                }
                Ok(_) => {}
                Err(e) => d.message = Some(crate::ui::error_text(&e)),
            }
            Vec::new()
        }
        Purpose::Saved { what } => match result {
            Ok(_) => {
                app.overlay = None;
                app.set_status(what);
                loads::reload(app)
            }
            Err(e) => {
                // The form stays as typed, with IAM's refusal under it.
                if let Some(d) = dialog(app) {
                    d.busy = false;
                    d.message = Some(format!("not saved: {}", crate::ui::error_text(&e)));
                }
                Vec::new()
            }
        },
    }
}

#[cfg(test)]
mod tests;
