//! The embedded local account: the second implementation of [`Backend`], behaving like IAM.
//!
//! One account lives in one JSON file ([`store`]); every call runs against it in memory under a
//! lock, is authorised by the policy engine ([`caller`]), and a call that changes the account is
//! written to disk before it returns. A change that cannot be saved is undone, so memory and file
//! never disagree.
//!
//! Opened read-only (asked for, another iamtui holds the file, the file is write-protected),
//! the file is never written: changes are refused, saying why, and what IAM lets a read-only
//! caller do (minting session credentials, generating the credential report) is kept in memory.

pub mod aws_policies;
mod call;
pub mod caller;
pub mod demo;
pub mod generate;
pub mod import;
mod managed;
pub mod model;
pub mod names;
mod ops;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::iam::Backend;
use crate::iam::backend::BackendInfo;
use crate::iam::error::{BackendError, ErrorKind, Result};
use crate::iam::ops::{by_kind, impl_backend};
use crate::iam::types::*;

use call::Call;
pub use caller::Credential;
use caller::{Caller, CallerKind};
use model::{Account, SessionRecord};
use names::{IdSource, RandomIds};
use ops::{
    account::*, credentials::*, identities::*, policies::*, public_keys::*, service_roles::*,
    sts::*,
};
use store::Store;
pub use store::StoreError;

/// How long a key's last-used time may lag on disk behind a read-only call made with it.
const LAST_USED_SAVE_SECONDS: i64 = 60;

struct State {
    store: Store,
    account: Account,
    /// Key or role usage recorded in memory but not yet on disk.
    unsaved_usage: bool,
    /// What a read-only store keeps in memory only, carried over when the file is re-read.
    in_memory: InMemory,
}

/// The results of a read-only store's [`Kind::Mint`] calls.
#[derive(Default)]
struct InMemory {
    sessions: Vec<SessionRecord>,
    report_generated: Option<Timestamp>,
}

impl InMemory {
    /// Remembers what a call added to the account.
    fn remember(&mut self, before: &Account, after: &Account) {
        self.sessions.extend(
            after
                .sessions
                .iter()
                .filter(|s| !before.sessions.contains(&s.access_key_id))
                .cloned(),
        );
        if after.credential_report_generated != before.credential_report_generated {
            self.report_generated = after.credential_report_generated;
        }
    }

    /// Puts it back into an account just read from the file.
    fn restore(&mut self, account: &mut Account, now: Timestamp) {
        self.sessions.retain(|s| s.expiration > now);
        for s in &self.sessions {
            if !account.sessions.contains(&s.access_key_id) {
                account.sessions.insert(s.clone());
            }
        }
        account.credential_report_generated = account
            .credential_report_generated
            .max(self.report_generated);
    }
}

/// What a call does to the account.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Read,
    /// Changes it: saved before the call returns; refused when the store is read-only.
    Write,
    /// Changes only what IAM lets a read-only caller change (session credentials, the
    /// credential report): saved when the store can write, kept in memory when it cannot.
    Mint,
}

impl Kind {
    /// A read, or a mint for the reads that create credentials or the credential report.
    fn of_read(method: &str) -> Self {
        match method {
            "assume_role" | "get_session_token" | "generate_credential_report" => Kind::Mint,
            _ => Kind::Read,
        }
    }
}

struct Shared {
    state: Mutex<State>,
    path: PathBuf,
    /// Mints the ids, secrets and seeds of what the calls create.
    ids: Arc<dyn IdSource>,
}

/// A handle on the local account, acting as one caller.
#[derive(Clone)]
pub struct LocalBackend {
    shared: Arc<Shared>,
    credential: Credential,
}

impl LocalBackend {
    /// Opens the account file at `path`, creating it from `init` when it does not exist. When
    /// another iamtui holds the file, or the file is write-protected, the account opens
    /// read-only (see [`LocalBackend::read_only_reason`]).
    pub fn open(path: &Path, init: impl FnOnce() -> Account) -> Result<Self, StoreError> {
        Self::open_with_ids(path, init, Arc::new(RandomIds))
    }

    /// [`LocalBackend::open`], with what the calls create taking its ids, secrets and seeds
    /// from `ids` (a [`names::SequentialIds`] makes them predictable in tests).
    pub fn open_with_ids(
        path: &Path,
        init: impl FnOnce() -> Account,
        ids: Arc<dyn IdSource>,
    ) -> Result<Self, StoreError> {
        let (store, account) = Store::open(path, init)?;
        Ok(Self::with_store(path, store, account, ids))
    }

    /// Opens the existing account file at `path` without ever writing it; changes are refused
    /// with `reason`.
    pub fn open_read_only(path: &Path, reason: String) -> Result<Self, StoreError> {
        let (store, account) = Store::open_read_only(path, reason)?;
        Ok(Self::with_store(path, store, account, Arc::new(RandomIds)))
    }

    fn with_store(path: &Path, store: Store, account: Account, ids: Arc<dyn IdSource>) -> Self {
        tracing::info!(
            path = %path.display(),
            users = account.users.len(),
            roles = account.roles.len(),
            read_only = store.read_only_reason(),
            "local account opened"
        );
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    store,
                    account,
                    unsaved_usage: false,
                    in_memory: InMemory::default(),
                }),
                path: path.to_path_buf(),
                ids,
            }),
            credential: Credential::Administrator,
        }
    }

    /// The same account, acting as one of its IAM users (for trying least-privilege setups).
    pub fn acting_as(&self, user: &str) -> Self {
        Self {
            shared: self.shared.clone(),
            credential: Credential::User(user.to_string()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// Who holds the account when this handle cannot write to it.
    pub fn locked_by(&self) -> Option<String> {
        self.lock().store.locked_by().map(str::to_string)
    }

    /// Why this handle cannot write to the account, `None` when it can.
    pub fn read_only_reason(&self) -> Option<String> {
        self.lock().store.read_only_reason()
    }

    /// A copy of the whole account (for export and tests).
    pub fn snapshot(&self) -> Account {
        self.lock().account.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves the account as it was before the call (changes
        // are saved only at the end), so the data behind a poisoned lock is still good.
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn run<T>(
        &self,
        operation: &'static str,
        kind: Kind,
        f: impl FnOnce(&mut Call<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let now = chrono::Utc::now();
        let writable = state.store.writable();
        if !writable && state.store.changed_on_disk() {
            // Another process wrote: show its changes.
            match state.store.read() {
                Ok(mut a) => {
                    state.in_memory.restore(&mut a, now);
                    state.account = a;
                }
                Err(e) => tracing::warn!(error = %e, "cannot re-read the local account"),
            }
        }
        if kind == Kind::Write
            && let Some(reason) = state.store.read_only_reason()
        {
            return Err(BackendError::read_only(operation, reason));
        }
        let caller = Caller::resolve(&state.account, &self.credential, now, operation)?;
        state.unsaved_usage |= record_usage(&mut state.account, &caller, operation, now);
        let backup = (kind != Kind::Read).then(|| state.account.clone());
        let mut call = Call {
            account: &mut state.account,
            ids: self.shared.ids.as_ref(),
            caller,
            now,
            operation,
        };
        let result = f(&mut call);
        tracing::debug!(operation, ok = result.is_ok(), "local call");
        match (result, backup) {
            (Err(e), Some(backup)) => {
                // A refused call changes nothing.
                let usage = state.unsaved_usage;
                state.account = backup;
                if usage {
                    save_usage(state);
                }
                Err(e)
            }
            (Ok(v), Some(backup)) if !writable => {
                // A mint: kept in memory, never written.
                state.in_memory.remember(&backup, &state.account);
                Ok(v)
            }
            (Ok(v), Some(backup)) => match state.store.save(&state.account) {
                Ok(()) => {
                    state.unsaved_usage = false;
                    Ok(v)
                }
                Err(e) => {
                    state.account = backup;
                    Err(match e {
                        // The file became write-protected since it was opened.
                        StoreError::ReadOnly { reason } => {
                            BackendError::read_only(operation, reason)
                        }
                        e => BackendError::new(
                            operation,
                            ErrorKind::Service {
                                code: "LocalAccountWriteFailed".into(),
                                message: format!("{e}; the change was not made"),
                            },
                        ),
                    })
                }
            },
            (result, None) => {
                if state.unsaved_usage {
                    save_usage(state);
                }
                result
            }
        }
    }
}

/// Saves key and role usage when the store can write; failures only delay it.
fn save_usage(state: &mut State) {
    if !state.store.writable() {
        return;
    }
    match state.store.save(&state.account) {
        Ok(()) => state.unsaved_usage = false,
        Err(e) => tracing::warn!(error = %e, "cannot save key usage"),
    }
}

/// Records that the caller's access key (or role) served a call, as IAM's last-used data shows
/// it. Returns whether the change should reach the disk now: the first use, or the stored time
/// is over a minute old.
fn record_usage(account: &mut Account, caller: &Caller, operation: &str, now: Timestamp) -> bool {
    let service = crate::iam::error::service_of(operation);
    let stale = |last: Option<Timestamp>| {
        last.is_none_or(|t| (now - t).num_seconds() >= LAST_USED_SAVE_SECONDS)
    };
    let mut persist = false;
    if let (CallerKind::User { name }, Some(key)) = (&caller.kind, &caller.access_key_id)
        && let Some(k) = account
            .users
            .get_mut(name)
            .and_then(|u| u.access_keys.iter_mut().find(|k| &k.access_key_id == key))
    {
        persist = stale(k.last_used.date);
        k.last_used.date = Some(now);
        k.last_used.service = Some(service.into());
        k.last_used.region = Some("us-east-1".into());
    }
    if let CallerKind::RoleSession { role, .. } = &caller.kind
        && let Some(r) = account.roles.get_mut(role)
    {
        persist = stale(r.last_used.date);
        r.last_used.date = Some(now);
        r.last_used.region = Some("us-east-1".into());
    }
    persist
}

/// Each operation is the function of the same name in [`ops`], run under its IAM name; the
/// tagging calls take theirs from the target (`TagUser`, `ListRoleTags`, …).
macro_rules! run_op {
    ($this:tt; read[$op:expr]; list_tags($target:ident)) => {
        $this.run(tag_ops($target)[0], Kind::Read, |c| list_tags(c, $target))
    };
    ($this:tt; write[$op:expr]; tag($target:ident, $tags:ident)) => {
        $this.run(tag_ops($target)[1], Kind::Write, |c| tag(c, $target, $tags))
    };
    ($this:tt; write[$op:expr]; untag($target:ident, $keys:ident)) => {
        $this.run(tag_ops($target)[2], Kind::Write, |c| untag(c, $target, $keys))
    };
    ($this:tt; read[$op:expr]; $method:ident($($arg:ident),*)) => {
        $this.run($op, Kind::of_read(stringify!($method)), |c| $method(c, $($arg),*))
    };
    ($this:tt; write[$op:expr]; $method:ident($($arg:ident),*)) => {
        $this.run($op, Kind::Write, |c| $method(c, $($arg),*))
    };
}

impl_backend!(LocalBackend, run_op, {
    fn info(&self) -> BackendInfo {
        let reason = self.read_only_reason();
        BackendInfo {
            kind: "local",
            source: format!("account {}", self.shared.path.display()),
            region: Some("us-east-1".into()),
            read_only: reason.is_some(),
            read_only_reason: reason,
        }
    }

    fn with_credentials(&self, credentials: Credentials) -> Result<Arc<dyn Backend>> {
        Ok(Arc::new(Self {
            shared: self.shared.clone(),
            credential: Credential::Keys(credentials),
        }))
    }
});

/// The IAM operation names of the tagging calls on a target: list, tag, untag
/// (`ListRoleTags`, `TagRole`, `UntagRole`).
fn tag_ops(target: &TagTarget) -> [&'static str; 3] {
    match target {
        TagTarget::User(_) => ["ListUserTags", "TagUser", "UntagUser"],
        TagTarget::Role(_) => ["ListRoleTags", "TagRole", "UntagRole"],
        TagTarget::Policy(_) => ["ListPolicyTags", "TagPolicy", "UntagPolicy"],
        TagTarget::MfaDevice(_) => ["ListMFADeviceTags", "TagMFADevice", "UntagMFADevice"],
        TagTarget::OidcProvider(_) => [
            "ListOpenIDConnectProviderTags",
            "TagOpenIDConnectProvider",
            "UntagOpenIDConnectProvider",
        ],
        TagTarget::SamlProvider(_) => [
            "ListSAMLProviderTags",
            "TagSAMLProvider",
            "UntagSAMLProvider",
        ],
        TagTarget::InstanceProfile(_) => [
            "ListInstanceProfileTags",
            "TagInstanceProfile",
            "UntagInstanceProfile",
        ],
    }
}
