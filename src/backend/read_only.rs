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
    ($this:tt; read; $method:ident($($arg:ident),*)) => {
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
