//! The console's state and loop: messages in, `update`, effects out as background tasks.

pub mod account;
pub mod assume;
pub mod audit;
pub mod browse;
pub mod bulk;
pub mod cascade;
pub mod editor;
pub mod keys;
pub mod model;
pub mod providers;
pub mod roles;
pub mod shell;
pub mod versions;

pub use shell::loadable::{Load, Loadable};
pub use shell::message::{Effect, Message};
pub use shell::state::{App, Exit};
pub use shell::tasks::Connector;
pub use shell::update::update;

#[cfg(test)]
pub(crate) mod harness;

#[cfg(test)]
pub(crate) mod test_support {
    use std::sync::Arc;
    use std::time::Duration;

    use secrecy::SecretString;

    use crate::backend::ReadOnly;
    use crate::backend::aws::{AwsBackend, AwsOptions, Retries};
    use crate::iam::backend::BackendInfo;
    use crate::iam::{Backend, BackendError, Credentials, Identity};

    use super::{App, Effect, Message, update};

    /// A real backend that makes no call until asked; its endpoint is a closed local port, so
    /// a call fails fast with a network error.
    pub async fn offline_backend(read_only: bool) -> Arc<dyn Backend> {
        let backend = AwsBackend::connect(AwsOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some("http://127.0.0.1:1".into()),
            credentials: Some(Credentials {
                access_key_id: "AKIATESTING".into(),
                secret_access_key: SecretString::from("testing"),
                session_token: None,
                expiration: None,
            }),
            retries: Retries::Disabled,
            connect_timeout: Duration::from_secs(2),
            ..Default::default()
        })
        .await
        .expect("connecting makes no call");
        let backend: Arc<dyn Backend> = Arc::new(backend);
        if read_only {
            ReadOnly::wrap(backend)
        } else {
            backend
        }
    }

    pub fn cli_info(read_only: bool) -> BackendInfo {
        BackendInfo {
            kind: "aws",
            source: "profile dev".into(),
            region: None,
            read_only,
            read_only_reason: None,
        }
    }

    /// A connection begins and `result` arrives: what the console asks next.
    pub fn connect(app: &mut App, result: Result<Arc<dyn Backend>, BackendError>) -> Vec<Effect> {
        let generation = app.backend.begin();
        update(app, Message::Connected { generation, result })
    }

    /// The reply to the `whoami` of `generation`.
    pub fn identity(app: &mut App, generation: u64, result: Result<Identity, BackendError>) {
        update(app, Message::Identity { generation, result });
    }

    pub fn alice() -> Identity {
        Identity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/alice".into(),
            user_id: "AIDAALICEEXAMPLE".into(),
        }
    }

    /// An app whose backend connected and whose `whoami` is in flight.
    /// Opens on the identity view, which makes no call beyond `whoami`.
    pub async fn connected_app(read_only: bool) -> App {
        let mut app = App::new(cli_info(read_only));
        app.initial_view = crate::commands::palette::ViewKind::Whoami;
        let effects = connect(&mut app, Ok(offline_backend(read_only).await));
        assert_eq!(effects.len(), 1, "{effects:?}");
        app
    }
}

/// Rooms talk to each other only through the shell (intents, purposes, shared types) and read
/// the account through `model`: a room that imports another room fails here.
#[cfg(test)]
mod room_boundaries {
    const ROOMS: [&str; 10] = [
        "browse",
        "keys",
        "assume",
        "editor",
        "roles",
        "account",
        "versions",
        "bulk",
        "cascade",
        "providers",
    ];

    fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }

    /// The other rooms `text` names, as `file:line: path`.
    fn crossings(room: &str, file: &str, text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for other in ROOMS.iter().filter(|o| **o != room) {
                let named = [
                    format!("app::{other}"),
                    format!("super::super::{other}"),
                    format!("app::{{{other}"),
                ]
                .iter()
                .any(|p| {
                    code.match_indices(p.as_str()).any(|(i, _)| {
                        let rest = &code[i + p.len()..];
                        !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    })
                });
                // In a room's mod.rs, `super` is `app`.
                let sibling = file.ends_with("mod.rs")
                    && code.contains(&format!("super::{other}::"))
                    && !code.contains(&format!("super::super::{other}"));
                if named || sibling {
                    found.push(format!("{file}:{}: {}", n + 1, line.trim()));
                }
            }
        }
        found
    }

    #[test]
    fn no_room_imports_another_room() {
        let app = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
        let mut found = Vec::new();
        for room in ROOMS {
            let mut files = Vec::new();
            sources(&app.join(room), &mut files);
            assert!(!files.is_empty(), "no sources for room {room}");
            for (file, text) in files {
                found.extend(crossings(room, &file, &text));
            }
        }
        assert!(
            found.is_empty(),
            "rooms import other rooms:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_check_sees_a_crossing() {
        let f = "src/app/editor/save.rs";
        let assume = "src/app/assume/mod.rs";
        for (room, file, line, found) in [
            ("editor", f, "use crate::app::assume::SESSION_POLICY;", 1),
            ("editor", f, "x = super::super::keys::selected_key(app);", 1),
            ("assume", assume, "super::editor::open(app)", 1),
            ("editor", f, "use crate::app::browse::filter::Filter;", 1),
            ("editor", f, "use crate::app::model::table::Target;", 0),
            ("editor", f, "use crate::app::shell::loads;", 0),
            ("editor", f, "use crate::app::assumed;", 0),
            ("browse", f, "use crate::app::browse::commands;", 0),
        ] {
            assert_eq!(crossings(room, file, line).len(), found, "{line}");
        }
    }
}
