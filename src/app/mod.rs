//! The console's state and loop: messages in, `update`, effects out as background tasks.

pub mod assume;
pub mod browse;
pub mod editor;
pub mod keys;
pub mod shell;

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
    use crate::iam::{Backend, Credentials, Identity};

    use super::{App, Message, update};

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
        let generation = app.backend.begin();
        let effects = update(
            &mut app,
            Message::Connected {
                generation,
                result: Ok(offline_backend(read_only).await),
            },
        );
        assert_eq!(effects.len(), 1, "{effects:?}");
        app
    }
}
