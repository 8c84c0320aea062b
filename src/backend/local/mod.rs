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

use async_trait::async_trait;

use crate::iam::Backend;
use crate::iam::backend::BackendInfo;
use crate::iam::error::{BackendError, ErrorKind, Result};
use crate::iam::types::*;

use call::Call;
pub use caller::Credential;
use caller::{Caller, CallerKind};
use model::{Account, SessionRecord};
use names::{IdSource, RandomIds};
use ops::{account, credentials, identities, policies, sts};
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

    fn read<T>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut Call<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run(operation, Kind::Read, f)
    }

    fn write<T>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut Call<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run(operation, Kind::Write, f)
    }

    fn mint<T>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut Call<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run(operation, Kind::Mint, f)
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
    let service = if matches!(
        operation,
        "AssumeRole" | "GetSessionToken" | "GetCallerIdentity"
    ) {
        "sts"
    } else {
        "iam"
    };
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

#[async_trait]
impl Backend for LocalBackend {
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

    async fn whoami(&self) -> Result<Identity> {
        self.read("GetCallerIdentity", sts::whoami)
    }
    async fn list_account_aliases(&self) -> Result<Vec<String>> {
        self.read("ListAccountAliases", account::list_account_aliases)
    }

    async fn list_users(&self, page: PageRequest) -> Result<Page<User>> {
        self.read("ListUsers", |c| identities::list_users(c, page))
    }
    async fn get_user(&self, name: Option<&str>) -> Result<User> {
        self.read("GetUser", |c| identities::get_user(c, name))
    }
    async fn create_user(&self, req: CreateUser) -> Result<User> {
        self.write("CreateUser", |c| identities::create_user(c, req))
    }
    async fn update_user(&self, name: &str, change: Rename) -> Result<()> {
        self.write("UpdateUser", |c| identities::update_user(c, name, change))
    }
    async fn delete_user(&self, name: &str) -> Result<()> {
        self.write("DeleteUser", |c| identities::delete_user(c, name))
    }
    async fn list_groups_for_user(&self, name: &str) -> Result<Vec<Group>> {
        self.read("ListGroupsForUser", |c| {
            identities::list_groups_for_user(c, name)
        })
    }

    async fn get_login_profile(&self, user: &str) -> Result<Option<LoginProfile>> {
        self.read("GetLoginProfile", |c| {
            identities::get_login_profile(c, user)
        })
    }
    async fn delete_login_profile(&self, user: &str) -> Result<()> {
        self.write("DeleteLoginProfile", |c| {
            identities::delete_login_profile(c, user)
        })
    }

    async fn list_groups(&self, page: PageRequest) -> Result<Page<Group>> {
        self.read("ListGroups", |c| identities::list_groups(c, page))
    }
    async fn get_group(&self, name: &str) -> Result<GroupDetail> {
        self.read("GetGroup", |c| identities::get_group(c, name))
    }
    async fn create_group(&self, name: &str, path: Option<&str>) -> Result<Group> {
        self.write("CreateGroup", |c| identities::create_group(c, name, path))
    }
    async fn update_group(&self, name: &str, change: Rename) -> Result<()> {
        self.write("UpdateGroup", |c| identities::update_group(c, name, change))
    }
    async fn delete_group(&self, name: &str) -> Result<()> {
        self.write("DeleteGroup", |c| identities::delete_group(c, name))
    }
    async fn add_user_to_group(&self, group: &str, user: &str) -> Result<()> {
        self.write("AddUserToGroup", |c| {
            identities::add_user_to_group(c, group, user)
        })
    }
    async fn remove_user_from_group(&self, group: &str, user: &str) -> Result<()> {
        self.write("RemoveUserFromGroup", |c| {
            identities::remove_user_from_group(c, group, user)
        })
    }

    async fn list_roles(&self, page: PageRequest) -> Result<Page<Role>> {
        self.read("ListRoles", |c| identities::list_roles(c, page))
    }
    async fn get_role(&self, name: &str) -> Result<Role> {
        self.read("GetRole", |c| identities::get_role(c, name))
    }
    async fn create_role(&self, req: CreateRole) -> Result<Role> {
        self.write("CreateRole", |c| identities::create_role(c, req))
    }
    async fn update_role(
        &self,
        name: &str,
        description: Option<&str>,
        max_session_duration: Option<i32>,
    ) -> Result<()> {
        self.write("UpdateRole", |c| {
            identities::update_role(c, name, description, max_session_duration)
        })
    }
    async fn update_assume_role_policy(&self, name: &str, document: &str) -> Result<()> {
        self.write("UpdateAssumeRolePolicy", |c| {
            identities::update_assume_role_policy(c, name, document)
        })
    }
    async fn delete_role(&self, name: &str) -> Result<()> {
        self.write("DeleteRole", |c| identities::delete_role(c, name))
    }

    async fn list_instance_profiles(&self, page: PageRequest) -> Result<Page<InstanceProfile>> {
        self.read("ListInstanceProfiles", |c| {
            identities::list_instance_profiles(c, page)
        })
    }
    async fn get_instance_profile(&self, name: &str) -> Result<InstanceProfile> {
        self.read("GetInstanceProfile", |c| {
            identities::get_instance_profile(c, name)
        })
    }
    async fn list_instance_profiles_for_role(&self, role: &str) -> Result<Vec<InstanceProfile>> {
        self.read("ListInstanceProfilesForRole", |c| {
            identities::list_instance_profiles_for_role(c, role)
        })
    }
    async fn create_instance_profile(
        &self,
        name: &str,
        path: Option<&str>,
    ) -> Result<InstanceProfile> {
        self.write("CreateInstanceProfile", |c| {
            identities::create_instance_profile(c, name, path)
        })
    }
    async fn add_role_to_instance_profile(&self, profile: &str, role: &str) -> Result<()> {
        self.write("AddRoleToInstanceProfile", |c| {
            identities::add_role_to_instance_profile(c, profile, role)
        })
    }
    async fn remove_role_from_instance_profile(&self, profile: &str, role: &str) -> Result<()> {
        self.write("RemoveRoleFromInstanceProfile", |c| {
            identities::remove_role_from_instance_profile(c, profile, role)
        })
    }
    async fn delete_instance_profile(&self, name: &str) -> Result<()> {
        self.write("DeleteInstanceProfile", |c| {
            identities::delete_instance_profile(c, name)
        })
    }

    async fn list_policies(
        &self,
        scope: PolicyScope,
        only_attached: bool,
        page: PageRequest,
    ) -> Result<Page<ManagedPolicy>> {
        self.read("ListPolicies", |c| {
            policies::list_policies(c, scope, only_attached, page)
        })
    }
    async fn get_policy(&self, arn: &str) -> Result<ManagedPolicy> {
        self.read("GetPolicy", |c| policies::get_policy(c, arn))
    }
    async fn create_policy(&self, req: CreatePolicy) -> Result<ManagedPolicy> {
        self.write("CreatePolicy", |c| policies::create_policy(c, req))
    }
    async fn delete_policy(&self, arn: &str) -> Result<()> {
        self.write("DeletePolicy", |c| policies::delete_policy(c, arn))
    }
    async fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>> {
        self.read("ListPolicyVersions", |c| {
            policies::list_policy_versions(c, arn)
        })
    }
    async fn get_policy_version(&self, arn: &str, version_id: &str) -> Result<PolicyVersion> {
        self.read("GetPolicyVersion", |c| {
            policies::get_policy_version(c, arn, version_id)
        })
    }
    async fn create_policy_version(
        &self,
        arn: &str,
        document: &str,
        set_as_default: bool,
    ) -> Result<PolicyVersion> {
        self.write("CreatePolicyVersion", |c| {
            policies::create_policy_version(c, arn, document, set_as_default)
        })
    }
    async fn delete_policy_version(&self, arn: &str, version_id: &str) -> Result<()> {
        self.write("DeletePolicyVersion", |c| {
            policies::delete_policy_version(c, arn, version_id)
        })
    }
    async fn set_default_policy_version(&self, arn: &str, version_id: &str) -> Result<()> {
        self.write("SetDefaultPolicyVersion", |c| {
            policies::set_default_policy_version(c, arn, version_id)
        })
    }
    async fn list_entities_for_policy(
        &self,
        arn: &str,
        usage: PolicyUsage,
    ) -> Result<PolicyEntities> {
        self.read("ListEntitiesForPolicy", |c| {
            policies::list_entities_for_policy(c, arn, usage)
        })
    }

    async fn list_attached_policies(&self, entity: &EntityRef) -> Result<Vec<AttachedPolicy>> {
        self.read(attached_op(entity), |c| {
            policies::list_attached_policies(c, entity)
        })
    }
    async fn attach_policy(&self, entity: &EntityRef, policy_arn: &str) -> Result<()> {
        let op = match entity.kind {
            EntityKind::User => "AttachUserPolicy",
            EntityKind::Group => "AttachGroupPolicy",
            EntityKind::Role => "AttachRolePolicy",
        };
        self.write(op, |c| policies::attach_policy(c, entity, policy_arn))
    }
    async fn detach_policy(&self, entity: &EntityRef, policy_arn: &str) -> Result<()> {
        let op = match entity.kind {
            EntityKind::User => "DetachUserPolicy",
            EntityKind::Group => "DetachGroupPolicy",
            EntityKind::Role => "DetachRolePolicy",
        };
        self.write(op, |c| policies::detach_policy(c, entity, policy_arn))
    }
    async fn list_inline_policies(&self, entity: &EntityRef) -> Result<Vec<String>> {
        let op = match entity.kind {
            EntityKind::User => "ListUserPolicies",
            EntityKind::Group => "ListGroupPolicies",
            EntityKind::Role => "ListRolePolicies",
        };
        self.read(op, |c| policies::list_inline_policies(c, entity))
    }
    async fn get_inline_policy(&self, entity: &EntityRef, name: &str) -> Result<InlinePolicy> {
        let op = match entity.kind {
            EntityKind::User => "GetUserPolicy",
            EntityKind::Group => "GetGroupPolicy",
            EntityKind::Role => "GetRolePolicy",
        };
        self.read(op, |c| policies::get_inline_policy(c, entity, name))
    }
    async fn put_inline_policy(
        &self,
        entity: &EntityRef,
        name: &str,
        document: &str,
    ) -> Result<()> {
        let op = match entity.kind {
            EntityKind::User => "PutUserPolicy",
            EntityKind::Group => "PutGroupPolicy",
            EntityKind::Role => "PutRolePolicy",
        };
        self.write(op, |c| {
            policies::put_inline_policy(c, entity, name, document)
        })
    }
    async fn delete_inline_policy(&self, entity: &EntityRef, name: &str) -> Result<()> {
        let op = match entity.kind {
            EntityKind::User => "DeleteUserPolicy",
            EntityKind::Group => "DeleteGroupPolicy",
            EntityKind::Role => "DeleteRolePolicy",
        };
        self.write(op, |c| policies::delete_inline_policy(c, entity, name))
    }
    async fn put_permissions_boundary(&self, entity: &EntityRef, policy_arn: &str) -> Result<()> {
        let op = match entity.kind {
            EntityKind::Role => "PutRolePermissionsBoundary",
            _ => "PutUserPermissionsBoundary",
        };
        self.write(op, |c| {
            policies::put_permissions_boundary(c, entity, policy_arn)
        })
    }
    async fn delete_permissions_boundary(&self, entity: &EntityRef) -> Result<()> {
        let op = match entity.kind {
            EntityKind::Role => "DeleteRolePermissionsBoundary",
            _ => "DeleteUserPermissionsBoundary",
        };
        self.write(op, |c| policies::delete_permissions_boundary(c, entity))
    }

    async fn list_tags(&self, target: &TagTarget) -> Result<Vec<Tag>> {
        self.read(tag_op(target, TagVerb::List), |c| {
            account::list_tags(c, target)
        })
    }
    async fn tag(&self, target: &TagTarget, tags: &[Tag]) -> Result<()> {
        self.write(tag_op(target, TagVerb::Tag), |c| {
            account::tag(c, target, tags)
        })
    }
    async fn untag(&self, target: &TagTarget, keys: &[String]) -> Result<()> {
        self.write(tag_op(target, TagVerb::Untag), |c| {
            account::untag(c, target, keys)
        })
    }

    async fn list_access_keys(&self, user: Option<&str>) -> Result<Vec<AccessKey>> {
        self.read("ListAccessKeys", |c| credentials::list_access_keys(c, user))
    }
    async fn get_access_key_last_used(&self, access_key_id: &str) -> Result<AccessKeyLastUsed> {
        self.read("GetAccessKeyLastUsed", |c| {
            credentials::get_access_key_last_used(c, access_key_id)
        })
    }
    async fn create_access_key(&self, user: Option<&str>) -> Result<NewAccessKey> {
        self.write("CreateAccessKey", |c| {
            credentials::create_access_key(c, user)
        })
    }
    async fn update_access_key(
        &self,
        user: Option<&str>,
        access_key_id: &str,
        status: KeyStatus,
    ) -> Result<()> {
        self.write("UpdateAccessKey", |c| {
            credentials::update_access_key(c, user, access_key_id, status)
        })
    }
    async fn delete_access_key(&self, user: Option<&str>, access_key_id: &str) -> Result<()> {
        self.write("DeleteAccessKey", |c| {
            credentials::delete_access_key(c, user, access_key_id)
        })
    }

    async fn list_mfa_devices(&self, user: Option<&str>) -> Result<Vec<MfaDevice>> {
        self.read("ListMFADevices", |c| credentials::list_mfa_devices(c, user))
    }
    async fn list_virtual_mfa_devices(&self, filter: MfaAssignment) -> Result<Vec<MfaDevice>> {
        self.read("ListVirtualMFADevices", |c| {
            credentials::list_virtual_mfa_devices(c, filter)
        })
    }
    async fn create_virtual_mfa_device(
        &self,
        name: &str,
        path: Option<&str>,
    ) -> Result<NewVirtualMfa> {
        self.write("CreateVirtualMFADevice", |c| {
            credentials::create_virtual_mfa_device(c, name, path)
        })
    }
    async fn enable_mfa_device(
        &self,
        user: &str,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> Result<()> {
        self.write("EnableMFADevice", |c| {
            credentials::enable_mfa_device(c, user, serial, code1, code2)
        })
    }
    async fn resync_mfa_device(
        &self,
        user: &str,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> Result<()> {
        self.write("ResyncMFADevice", |c| {
            credentials::resync_mfa_device(c, user, serial, code1, code2)
        })
    }
    async fn deactivate_mfa_device(&self, user: &str, serial: &str) -> Result<()> {
        self.write("DeactivateMFADevice", |c| {
            credentials::deactivate_mfa_device(c, user, serial)
        })
    }
    async fn delete_virtual_mfa_device(&self, serial: &str) -> Result<()> {
        self.write("DeleteVirtualMFADevice", |c| {
            credentials::delete_virtual_mfa_device(c, serial)
        })
    }

    async fn get_account_summary(&self) -> Result<AccountSummary> {
        self.read("GetAccountSummary", account::get_account_summary)
    }
    async fn get_password_policy(&self) -> Result<Option<PasswordPolicy>> {
        self.read("GetAccountPasswordPolicy", account::get_password_policy)
    }
    async fn update_password_policy(&self, policy: &PasswordPolicy) -> Result<()> {
        self.write("UpdateAccountPasswordPolicy", |c| {
            account::update_password_policy(c, policy)
        })
    }
    async fn delete_password_policy(&self) -> Result<()> {
        self.write(
            "DeleteAccountPasswordPolicy",
            account::delete_password_policy,
        )
    }

    async fn list_saml_providers(&self) -> Result<Vec<SamlProvider>> {
        self.read("ListSAMLProviders", account::list_saml_providers)
    }
    async fn get_saml_provider(&self, arn: &str) -> Result<SamlProvider> {
        self.read("GetSAMLProvider", |c| account::get_saml_provider(c, arn))
    }
    async fn create_saml_provider(
        &self,
        name: &str,
        metadata_document: &str,
        tags: &[Tag],
    ) -> Result<String> {
        self.write("CreateSAMLProvider", |c| {
            account::create_saml_provider(c, name, metadata_document, tags)
        })
    }
    async fn delete_saml_provider(&self, arn: &str) -> Result<()> {
        self.write("DeleteSAMLProvider", |c| {
            account::delete_saml_provider(c, arn)
        })
    }
    async fn list_oidc_providers(&self) -> Result<Vec<OidcProvider>> {
        self.read("ListOpenIDConnectProviders", account::list_oidc_providers)
    }
    async fn get_oidc_provider(&self, arn: &str) -> Result<OidcProvider> {
        self.read("GetOpenIDConnectProvider", |c| {
            account::get_oidc_provider(c, arn)
        })
    }
    async fn create_oidc_provider(&self, req: CreateOidcProvider) -> Result<String> {
        self.write("CreateOpenIDConnectProvider", |c| {
            account::create_oidc_provider(c, req)
        })
    }
    async fn delete_oidc_provider(&self, arn: &str) -> Result<()> {
        self.write("DeleteOpenIDConnectProvider", |c| {
            account::delete_oidc_provider(c, arn)
        })
    }

    async fn generate_credential_report(&self) -> Result<ReportState> {
        self.mint(
            "GenerateCredentialReport",
            account::generate_credential_report,
        )
    }
    async fn get_credential_report(&self) -> Result<CredentialReport> {
        self.read("GetCredentialReport", account::get_credential_report)
    }

    async fn assume_role(&self, req: AssumeRoleRequest) -> Result<AssumedRole> {
        self.mint("AssumeRole", |c| sts::assume_role(c, req))
    }
    async fn get_session_token(&self, req: GetSessionTokenRequest) -> Result<Credentials> {
        self.mint("GetSessionToken", |c| sts::get_session_token(c, req))
    }
}

fn attached_op(entity: &EntityRef) -> &'static str {
    match entity.kind {
        EntityKind::User => "ListAttachedUserPolicies",
        EntityKind::Group => "ListAttachedGroupPolicies",
        EntityKind::Role => "ListAttachedRolePolicies",
    }
}

#[derive(Clone, Copy)]
enum TagVerb {
    List,
    Tag,
    Untag,
}

/// The IAM operation name of a tagging call (`ListRoleTags`, `TagUser`, `UntagPolicy`, …).
fn tag_op(target: &TagTarget, verb: TagVerb) -> &'static str {
    use TagTarget as T;
    use TagVerb as V;
    match (verb, target) {
        (V::List, T::User(_)) => "ListUserTags",
        (V::List, T::Role(_)) => "ListRoleTags",
        (V::List, T::Policy(_)) => "ListPolicyTags",
        (V::List, T::MfaDevice(_)) => "ListMFADeviceTags",
        (V::List, T::OidcProvider(_)) => "ListOpenIDConnectProviderTags",
        (V::List, T::SamlProvider(_)) => "ListSAMLProviderTags",
        (V::Tag, T::User(_)) => "TagUser",
        (V::Tag, T::Role(_)) => "TagRole",
        (V::Tag, T::Policy(_)) => "TagPolicy",
        (V::Tag, T::MfaDevice(_)) => "TagMFADevice",
        (V::Tag, T::OidcProvider(_)) => "TagOpenIDConnectProvider",
        (V::Tag, T::SamlProvider(_)) => "TagSAMLProvider",
        (V::Untag, T::User(_)) => "UntagUser",
        (V::Untag, T::Role(_)) => "UntagRole",
        (V::Untag, T::Policy(_)) => "UntagPolicy",
        (V::Untag, T::MfaDevice(_)) => "UntagMFADevice",
        (V::Untag, T::OidcProvider(_)) => "UntagOpenIDConnectProvider",
        (V::Untag, T::SamlProvider(_)) => "UntagSAMLProvider",
    }
}
