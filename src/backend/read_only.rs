//! `--read-only` enforced in the backend layer: whatever the UI asks, no mutating call passes.

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;

use crate::iam::error::{BackendError, Result};
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

    fn refuse<T>(&self, operation: &'static str) -> Result<T> {
        Err(BackendError::read_only(operation, self.reason.clone()))
    }
}

#[async_trait]
impl Backend for ReadOnly {
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

    async fn whoami(&self) -> Result<Identity> {
        self.inner.whoami().await
    }
    async fn list_account_aliases(&self) -> Result<Vec<String>> {
        self.inner.list_account_aliases().await
    }

    async fn list_users(&self, page: PageRequest) -> Result<Page<User>> {
        self.inner.list_users(page).await
    }
    async fn get_user(&self, name: Option<&str>) -> Result<User> {
        self.inner.get_user(name).await
    }
    async fn create_user(&self, _req: CreateUser) -> Result<User> {
        self.refuse("CreateUser")
    }
    async fn update_user(&self, _name: &str, _change: Rename) -> Result<()> {
        self.refuse("UpdateUser")
    }
    async fn delete_user(&self, _name: &str) -> Result<()> {
        self.refuse("DeleteUser")
    }
    async fn list_groups_for_user(&self, name: &str) -> Result<Vec<Group>> {
        self.inner.list_groups_for_user(name).await
    }

    async fn get_login_profile(&self, user: &str) -> Result<Option<LoginProfile>> {
        self.inner.get_login_profile(user).await
    }
    async fn delete_login_profile(&self, _user: &str) -> Result<()> {
        self.refuse("DeleteLoginProfile")
    }

    async fn list_groups(&self, page: PageRequest) -> Result<Page<Group>> {
        self.inner.list_groups(page).await
    }
    async fn get_group(&self, name: &str) -> Result<GroupDetail> {
        self.inner.get_group(name).await
    }
    async fn create_group(&self, _name: &str, _path: Option<&str>) -> Result<Group> {
        self.refuse("CreateGroup")
    }
    async fn update_group(&self, _name: &str, _change: Rename) -> Result<()> {
        self.refuse("UpdateGroup")
    }
    async fn delete_group(&self, _name: &str) -> Result<()> {
        self.refuse("DeleteGroup")
    }
    async fn add_user_to_group(&self, _group: &str, _user: &str) -> Result<()> {
        self.refuse("AddUserToGroup")
    }
    async fn remove_user_from_group(&self, _group: &str, _user: &str) -> Result<()> {
        self.refuse("RemoveUserFromGroup")
    }

    async fn list_roles(&self, page: PageRequest) -> Result<Page<Role>> {
        self.inner.list_roles(page).await
    }
    async fn get_role(&self, name: &str) -> Result<Role> {
        self.inner.get_role(name).await
    }
    async fn create_role(&self, _req: CreateRole) -> Result<Role> {
        self.refuse("CreateRole")
    }
    async fn update_role(&self, _n: &str, _d: Option<&str>, _m: Option<i32>) -> Result<()> {
        self.refuse("UpdateRole")
    }
    async fn update_assume_role_policy(&self, _name: &str, _document: &str) -> Result<()> {
        self.refuse("UpdateAssumeRolePolicy")
    }
    async fn delete_role(&self, _name: &str) -> Result<()> {
        self.refuse("DeleteRole")
    }

    async fn list_instance_profiles_for_role(&self, role: &str) -> Result<Vec<InstanceProfile>> {
        self.inner.list_instance_profiles_for_role(role).await
    }
    async fn create_instance_profile(
        &self,
        _name: &str,
        _path: Option<&str>,
    ) -> Result<InstanceProfile> {
        self.refuse("CreateInstanceProfile")
    }
    async fn add_role_to_instance_profile(&self, _profile: &str, _role: &str) -> Result<()> {
        self.refuse("AddRoleToInstanceProfile")
    }
    async fn remove_role_from_instance_profile(&self, _profile: &str, _role: &str) -> Result<()> {
        self.refuse("RemoveRoleFromInstanceProfile")
    }
    async fn delete_instance_profile(&self, _name: &str) -> Result<()> {
        self.refuse("DeleteInstanceProfile")
    }

    async fn list_policies(
        &self,
        scope: PolicyScope,
        only_attached: bool,
        page: PageRequest,
    ) -> Result<Page<ManagedPolicy>> {
        self.inner.list_policies(scope, only_attached, page).await
    }
    async fn get_policy(&self, arn: &str) -> Result<ManagedPolicy> {
        self.inner.get_policy(arn).await
    }
    async fn create_policy(&self, _req: CreatePolicy) -> Result<ManagedPolicy> {
        self.refuse("CreatePolicy")
    }
    async fn delete_policy(&self, _arn: &str) -> Result<()> {
        self.refuse("DeletePolicy")
    }
    async fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>> {
        self.inner.list_policy_versions(arn).await
    }
    async fn get_policy_version(&self, arn: &str, version_id: &str) -> Result<PolicyVersion> {
        self.inner.get_policy_version(arn, version_id).await
    }
    async fn create_policy_version(&self, _a: &str, _d: &str, _s: bool) -> Result<PolicyVersion> {
        self.refuse("CreatePolicyVersion")
    }
    async fn delete_policy_version(&self, _arn: &str, _version_id: &str) -> Result<()> {
        self.refuse("DeletePolicyVersion")
    }
    async fn set_default_policy_version(&self, _arn: &str, _version_id: &str) -> Result<()> {
        self.refuse("SetDefaultPolicyVersion")
    }
    async fn list_entities_for_policy(
        &self,
        arn: &str,
        usage: PolicyUsage,
    ) -> Result<PolicyEntities> {
        self.inner.list_entities_for_policy(arn, usage).await
    }

    async fn list_attached_policies(&self, entity: &EntityRef) -> Result<Vec<AttachedPolicy>> {
        self.inner.list_attached_policies(entity).await
    }
    async fn attach_policy(&self, entity: &EntityRef, _arn: &str) -> Result<()> {
        self.refuse(match entity.kind {
            EntityKind::User => "AttachUserPolicy",
            EntityKind::Group => "AttachGroupPolicy",
            EntityKind::Role => "AttachRolePolicy",
        })
    }
    async fn detach_policy(&self, entity: &EntityRef, _arn: &str) -> Result<()> {
        self.refuse(match entity.kind {
            EntityKind::User => "DetachUserPolicy",
            EntityKind::Group => "DetachGroupPolicy",
            EntityKind::Role => "DetachRolePolicy",
        })
    }
    async fn list_inline_policies(&self, entity: &EntityRef) -> Result<Vec<String>> {
        self.inner.list_inline_policies(entity).await
    }
    async fn get_inline_policy(&self, entity: &EntityRef, name: &str) -> Result<InlinePolicy> {
        self.inner.get_inline_policy(entity, name).await
    }
    async fn put_inline_policy(&self, entity: &EntityRef, _n: &str, _d: &str) -> Result<()> {
        self.refuse(match entity.kind {
            EntityKind::User => "PutUserPolicy",
            EntityKind::Group => "PutGroupPolicy",
            EntityKind::Role => "PutRolePolicy",
        })
    }
    async fn delete_inline_policy(&self, entity: &EntityRef, _name: &str) -> Result<()> {
        self.refuse(match entity.kind {
            EntityKind::User => "DeleteUserPolicy",
            EntityKind::Group => "DeleteGroupPolicy",
            EntityKind::Role => "DeleteRolePolicy",
        })
    }
    async fn put_permissions_boundary(&self, entity: &EntityRef, _arn: &str) -> Result<()> {
        self.refuse(match entity.kind {
            EntityKind::Role => "PutRolePermissionsBoundary",
            _ => "PutUserPermissionsBoundary",
        })
    }
    async fn delete_permissions_boundary(&self, entity: &EntityRef) -> Result<()> {
        self.refuse(match entity.kind {
            EntityKind::Role => "DeleteRolePermissionsBoundary",
            _ => "DeleteUserPermissionsBoundary",
        })
    }

    async fn list_tags(&self, target: &TagTarget) -> Result<Vec<Tag>> {
        self.inner.list_tags(target).await
    }
    async fn tag(&self, _target: &TagTarget, _tags: &[Tag]) -> Result<()> {
        self.refuse("TagResource")
    }
    async fn untag(&self, _target: &TagTarget, _keys: &[String]) -> Result<()> {
        self.refuse("UntagResource")
    }

    async fn list_access_keys(&self, user: Option<&str>) -> Result<Vec<AccessKey>> {
        self.inner.list_access_keys(user).await
    }
    async fn get_access_key_last_used(&self, id: &str) -> Result<AccessKeyLastUsed> {
        self.inner.get_access_key_last_used(id).await
    }
    async fn create_access_key(&self, _user: Option<&str>) -> Result<NewAccessKey> {
        self.refuse("CreateAccessKey")
    }
    async fn update_access_key(&self, _u: Option<&str>, _id: &str, _s: KeyStatus) -> Result<()> {
        self.refuse("UpdateAccessKey")
    }
    async fn delete_access_key(&self, _user: Option<&str>, _id: &str) -> Result<()> {
        self.refuse("DeleteAccessKey")
    }

    async fn list_mfa_devices(&self, user: Option<&str>) -> Result<Vec<MfaDevice>> {
        self.inner.list_mfa_devices(user).await
    }
    async fn list_virtual_mfa_devices(&self, filter: MfaAssignment) -> Result<Vec<MfaDevice>> {
        self.inner.list_virtual_mfa_devices(filter).await
    }
    async fn create_virtual_mfa_device(&self, _n: &str, _p: Option<&str>) -> Result<NewVirtualMfa> {
        self.refuse("CreateVirtualMFADevice")
    }
    async fn enable_mfa_device(&self, _u: &str, _s: &str, _c1: &str, _c2: &str) -> Result<()> {
        self.refuse("EnableMFADevice")
    }
    async fn resync_mfa_device(&self, _u: &str, _s: &str, _c1: &str, _c2: &str) -> Result<()> {
        self.refuse("ResyncMFADevice")
    }
    async fn deactivate_mfa_device(&self, _user: &str, _serial: &str) -> Result<()> {
        self.refuse("DeactivateMFADevice")
    }
    async fn delete_virtual_mfa_device(&self, _serial: &str) -> Result<()> {
        self.refuse("DeleteVirtualMFADevice")
    }

    async fn get_password_policy(&self) -> Result<Option<PasswordPolicy>> {
        self.inner.get_password_policy().await
    }
    async fn update_password_policy(&self, _policy: &PasswordPolicy) -> Result<()> {
        self.refuse("UpdateAccountPasswordPolicy")
    }
    async fn delete_password_policy(&self) -> Result<()> {
        self.refuse("DeleteAccountPasswordPolicy")
    }

    async fn list_saml_providers(&self) -> Result<Vec<SamlProvider>> {
        self.inner.list_saml_providers().await
    }
    async fn get_saml_provider(&self, arn: &str) -> Result<SamlProvider> {
        self.inner.get_saml_provider(arn).await
    }
    async fn create_saml_provider(&self, _n: &str, _m: &str, _t: &[Tag]) -> Result<String> {
        self.refuse("CreateSAMLProvider")
    }
    async fn delete_saml_provider(&self, _arn: &str) -> Result<()> {
        self.refuse("DeleteSAMLProvider")
    }
    async fn list_oidc_providers(&self) -> Result<Vec<OidcProvider>> {
        self.inner.list_oidc_providers().await
    }
    async fn get_oidc_provider(&self, arn: &str) -> Result<OidcProvider> {
        self.inner.get_oidc_provider(arn).await
    }
    async fn create_oidc_provider(&self, _req: CreateOidcProvider) -> Result<String> {
        self.refuse("CreateOpenIDConnectProvider")
    }
    async fn delete_oidc_provider(&self, _arn: &str) -> Result<()> {
        self.refuse("DeleteOpenIDConnectProvider")
    }

    // Generating the report changes nothing in the account (AWS's ReadOnlyAccess allows it); a
    // local account opened read-only builds it in memory.
    async fn generate_credential_report(&self) -> Result<ReportState> {
        self.inner.generate_credential_report().await
    }
    async fn get_credential_report(&self) -> Result<CredentialReport> {
        self.inner.get_credential_report().await
    }

    async fn assume_role(&self, req: AssumeRoleRequest) -> Result<AssumedRole> {
        self.inner.assume_role(req).await
    }
    async fn get_session_token(&self, req: GetSessionTokenRequest) -> Result<Credentials> {
        self.inner.get_session_token(req).await
    }
}
