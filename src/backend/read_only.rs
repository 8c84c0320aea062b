//! `--read-only` enforced in the backend layer: whatever the UI asks, no mutating call passes.

use std::path::Path;
use std::sync::Arc;

use crate::iam::error::{BackendError, Result};
use crate::iam::ops::{by_kind, impl_backend};
use crate::iam::types::*;
use crate::iam::{Backend, backend::BackendInfo};

/// Why the console runs read-only when `--read-only` asks, as refusals say it.
pub fn asked_by_flag() -> String {
    "iamtui runs read-only, as --read-only asks".into()
}

/// Why the console runs read-only when `read_only = true` in the configuration file asks.
pub fn asked_by_config(file: &Path) -> String {
    format!(
        "iamtui runs read-only, as `read_only = true` in `{}` asks",
        file.display()
    )
}

/// Wraps a backend and refuses every call that changes the account, saying why. Reads, and
/// STS calls that only mint credentials (assume role, session token), pass through.
pub struct ReadOnly {
    inner: Arc<dyn Backend>,
    reason: String,
}

impl ReadOnly {
    /// Read-only as `--read-only` asks.
    pub fn wrap(inner: Arc<dyn Backend>) -> Arc<dyn Backend> {
        Self::wrap_because(inner, asked_by_flag())
    }

    /// Read-only for `reason` (see [`asked_by_flag`], [`asked_by_config`]).
    pub fn wrap_because(inner: Arc<dyn Backend>, reason: String) -> Arc<dyn Backend> {
        Arc::new(Self { inner, reason })
    }
}

/// Forwards a read; refuses a write with its IAM name.
macro_rules! read_or_refuse {
    ($this:tt; read[$op:expr]; $method:ident($($arg:ident),*)) => {
        $this.inner.$method($($arg),*).await
    };
    ($this:tt; write[$op:expr]; $method:ident($($arg:ident),*)) => {{
        let operation = $op;
        $(let _ = $arg;)*
        Err(BackendError::read_only(operation, $this.reason.clone()))
    }};
}

impl_backend!(ReadOnly, read_or_refuse, {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            read_only: true,
            read_only_reason: Some(self.reason.clone()),
            ..self.inner.info()
        }
    }
    fn with_credentials(&self, credentials: Credentials) -> Result<Arc<dyn Backend>> {
        Ok(ReadOnly::wrap_because(
            self.inner.with_credentials(credentials)?,
            self.reason.clone(),
        ))
    }
    fn single_attempt(&self) -> Option<Arc<dyn Backend>> {
        let reason = self.reason.clone();
        self.inner
            .single_attempt()
            .map(|inner| ReadOnly::wrap_because(inner, reason))
    }
});

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::app::shell::calls::{Call, execute};
    use crate::iam::ErrorKind;

    /// Answers every operation with an error, remembering which method was called.
    #[derive(Default)]
    struct Recorder {
        seen: Mutex<Vec<&'static str>>,
    }

    macro_rules! record {
        ($this:tt; $kind:ident $([$op:expr])?; $method:ident($($arg:ident),*)) => {{
            $(let _ = $arg;)*
            $this.seen.lock().unwrap().push(stringify!($method));
            Err(BackendError::new("Recorder", ErrorKind::Unsupported(String::new())))
        }};
    }

    impl_backend!(Recorder, record, {
        fn info(&self) -> BackendInfo {
            BackendInfo {
                kind: "recorder",
                source: String::new(),
                region: None,
                read_only: false,
                read_only_reason: None,
            }
        }
        fn with_credentials(&self, _credentials: Credentials) -> Result<Arc<dyn Backend>> {
            Ok(Arc::new(Recorder::default()))
        }
    });

    /// Some value of every type a call carries.
    trait Sample {
        fn sample() -> Self;
    }
    macro_rules! sample {
        ($($ty:ty => $value:expr),* $(,)?) => {
            $(impl Sample for $ty {
                fn sample() -> Self {
                    $value
                }
            })*
        };
    }
    sample!(
        String => String::new(),
        Option<String> => None,
        Option<i32> => None,
        bool => false,
        Option<bool> => None,
        Password => Password::new("p"),
        Option<Password> => None,
        Rename => Rename::default(),
        CreateRole => CreateRole::default(),
        CreateServiceLinkedRole => CreateServiceLinkedRole::default(),
        CreatePolicy => CreatePolicy::default(),
        PasswordPolicy => PasswordPolicy::default(),
        Vec<Tag> => Vec::new(),
        Vec<String> => Vec::new(),
        Box<AssumeRoleRequest> => Box::default(),
        EntityRef => EntityRef::role("r"),
        TagTarget => TagTarget::User("u".into()),
        PolicyUsage => PolicyUsage::PermissionsPolicy,
        KeyStatus => KeyStatus::Inactive,
        CreateOidcProvider => CreateOidcProvider {
            url: "https://example.com".into(),
            client_ids: vec![],
            thumbprints: vec![],
            tags: vec![],
        },
    );

    /// Every declared operation as a call, with the trait method it must reach.
    macro_rules! every_call {
        ([] $(
            $(#[$doc:meta])*
            $kind:ident $([$op:expr])? $method:ident ($($arg:ident : $aty:ty),* $(,)?) -> $ret:ty
                => $call:ident $({ $($field:ident : $fty:ty),* $(,)? })? ($($built:expr),* $(,)?);
        )*) => {
            vec![$((Call::$call $({ $($field: Sample::sample()),* })?, stringify!($method)),)*]
        };
    }

    #[tokio::test]
    async fn refuses_every_declared_write_and_forwards_every_read() {
        let recorder = Arc::new(Recorder::default());
        let ro = ReadOnly::wrap_because(recorder.clone(), "because".into());
        let calls: Vec<(Call, &str)> = crate::iam::ops::backend_ops!([every_call]);
        let writes = calls.iter().filter(|(c, _)| c.mutates()).count();
        assert!(
            writes > 30 && calls.len() - writes > 30,
            "{writes} of {}",
            calls.len()
        );
        for (call, method) in calls {
            let label = call.label();
            let mutates = call.mutates();
            let err = execute(ro.clone(), call).await.unwrap_err();
            let seen = std::mem::take(&mut *recorder.seen.lock().unwrap());
            if mutates {
                assert_eq!(err.kind, ErrorKind::ReadOnly("because".into()), "{label}");
                assert_ne!(err.operation, "Recorder", "{label}");
                assert!(seen.is_empty(), "{label} reached the backend");
            } else {
                assert_eq!(err.operation, "Recorder", "{label}: {err}");
                assert_eq!(seen, [method], "{label}");
            }
        }
    }
}
