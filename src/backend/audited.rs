//! Records the writes of flows that call the backend themselves (key rotation, from the console
//! or `iamtui rotate`) in the audit trail, as the console's own calls are (see
//! [`crate::app::audit`]). Only the operation and the name of what it acts on are recorded:
//! never a key's secret or any other argument.

use std::sync::Arc;

use chrono::Utc;

use crate::app::audit::{AuditLog, Outcome, Record};
use crate::iam::error::{BackendError, Result};
use crate::iam::ops::{by_kind, impl_backend};
use crate::iam::types::*;
use crate::iam::{Backend, backend::BackendInfo};

pub struct Audited {
    inner: Arc<dyn Backend>,
    log: Arc<AuditLog>,
}

impl Audited {
    pub fn wrap(inner: Arc<dyn Backend>, log: Arc<AuditLog>) -> Arc<dyn Backend> {
        Arc::new(Self { inner, log })
    }

    /// `inner`, recording its writes in `log` when there is one and `inner` can write.
    pub fn wrap_if(inner: Arc<dyn Backend>, log: Option<Arc<AuditLog>>) -> Arc<dyn Backend> {
        match log {
            Some(log) if !inner.info().read_only => Self::wrap(inner, log),
            _ => inner,
        }
    }

    async fn record(
        &self,
        operation: &str,
        resource: Option<String>,
        error: Option<&BackendError>,
    ) {
        if self.log.caller().is_none()
            && let Ok(identity) = self.inner.whoami().await
        {
            self.log.set_caller(Some(identity.arn));
        }
        let info = self.inner.info();
        let record = Record {
            time: Utc::now(),
            caller: self.log.caller(),
            backend: info.kind.to_string(),
            source: info.source,
            operation: operation.to_string(),
            resource,
            outcome: match error {
                None => Outcome::Ok,
                Some(e) => Outcome::Error(e.to_string()),
            },
            document: None,
        };
        // A failure is in the tracing log; these flows report their own outcome.
        let _ = self.log.append(&record);
    }
}

/// The name of what a write acts on, from its first argument.
trait AuditName {
    fn audit_name(&self) -> Option<String>;
}

impl AuditName for str {
    fn audit_name(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl AuditName for Option<&str> {
    fn audit_name(&self) -> Option<String> {
        self.map(str::to_string)
    }
}

impl AuditName for EntityRef {
    fn audit_name(&self) -> Option<String> {
        let kind = match self.kind {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
        };
        Some(format!("{kind}/{}", self.name))
    }
}

/// Types whose record names nothing more precise than the operation.
macro_rules! unnamed {
    ($($ty:ty),*) => {$(
        impl AuditName for $ty {
            fn audit_name(&self) -> Option<String> {
                None
            }
        }
    )*};
}
unnamed!(TagTarget, PasswordPolicy);

impl AuditName for CreateUser {
    fn audit_name(&self) -> Option<String> {
        Some(self.name.clone())
    }
}

impl AuditName for CreateRole {
    fn audit_name(&self) -> Option<String> {
        Some(self.name.clone())
    }
}

impl AuditName for CreatePolicy {
    fn audit_name(&self) -> Option<String> {
        Some(self.name.clone())
    }
}

impl AuditName for CreateServiceLinkedRole {
    fn audit_name(&self) -> Option<String> {
        Some(self.service.clone())
    }
}

impl AuditName for CreateOidcProvider {
    fn audit_name(&self) -> Option<String> {
        Some(self.url.clone())
    }
}

macro_rules! first_name {
    () => {
        None
    };
    ($first:ident $(, $rest:ident)*) => {
        $first.audit_name()
    };
}

/// Forwards a read; forwards a write and records it.
macro_rules! forward_and_record {
    ($this:tt; read[$op:expr]; $method:ident($($arg:ident),*)) => {
        $this.inner.$method($($arg),*).await
    };
    ($this:tt; write[$op:expr]; $method:ident($($arg:ident),*)) => {{
        let operation: &'static str = $op;
        let resource: Option<String> = first_name!($($arg),*);
        let result = $this.inner.$method($($arg),*).await;
        $this.record(operation, resource, result.as_ref().err()).await;
        result
    }};
}

impl_backend!(Audited, forward_and_record, {
    fn info(&self) -> BackendInfo {
        self.inner.info()
    }
    fn with_credentials(&self, credentials: Credentials) -> Result<Arc<dyn Backend>> {
        Ok(Audited::wrap(
            self.inner.with_credentials(credentials)?,
            self.log.clone(),
        ))
    }
    fn single_attempt(&self) -> Option<Arc<dyn Backend>> {
        let log = self.log.clone();
        self.inner
            .single_attempt()
            .map(|inner| Audited::wrap(inner, log))
    }
});
