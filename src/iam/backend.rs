//! The one interface the console talks to. Two implementations: `backend::aws` (the AWS SDK,
//! also against IAM-compatible endpoints) and `backend::local` (the embedded account).
//!
//! Top-level lists are paged so the console can show rows as soon as the first page arrives;
//! lists hanging off one entity (attachments, keys, versions) are small and come back whole.

use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;

use super::error::Result;
use super::types::*;

/// Which backend an implementation is, for the status bar and `info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendInfo {
    /// "aws" or "local".
    pub kind: &'static str,
    /// Profile, endpoint or account file: where the data comes from.
    pub source: String,
    pub region: Option<String>,
    pub read_only: bool,
    /// Why it is read-only, as refusals say it: the flag or configuration that asked for it,
    /// another iamtui holding the account file, the file's permissions.
    pub read_only_reason: Option<String>,
}

#[async_trait]
pub trait Backend: Send + Sync + 'static {
    fn info(&self) -> BackendInfo;

    /// The same backend acting with other credentials (an assumed role, an MFA session).
    fn with_credentials(&self, credentials: Credentials) -> Result<Arc<dyn Backend>>;

    /// The same backend making one attempt per call, for a caller that retries itself within
    /// a deadline of its own (the key rotation) and must see each failure as it happens.
    /// `None` when this backend does not retry anyway.
    fn single_attempt(&self) -> Option<Arc<dyn Backend>> {
        None
    }

    // --- identity -------------------------------------------------------------------------
    async fn whoami(&self) -> Result<Identity>;
    async fn list_account_aliases(&self) -> Result<Vec<String>>;

    // --- users ----------------------------------------------------------------------------
    async fn list_users(&self, page: PageRequest) -> Result<Page<User>>;
    /// `None` is the caller's own user.
    async fn get_user(&self, name: Option<&str>) -> Result<User>;
    async fn create_user(&self, req: CreateUser) -> Result<User>;
    async fn update_user(&self, name: &str, change: Rename) -> Result<()>;
    async fn delete_user(&self, name: &str) -> Result<()>;
    async fn list_groups_for_user(&self, name: &str) -> Result<Vec<Group>>;
    /// The user's console password, `None` when it has none.
    async fn get_login_profile(&self, user: &str) -> Result<Option<LoginProfile>>;
    async fn delete_login_profile(&self, user: &str) -> Result<()>;

    // --- groups ---------------------------------------------------------------------------
    async fn list_groups(&self, page: PageRequest) -> Result<Page<Group>>;
    async fn get_group(&self, name: &str) -> Result<GroupDetail>;
    async fn create_group(&self, name: &str, path: Option<&str>) -> Result<Group>;
    async fn update_group(&self, name: &str, change: Rename) -> Result<()>;
    async fn delete_group(&self, name: &str) -> Result<()>;
    async fn add_user_to_group(&self, group: &str, user: &str) -> Result<()>;
    async fn remove_user_from_group(&self, group: &str, user: &str) -> Result<()>;

    // --- roles ----------------------------------------------------------------------------
    async fn list_roles(&self, page: PageRequest) -> Result<Page<Role>>;
    async fn get_role(&self, name: &str) -> Result<Role>;
    async fn create_role(&self, req: CreateRole) -> Result<Role>;
    async fn update_role(
        &self,
        name: &str,
        description: Option<&str>,
        max_session_duration: Option<i32>,
    ) -> Result<()>;
    async fn update_assume_role_policy(&self, name: &str, document: &str) -> Result<()>;
    async fn delete_role(&self, name: &str) -> Result<()>;
    async fn list_instance_profiles_for_role(&self, role: &str) -> Result<Vec<InstanceProfile>>;
    async fn create_instance_profile(
        &self,
        name: &str,
        path: Option<&str>,
    ) -> Result<InstanceProfile>;
    async fn add_role_to_instance_profile(&self, profile: &str, role: &str) -> Result<()>;
    async fn remove_role_from_instance_profile(&self, profile: &str, role: &str) -> Result<()>;
    async fn delete_instance_profile(&self, name: &str) -> Result<()>;

    // --- managed policies -----------------------------------------------------------------
    async fn list_policies(
        &self,
        scope: PolicyScope,
        only_attached: bool,
        page: PageRequest,
    ) -> Result<Page<ManagedPolicy>>;
    async fn get_policy(&self, arn: &str) -> Result<ManagedPolicy>;
    async fn create_policy(&self, req: CreatePolicy) -> Result<ManagedPolicy>;
    async fn delete_policy(&self, arn: &str) -> Result<()>;
    async fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>>;
    async fn get_policy_version(&self, arn: &str, version_id: &str) -> Result<PolicyVersion>;
    async fn create_policy_version(
        &self,
        arn: &str,
        document: &str,
        set_as_default: bool,
    ) -> Result<PolicyVersion>;
    async fn delete_policy_version(&self, arn: &str, version_id: &str) -> Result<()>;
    async fn set_default_policy_version(&self, arn: &str, version_id: &str) -> Result<()>;
    async fn list_entities_for_policy(
        &self,
        arn: &str,
        usage: PolicyUsage,
    ) -> Result<PolicyEntities>;

    // --- attachments and inline policies ---------------------------------------------------
    async fn list_attached_policies(&self, entity: &EntityRef) -> Result<Vec<AttachedPolicy>>;
    async fn attach_policy(&self, entity: &EntityRef, policy_arn: &str) -> Result<()>;
    async fn detach_policy(&self, entity: &EntityRef, policy_arn: &str) -> Result<()>;
    async fn list_inline_policies(&self, entity: &EntityRef) -> Result<Vec<String>>;
    async fn get_inline_policy(&self, entity: &EntityRef, name: &str) -> Result<InlinePolicy>;
    async fn put_inline_policy(&self, entity: &EntityRef, name: &str, document: &str)
    -> Result<()>;
    async fn delete_inline_policy(&self, entity: &EntityRef, name: &str) -> Result<()>;
    /// Users and roles only; groups cannot have a boundary.
    async fn put_permissions_boundary(&self, entity: &EntityRef, policy_arn: &str) -> Result<()>;
    async fn delete_permissions_boundary(&self, entity: &EntityRef) -> Result<()>;

    // --- tags -----------------------------------------------------------------------------
    async fn list_tags(&self, target: &TagTarget) -> Result<Vec<Tag>>;
    async fn tag(&self, target: &TagTarget, tags: &[Tag]) -> Result<()>;
    async fn untag(&self, target: &TagTarget, keys: &[String]) -> Result<()>;

    // --- access keys ----------------------------------------------------------------------
    /// `None` is the caller's own user.
    async fn list_access_keys(&self, user: Option<&str>) -> Result<Vec<AccessKey>>;
    async fn get_access_key_last_used(&self, access_key_id: &str) -> Result<AccessKeyLastUsed>;
    async fn create_access_key(&self, user: Option<&str>) -> Result<NewAccessKey>;
    async fn update_access_key(
        &self,
        user: Option<&str>,
        access_key_id: &str,
        status: KeyStatus,
    ) -> Result<()>;
    async fn delete_access_key(&self, user: Option<&str>, access_key_id: &str) -> Result<()>;

    // --- MFA ------------------------------------------------------------------------------
    /// Devices assigned to a user (`None`: the caller), of every kind.
    async fn list_mfa_devices(&self, user: Option<&str>) -> Result<Vec<MfaDevice>>;
    /// Every virtual device of the account, with the user each is assigned to.
    async fn list_virtual_mfa_devices(&self, filter: MfaAssignment) -> Result<Vec<MfaDevice>>;
    async fn create_virtual_mfa_device(
        &self,
        name: &str,
        path: Option<&str>,
    ) -> Result<NewVirtualMfa>;
    async fn enable_mfa_device(
        &self,
        user: &str,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> Result<()>;
    async fn resync_mfa_device(
        &self,
        user: &str,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> Result<()>;
    async fn deactivate_mfa_device(&self, user: &str, serial: &str) -> Result<()>;
    async fn delete_virtual_mfa_device(&self, serial: &str) -> Result<()>;

    // --- account settings -----------------------------------------------------------------
    /// `None` when the account has no password policy.
    async fn get_password_policy(&self) -> Result<Option<PasswordPolicy>>;
    async fn update_password_policy(&self, policy: &PasswordPolicy) -> Result<()>;
    async fn delete_password_policy(&self) -> Result<()>;

    // --- identity providers ---------------------------------------------------------------
    async fn list_saml_providers(&self) -> Result<Vec<SamlProvider>>;
    async fn get_saml_provider(&self, arn: &str) -> Result<SamlProvider>;
    async fn create_saml_provider(
        &self,
        name: &str,
        metadata_document: &str,
        tags: &[Tag],
    ) -> Result<String>;
    async fn delete_saml_provider(&self, arn: &str) -> Result<()>;
    async fn list_oidc_providers(&self) -> Result<Vec<OidcProvider>>;
    async fn get_oidc_provider(&self, arn: &str) -> Result<OidcProvider>;
    async fn create_oidc_provider(&self, req: CreateOidcProvider) -> Result<String>;
    async fn delete_oidc_provider(&self, arn: &str) -> Result<()>;

    // --- credential report ----------------------------------------------------------------
    async fn generate_credential_report(&self) -> Result<ReportState>;
    async fn get_credential_report(&self) -> Result<CredentialReport>;

    // --- STS ------------------------------------------------------------------------------
    async fn assume_role(&self, req: AssumeRoleRequest) -> Result<AssumedRole>;
    async fn get_session_token(&self, req: GetSessionTokenRequest) -> Result<Credentials>;
}

/// Follows markers until IAM says the list is complete. A marker that repeats ends the loop
/// with an error instead of spinning forever on a misbehaving endpoint.
pub async fn collect_pages<T, F, Fut>(operation: &'static str, mut fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    let mut items = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = fetch(marker.clone()).await?;
        items.extend(page.items);
        match page.next_marker {
            Some(next) if Some(&next) == marker.as_ref() => {
                return Err(super::BackendError::new(
                    operation,
                    super::ErrorKind::Service {
                        code: "PaginationLoop".into(),
                        message: "the endpoint returned the same marker twice".into(),
                    },
                ));
            }
            Some(next) => marker = Some(next),
            None => return Ok(items),
        }
    }
}

/// Convenience wrappers that collect every page of the top-level lists.
pub async fn all_users(b: &dyn Backend) -> Result<Vec<User>> {
    collect_pages("ListUsers", |m| b.list_users(PageRequest::after(m))).await
}
pub async fn all_groups(b: &dyn Backend) -> Result<Vec<Group>> {
    collect_pages("ListGroups", |m| b.list_groups(PageRequest::after(m))).await
}
pub async fn all_roles(b: &dyn Backend) -> Result<Vec<Role>> {
    collect_pages("ListRoles", |m| b.list_roles(PageRequest::after(m))).await
}
pub async fn all_policies(
    b: &dyn Backend,
    scope: PolicyScope,
    only_attached: bool,
) -> Result<Vec<ManagedPolicy>> {
    collect_pages("ListPolicies", |m| {
        b.list_policies(scope, only_attached, PageRequest::after(m))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn collect_pages_follows_markers_to_the_end() {
        let pages: Vec<Page<u32>> = vec![
            Page {
                items: vec![1, 2],
                next_marker: Some("a".into()),
            },
            Page {
                items: vec![3],
                next_marker: Some("b".into()),
            },
            Page {
                items: vec![4],
                next_marker: None,
            },
        ];
        let mut seen = Vec::new();
        let got = collect_pages("T", |m| {
            seen.push(m.clone());
            let i = match m.as_deref() {
                None => 0,
                Some("a") => 1,
                Some("b") => 2,
                _ => 99,
            };
            let p = pages[i].clone();
            async move { Ok(p) }
        })
        .await
        .unwrap();
        assert_eq!(got, vec![1, 2, 3, 4]);
        assert_eq!(seen, vec![None, Some("a".into()), Some("b".into())]);
    }

    #[tokio::test]
    async fn collect_pages_refuses_a_marker_loop() {
        let err = collect_pages::<u32, _, _>("T", |_| async {
            Ok(Page {
                items: vec![1],
                next_marker: Some("same".into()),
            })
        })
        .await
        .unwrap_err();
        assert_eq!(err.operation, "T");
    }
}
