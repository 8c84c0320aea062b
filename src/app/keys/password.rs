//! A user's console password: set (generated to the account's password policy, or typed) or
//! reset, then shown once; `ctrl-d` on the password row deletes it.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::Purpose;
use crate::app::shell::actions::{Field, field_key};
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::overlay::{Input, Overlay, PasswordDialog};
use crate::app::shell::state::App;
use crate::commands::PromptCommand;
use crate::iam::{BackendError, Password};

/// `P`: opens the dialog for `user` and reads what it needs (whether a password exists, the
/// account's password policy).
pub fn open(app: &mut App, user: String) -> Vec<Effect> {
    app.overlay = Some(Overlay::Password(Box::new(PasswordDialog {
        user: user.clone(),
        exists: None,
        policy: None,
        typed: None,
        reset_required: true,
        busy: false,
        set: None,
        revealed: false,
        message: None,
    })));
    loads::issue_all(
        app,
        [
            (
                Purpose::PasswordState { user: user.clone() },
                Call::LoginProfile { user },
            ),
            (Purpose::PasswordPolicy, Call::GetPasswordPolicy),
        ],
    )
}

/// The dialog open for `user`, if it still is.
fn dialog<'a>(app: &'a mut App, user: Option<&str>) -> Option<&'a mut PasswordDialog> {
    match &mut app.overlay {
        Some(Overlay::Password(d)) if user.is_none_or(|u| d.user == u) => Some(d),
        _ => None,
    }
}

pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    let error = |e: &BackendError| crate::ui::error_text(e);
    match purpose {
        Purpose::PasswordState { user } => {
            let Some(d) = dialog(app, Some(&user)) else {
                return Vec::new();
            };
            match result {
                Ok(Reply::LoginProfile(p)) => d.exists = Some(p.is_some()),
                Ok(_) => {}
                Err(e) => d.message = Some(error(&e)),
            }
        }
        Purpose::PasswordPolicy => {
            let Some(d) = dialog(app, None) else {
                return Vec::new();
            };
            match result {
                Ok(Reply::PasswordPolicy(p)) => d.policy = Some(p),
                Ok(_) => {}
                // Unreadable: the password is generated to IAM's default, which IAM may refuse.
                Err(e) => {
                    d.policy = Some(None);
                    d.message = Some(format!("password policy unknown: {}", error(&e)));
                }
            }
        }
        Purpose::PasswordSet { user, password } => {
            let Some(d) = dialog(app, Some(&user)) else {
                return loads::reload(app);
            };
            d.busy = false;
            match result {
                Ok(_) => {
                    d.message = Some(format!(
                        "Console password set for {user}{}. It is shown only now.",
                        if d.reset_required {
                            "; it must be changed at the next sign-in"
                        } else {
                            ""
                        }
                    ));
                    d.set = Some(password);
                    d.typed = None;
                    d.exists = Some(true);
                    return loads::reload(app);
                }
                // The typed text stays, to be corrected.
                Err(e) => d.message = Some(error(&e)),
            }
        }
        _ => {}
    }
    Vec::new()
}

pub fn on_key(app: &mut App, key: KeyEvent, action: Option<PromptCommand>) -> Vec<Effect> {
    let Some(d) = dialog(app, None) else {
        return Vec::new();
    };
    if d.set.is_some() {
        match (action, key.code) {
            // Dropping the dialog drops the password (SecretString zeroizes its memory).
            (Some(PromptCommand::Cancel), _) => app.overlay = None,
            (_, KeyCode::Char('r')) => d.revealed = !d.revealed,
            (_, KeyCode::Char('c')) => {
                let text = d.set.as_ref().map(|p| p.expose().to_string());
                d.message = Some("password copied to the clipboard".into());
                return text.map(Effect::Clipboard).into_iter().collect();
            }
            _ => {}
        }
        return Vec::new();
    }
    if key.code == KeyCode::Tab {
        d.reset_required = !d.reset_required;
        return Vec::new();
    }
    if d.busy {
        return Vec::new();
    }
    let typed = match field_key(&mut d.typed, key, action) {
        Some(Field::Entered(text)) => Some(text),
        Some(Field::Typed | Field::Closed) => return Vec::new(),
        None => None,
    };
    match (typed, action, key.code) {
        (Some(text), _, _) => apply(app, Password::new(text)),
        (None, Some(PromptCommand::Cancel), _) => {
            app.overlay = None;
            Vec::new()
        }
        (None, Some(PromptCommand::Confirm), _) => {
            let Some(policy) = d.policy.clone() else {
                d.message = Some("reading the password policy… Enter again".into());
                return Vec::new();
            };
            let password = Password::new(crate::credentials::password::generate(policy.as_ref()));
            apply(app, password)
        }
        (None, _, KeyCode::Char('t')) => {
            d.typed = Some(Input::default());
            d.message = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Creates the password, or replaces the one the user has.
fn apply(app: &mut App, password: Password) -> Vec<Effect> {
    let Some(d) = dialog(app, None) else {
        return Vec::new();
    };
    let Some(exists) = d.exists else {
        d.message = Some("checking whether the user has a password… Enter again".into());
        return Vec::new();
    };
    d.busy = true;
    d.message = Some("setting the password…".into());
    let (user, reset) = (d.user.clone(), d.reset_required);
    let call = if exists {
        Call::UpdateLoginProfile {
            user: user.clone(),
            password: Some(password.clone()),
            reset_required: Some(reset),
        }
    } else {
        Call::CreateLoginProfile {
            user: user.clone(),
            password: password.clone(),
            reset_required: reset,
        }
    };
    loads::issue(app, Purpose::PasswordSet { user, password }, call)
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use crate::app::harness::{Harness, demo_at, overlay};
    use crate::backend::local::names::check_password;

    /// The user's console password as the account has it: `Some(must change)`.
    async fn profile(h: &Harness, user: &str) -> Option<bool> {
        let p = h.backend.get_login_profile(user).await.unwrap();
        p.map(|p| p.password_reset_required)
    }

    #[tokio::test]
    async fn a_generated_password_meets_the_policy_and_is_shown_once() {
        let mut h = demo_at("users jenkins").await;
        assert_eq!(profile(&h, "jenkins-ci").await, None);
        h.key(KeyCode::Char('P')).await;
        h.assert_shows("The user has no console password", true);
        h.assert_shows("Password policy: at least 14 characters", true);
        h.key(KeyCode::Enter).await;
        h.assert_shows("Console password set for jenkins-ci", true);
        assert_eq!(profile(&h, "jenkins-ci").await, Some(true));
        let password = overlay!(h, Password).set.clone().expect("the password set");
        let policy = h.backend.get_password_policy().await.unwrap();
        check_password("test", policy.as_ref(), password.expose()).unwrap();
        // Masked until revealed.
        h.assert_shows(password.expose(), false);
        h.key(KeyCode::Char('r')).await;
        h.assert_shows(password.expose(), true);
        h.key(KeyCode::Esc).await;
        assert!(h.app.overlay.is_none());
        h.assert_shows(password.expose(), false);
    }

    #[tokio::test]
    async fn a_typed_password_the_policy_refuses_keeps_the_text_and_names_each_rule() {
        let mut h = demo_at("users jenkins").await;
        h.key(KeyCode::Char('P')).await;
        h.key(KeyCode::Char('t')).await;
        h.submit("weak").await;
        h.assert_shows("Password should have at least 14", true);
        assert_eq!(
            overlay!(h, Password)
                .typed
                .as_ref()
                .map(|i| i.text.as_str()),
            Some("weak")
        );
        assert_eq!(profile(&h, "jenkins-ci").await, None);
        // Corrected, and not to be changed at the next sign-in.
        h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
        h.key(KeyCode::Tab).await;
        h.assert_shows("[ ] must change it", true);
        h.submit("Correct-Horse-Battery-9").await;
        h.assert_shows("Console password set for jenkins-ci.", true);
        assert_eq!(profile(&h, "jenkins-ci").await, Some(false));
        h.assert_shows("Correct-Horse-Battery-9", false);
    }

    #[tokio::test]
    async fn a_password_is_reset_and_deleted_from_the_credentials_tab() {
        let mut h = demo_at("users aaron").await;
        assert!(profile(&h, "aaron.bell").await.is_some());
        h.key(KeyCode::Enter).await;
        h.repeat(KeyCode::Tab, 2).await;
        h.assert_shows("console password", true);
        h.key(KeyCode::Char('P')).await;
        h.assert_shows(
            "The user has a console password: a new one replaces it",
            true,
        );
        h.key(KeyCode::Enter).await;
        h.assert_shows("Console password set for aaron.bell", true);
        assert_eq!(profile(&h, "aaron.bell").await, Some(true));
        h.key(KeyCode::Esc).await;

        // The password row is the first of the tab.
        h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
        h.assert_shows("Delete the console password of aaron.bell?", true);
        h.key(KeyCode::Char('y')).await;
        assert_eq!(profile(&h, "aaron.bell").await, None);
        h.assert_shows("Deleted the console password of aaron.bell", true);
    }
}
