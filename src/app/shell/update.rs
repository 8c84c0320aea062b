//! The one place state changes: a message in, effects out. No I/O, so it is tested directly.

use ratatui::crossterm::event::Event;

use super::actions;
use super::loads;
use super::message::{Effect, Message};
use super::overlay::Overlay;
use super::state::{App, Exit};
use crate::app::browse::views;

/// The effects to run when the console opens.
pub fn start(app: &mut App) -> Vec<Effect> {
    vec![Effect::Connect {
        generation: app.backend.begin(),
    }]
}

/// A console the account itself made read-only (another iamtui holds the file, its
/// permissions) says why at once; one asked to be read-only does not repeat it.
fn announce_read_only(app: &mut App) {
    let showing_error = app.status.as_ref().is_some_and(|s| s.error);
    if let Some(reason) = app.info.read_only_reason.clone()
        && !app.options.read_only
        && !showing_error
    {
        app.set_status(reason);
    }
}

pub fn update(app: &mut App, message: Message) -> Vec<Effect> {
    let mut force = true;
    let mut effects = match message {
        Message::Input(Event::Key(key)) => actions::on_key(app, key),
        Message::Input(Event::Paste(text)) => {
            paste(app, &text);
            Vec::new()
        }
        // Resize and the rest need no state change; the loop redraws after every message.
        Message::Input(_) => Vec::new(),
        Message::Tick => Vec::new(),
        Message::Connected { generation, result } => {
            let backend = result.as_ref().ok().cloned();
            if let Err(err) = &result {
                tracing::warn!(%err, "could not connect");
            }
            if !app.backend.finish(generation, result) {
                return Vec::new();
            }
            match backend {
                Some(backend) => {
                    app.info = backend.info();
                    tracing::info!(info = ?app.info, "connected");
                    announce_read_only(app);
                    let mut out = vec![Effect::Whoami {
                        backend,
                        generation: app.identity.begin(),
                    }];
                    let first = app.initial_view;
                    out.extend(actions::open_view(app, first, None));
                    out
                }
                None => Vec::new(),
            }
        }
        Message::Identity { generation, result } => {
            match &result {
                Ok(id) => tracing::info!(arn = %id.arn, "caller identity"),
                Err(err) => {
                    tracing::warn!(%err, "whoami failed");
                    app.set_error(crate::ui::error_text(err));
                }
            }
            let ok = result.is_ok();
            app.identity.finish(generation, result);
            // A start-up profile with role_arn and mfa_serial: ask for the code now.
            match app.assume.startup_assume.take() {
                Some(role) if ok => crate::app::assume::open(app, Some(role)),
                _ => Vec::new(),
            }
        }
        Message::Reply { id, result } => {
            force = false;
            loads::on_reply(app, id, result)
        }
        Message::Rotation { generation, update } => {
            crate::app::keys::on_rotation(app, generation, update)
        }
        Message::AuditLoaded(records) => {
            crate::app::audit::loaded(app, records);
            Vec::new()
        }
        Message::AuditFailed(text) => {
            app.set_error(text);
            Vec::new()
        }
        Message::TaskPanicked { task } => {
            tracing::error!(task, "background task panicked; quitting");
            app.exit = Some(Exit::Crashed);
            Vec::new()
        }
        Message::Quit => {
            app.exit.get_or_insert(Exit::Normal);
            Vec::new()
        }
        Message::Signalled(signal) => {
            app.exit.get_or_insert(Exit::Signal(signal));
            Vec::new()
        }
    };
    effects.extend(super::intent::drain(app));
    views::refresh(app, force);
    effects.extend(crate::app::browse::commands::run_deferred(app));
    effects
}

/// Pasted text goes into whatever takes text; elsewhere it is ignored (never run as keys).
fn paste(app: &mut App, text: &str) {
    let line = text.replace(['\r', '\n'], " ");
    let input = match (&mut app.prompt, &mut app.overlay) {
        (Some(p), _) => &mut p.input,
        (None, Some(Overlay::Picker(p))) => &mut p.input,
        (None, Some(Overlay::Confirm(c))) if c.expect.is_some() => &mut c.input,
        _ => return,
    };
    for c in line.chars() {
        input.insert(c);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{
        KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, ModifierKeyCode,
    };

    use super::*;
    use crate::app::Load;
    use crate::app::shell::signals::Signal;
    use crate::app::test_support::{
        alice, cli_info, connect, connected_app, identity, offline_backend,
    };
    use crate::iam::{BackendError, ErrorKind};

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Message {
        Message::Input(Event::Key(KeyEvent::new(code, modifiers)))
    }

    fn network_error() -> BackendError {
        BackendError::new(
            "GetCallerIdentity",
            ErrorKind::Network("cannot reach the endpoint".into()),
        )
    }

    #[test]
    fn quitting_keys_signals_and_panics_set_the_exit_and_nothing_else_does() {
        let release = KeyEvent {
            code: KeyCode::Char('q'),
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
        };
        let shift = KeyCode::Modifier(ModifierKeyCode::LeftShift);
        for (message, exit) in [
            (
                key(KeyCode::Char('q'), KeyModifiers::NONE),
                Some(Exit::Normal),
            ),
            (key(KeyCode::Char('c'), KeyModifiers::NONE), None),
            (
                key(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(Exit::Normal),
            ),
            (Message::Input(Event::Key(release)), None),
            (key(shift, KeyModifiers::SHIFT), None),
            (Message::Input(Event::Resize(80, 24)), None),
            (Message::Quit, Some(Exit::Normal)),
            (
                Message::Signalled(Signal::Hangup),
                Some(Exit::Signal(Signal::Hangup)),
            ),
            (
                Message::TaskPanicked { task: "whoami" },
                Some(Exit::Crashed),
            ),
        ] {
            let mut app = App::new(cli_info(false));
            update(&mut app, message);
            assert_eq!(app.exit, exit);
        }
    }

    #[test]
    fn start_connects() {
        let mut app = App::new(cli_info(false));
        let effects = start(&mut app);
        assert!(matches!(effects[..], [Effect::Connect { generation: 1 }]));
        assert!(matches!(app.backend.state(), Load::Loading));
    }

    #[test]
    fn a_failed_connection_is_kept_and_asks_nothing_more() {
        let mut app = App::new(cli_info(false));
        let err = BackendError::new("LoadProfile", ErrorKind::Credentials("no profile".into()));
        let effects = connect(&mut app, Err(err.clone()));
        assert!(effects.is_empty());
        assert!(matches!(app.backend.state(), Load::Failed(e) if *e == err));
        assert_eq!(app.identity.state(), &Load::Idle);
        assert_eq!(
            app.info,
            cli_info(false),
            "the header keeps the command line's view"
        );
    }

    #[tokio::test]
    async fn connecting_takes_the_backends_info_and_asks_whoami() {
        let mut app = App::new(cli_info(true));
        let effects = connect(&mut app, Ok(offline_backend(true).await));
        assert!(
            matches!(effects[0], Effect::Whoami { generation: 1, .. }),
            "{effects:?}"
        );
        // The first view opens and asks for its data.
        assert!(
            effects.iter().any(|e| matches!(
                e,
                Effect::Call {
                    call: crate::app::shell::calls::Call::ListUsers { marker: None },
                    ..
                }
            )),
            "{effects:?}"
        );
        assert_eq!(app.identity.state(), &Load::Loading);
        assert_eq!(app.info.source, "endpoint http://127.0.0.1:1");
        assert_eq!(app.info.region.as_deref(), Some("us-east-1"));
        assert!(app.info.read_only);
    }

    #[tokio::test]
    async fn whoami_result_lands_in_state() {
        let mut app = connected_app(false).await;
        identity(&mut app, 1, Ok(alice()));
        assert_eq!(app.identity.loaded(), Some(&alice()));
    }

    #[tokio::test]
    async fn whoami_error_lands_in_state_and_stale_replies_do_not() {
        let mut app = connected_app(false).await;
        identity(&mut app, 0, Ok(alice()));
        assert_eq!(app.identity.state(), &Load::Loading);
        identity(&mut app, 1, Err(network_error()));
        assert_eq!(app.identity.state(), &Load::Failed(network_error()));
    }
}
