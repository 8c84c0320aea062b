//! The audit trail: every change iamtui makes, one JSON line each, appended to `audit.jsonl`
//! in the data directory. A record names when, who (the caller's ARN), which IAM operation,
//! on what, how it ended and, for policy documents, the document before and after. Secrets
//! never go there: a record is built from the call's name and the names of what it acts on,
//! never from its arguments at large (passwords, MFA codes) nor from its reply (new secret
//! access keys, MFA seeds).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::app::model::data::Status;
use crate::app::shell::calls::{self, Call, Reply};
use crate::app::shell::message::Effect;
use crate::app::shell::state::App;
use crate::iam::backend::BackendInfo;
use crate::iam::error::Result;
use crate::iam::{
    Backend, CreateOidcProvider, CreatePolicy, CreateRole, CreateServiceLinkedRole, EntityKind,
    EntityRef, TagTarget,
};

/// The file's name in the data directory.
pub const FILE_NAME: &str = "audit.jsonl";

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// RFC 3339, UTC.
    pub time: DateTime<Utc>,
    /// The ARN the change was made as, when known.
    pub caller: Option<String>,
    /// "aws" or "local".
    pub backend: String,
    /// Profile, endpoint or account file.
    pub source: String,
    /// The IAM operation (`CreateRole`, `PutUserPolicy`).
    pub operation: String,
    /// The name or ARN of what the call acts on.
    pub resource: Option<String>,
    pub outcome: Outcome,
    /// For calls that write a policy document: the document before and after, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Documents>,
}

/// `"ok"` or `{"error": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Documents {
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Record {
    /// The record of `call`, made through a backend described by `info`, that ended in `result`.
    pub fn of(
        time: DateTime<Utc>,
        caller: Option<String>,
        info: &BackendInfo,
        call: &Call,
        result: &Result<Reply>,
        before: Option<String>,
    ) -> Record {
        let after = after_document(call);
        let document =
            (before.is_some() || after.is_some() || has_document(call)).then(|| Documents {
                before: before.as_deref().map(document_value),
                after: after.map(document_value),
            });
        Record {
            time,
            caller,
            backend: info.kind.to_string(),
            source: info.source.clone(),
            operation: call.operation().to_string(),
            resource: resource(call),
            outcome: match result {
                Ok(_) => Outcome::Ok,
                Err(e) => Outcome::Error(e.to_string()),
            },
            document,
        }
    }

    /// One line for people: time, caller, operation, resource, outcome.
    pub fn human(&self) -> String {
        format!(
            "{}  {}  {}  {}  {}",
            self.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            self.caller.as_deref().unwrap_or("-"),
            self.operation,
            self.resource.as_deref().unwrap_or("-"),
            self.outcome_text(),
        )
    }

    pub fn outcome_text(&self) -> String {
        match &self.outcome {
            Outcome::Ok => "ok".into(),
            Outcome::Error(e) => format!("error: {e}"),
        }
    }
}

/// A document as JSON when it is JSON, as a string otherwise.
fn document_value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_string()))
}

fn entity_text(e: &EntityRef) -> String {
    let kind = match e.kind {
        EntityKind::User => "user",
        EntityKind::Group => "group",
        EntityKind::Role => "role",
    };
    format!("{kind}/{}", e.name)
}

fn target_text(t: &TagTarget) -> String {
    match t {
        TagTarget::User(n) => format!("user/{n}"),
        TagTarget::Role(n) => format!("role/{n}"),
        TagTarget::Policy(a)
        | TagTarget::MfaDevice(a)
        | TagTarget::OidcProvider(a)
        | TagTarget::SamlProvider(a) => a.clone(),
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}

/// What the call acts on: the first of its arguments that names something.
pub fn resource(call: &Call) -> Option<String> {
    const NAMING: [&str; 10] = [
        "entity", "target", "req", "arn", "profile", "role", "group", "name", "user", "serial",
    ];
    let fields = call.fields();
    let mut named = NAMING
        .iter()
        .filter_map(|want| fields.iter().find(|(n, _)| n == want).map(|(_, v)| *v));
    let mut text = named.next()?.to_owned_text();
    // An inline policy is named within its entity.
    if let Call::PutInline { name, .. } | Call::DeleteInline { name, .. } = call {
        text = format!("{text}/policy/{name}");
    }
    Some(text)
}

trait OwnedText {
    fn to_owned_text(&self) -> String;
}

impl OwnedText for dyn std::any::Any {
    fn to_owned_text(&self) -> String {
        if let Some(s) = self.downcast_ref::<String>() {
            s.clone()
        } else if let Some(e) = self.downcast_ref::<EntityRef>() {
            entity_text(e)
        } else if let Some(t) = self.downcast_ref::<TagTarget>() {
            target_text(t)
        } else if let Some(r) = self.downcast_ref::<CreateRole>() {
            r.name.clone()
        } else if let Some(p) = self.downcast_ref::<CreatePolicy>() {
            p.name.clone()
        } else if let Some(p) = self.downcast_ref::<CreateOidcProvider>() {
            p.url.clone()
        } else if let Some(s) = self.downcast_ref::<CreateServiceLinkedRole>() {
            s.service.clone()
        } else {
            "?".into()
        }
    }
}

/// Whether the call writes or removes a policy document.
fn has_document(call: &Call) -> bool {
    matches!(
        call,
        Call::PutInline { .. }
            | Call::DeleteInline { .. }
            | Call::UpdateTrust { .. }
            | Call::CreatePolicyVersion { .. }
            | Call::CreatePolicy { .. }
            | Call::CreateRole { .. }
    )
}

fn after_document(call: &Call) -> Option<&str> {
    match call {
        Call::PutInline { document, .. }
        | Call::UpdateTrust { document, .. }
        | Call::CreatePolicyVersion { document, .. } => Some(document),
        Call::CreatePolicy { req } => Some(&req.document),
        Call::CreateRole { req } => Some(&req.assume_role_policy),
        _ => None,
    }
}

/// The document the call replaces, read before it runs.
async fn before_document(backend: &dyn Backend, call: &Call) -> Option<String> {
    match call {
        Call::PutInline { entity, name, .. } | Call::DeleteInline { entity, name } => backend
            .get_inline_policy(entity, name)
            .await
            .ok()
            .map(|p| p.document),
        Call::UpdateTrust { role, .. } => backend
            .get_role(role)
            .await
            .ok()
            .and_then(|r| r.assume_role_policy),
        _ => None,
    }
}

/// The audit log file, shared by the tasks that make calls.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    /// The ARN of who the console is signed in as, once known.
    caller: Mutex<Option<String>>,
    /// A failure is reported once.
    failed: AtomicBool,
}

impl AuditLog {
    pub fn at(path: impl Into<PathBuf>) -> Arc<AuditLog> {
        Arc::new(AuditLog {
            path: path.into(),
            caller: Mutex::new(None),
            failed: AtomicBool::new(false),
        })
    }

    /// `audit.jsonl` in `data_dir`.
    pub fn in_dir(data_dir: &Path) -> Arc<AuditLog> {
        Self::at(data_dir.join(FILE_NAME))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn set_caller(&self, arn: Option<String>) {
        *self.caller.lock().unwrap_or_else(|e| e.into_inner()) = arn;
    }

    pub fn caller(&self) -> Option<String> {
        self.caller
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Appends one record. `Err` the first time the file cannot be written, so the failure is
    /// reported once; later failures are quiet.
    pub fn append(&self, record: &Record) -> std::result::Result<(), String> {
        match append_line(&self.path, record) {
            Ok(()) => Ok(()),
            Err(err) => {
                tracing::warn!(%err, path = %self.path.display(), "cannot write the audit log");
                if self.failed.swap(true, Ordering::SeqCst) {
                    Ok(())
                } else {
                    Err(format!(
                        "cannot write the audit log {}: {err}",
                        self.path.display()
                    ))
                }
            }
        }
    }
}

fn append_line(path: &Path, record: &Record) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_string(record).map_err(std::io::Error::other)?;
    line.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // One write per line, so concurrent consoles' lines do not interleave.
    file.write_all(line.as_bytes())
}

/// Makes `call`, and when it changes the account, appends its record to `log`. The second
/// value is a failure to write the log, the first time there is one.
pub async fn execute(
    backend: Arc<dyn Backend>,
    call: Call,
    log: Option<&AuditLog>,
) -> (Result<Reply>, Option<String>) {
    let info = backend.info();
    // A read-only backend refuses every write before it is sent: nothing changes to record.
    let Some(log) = log.filter(|_| call.mutates() && !info.read_only) else {
        return (calls::execute(backend, call).await, None);
    };
    let before = before_document(&*backend, &call).await;
    let result = calls::execute(backend, call.clone()).await;
    let record = Record::of(Utc::now(), log.caller(), &info, &call, &result, before);
    let failure = log.append(&record).err();
    (result, failure)
}

/// Every record of the file, oldest first; lines that do not parse are skipped. A missing file
/// has none.
pub fn read(path: &Path) -> std::io::Result<Vec<Record>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// Starts reading the log for `:audit`, unless it has started.
pub fn load(app: &mut App) -> Option<Effect> {
    let path = app.audit.as_ref().map(|l| l.path().to_path_buf());
    let list = app.data.list_mut::<Record>();
    if list.status.started() {
        return None;
    }
    match path {
        Some(p) => {
            list.status = Status::Loading;
            Some(Effect::ReadAudit(p))
        }
        None => {
            list.status = Status::Failed("no data directory: changes are not recorded".into());
            None
        }
    }
}

/// The records read for `:audit`.
pub fn loaded(app: &mut App, records: std::result::Result<Vec<Record>, String>) {
    let list = app.data.list_mut::<Record>();
    match records {
        Ok(items) => {
            list.items = items;
            list.status = Status::Complete;
        }
        Err(e) => {
            list.items.clear();
            list.status = Status::Failed(format!("cannot read the audit log: {e}"));
        }
    }
    app.data.touch();
}

#[cfg(test)]
mod tests;
