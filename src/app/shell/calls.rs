//! Backend calls as data. `update` decides which calls to make and gets their replies back as
//! messages; only [`execute`] talks to the backend, inside a background task. Describing calls
//! as values keeps `update` free of I/O and lets tests see what it asked for.

use std::sync::Arc;

use crate::iam::error::Result;
use crate::iam::*;

/// One backend call.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    // Lists, a page at a time.
    ListUsers {
        marker: Option<String>,
    },
    ListGroups {
        marker: Option<String>,
    },
    ListRoles {
        marker: Option<String>,
    },
    ListPolicies {
        marker: Option<String>,
    },
    // Account-wide.
    GenerateCredentialReport,
    GetCredentialReport,
    ListVirtualMfa,
    ListSamlProviders,
    ListOidcProviders,
    GetPasswordPolicy,
    // Per entity.
    GetUser {
        name: String,
    },
    GroupsForUser {
        name: String,
    },
    AccessKeys {
        user: String,
    },
    KeyLastUsed {
        key_id: String,
    },
    UserMfa {
        user: String,
    },
    LoginProfile {
        user: String,
    },
    GetGroup {
        name: String,
    },
    GetRole {
        name: String,
    },
    InstanceProfiles {
        role: String,
    },
    GetPolicy {
        arn: String,
    },
    PolicyVersions {
        arn: String,
    },
    PolicyVersion {
        arn: String,
        version_id: String,
    },
    EntitiesForPolicy {
        arn: String,
        usage: PolicyUsage,
    },
    Attached {
        entity: EntityRef,
    },
    InlineNames {
        entity: EntityRef,
    },
    InlineDocument {
        entity: EntityRef,
        name: String,
    },
    Tags {
        target: TagTarget,
    },
    GetSamlProvider {
        arn: String,
    },
    GetOidcProvider {
        arn: String,
    },
    // Changes.
    CreateUser {
        name: String,
        path: Option<String>,
    },
    CreateGroup {
        name: String,
        path: Option<String>,
    },
    DeleteUser {
        name: String,
    },
    DeleteGroup {
        name: String,
    },
    DeleteRole {
        name: String,
    },
    DeletePolicy {
        arn: String,
    },
    Attach {
        entity: EntityRef,
        arn: String,
    },
    Detach {
        entity: EntityRef,
        arn: String,
    },
    AddMember {
        group: String,
        user: String,
    },
    RemoveMember {
        group: String,
        user: String,
    },
    Tag {
        target: TagTarget,
        tags: Vec<Tag>,
    },
    Untag {
        target: TagTarget,
        keys: Vec<String>,
    },
    CreateAccessKey {
        user: String,
    },
    UpdateAccessKey {
        user: String,
        key_id: String,
        status: KeyStatus,
    },
    DeleteAccessKey {
        user: String,
        key_id: String,
    },
    CreateVirtualMfa {
        name: String,
    },
    EnableMfa {
        user: String,
        serial: String,
        code1: String,
        code2: String,
    },
    DeactivateMfa {
        user: String,
        serial: String,
    },
    ResyncMfa {
        user: String,
        serial: String,
        code1: String,
        code2: String,
    },
    DeleteVirtualMfa {
        serial: String,
    },
    AssumeRole {
        request: Box<AssumeRoleRequest>,
    },
    SessionToken {
        serial: String,
        code: String,
    },
    // The policy editor's saves.
    /// A new default version.
    CreatePolicyVersion {
        arn: String,
        document: String,
    },
    DeletePolicyVersion {
        arn: String,
        version_id: String,
    },
    PutInline {
        entity: EntityRef,
        name: String,
        document: String,
    },
    UpdateTrust {
        role: String,
        document: String,
    },
    CreatePolicy {
        name: String,
        document: String,
    },
}

impl Call {
    /// The call's kind without its arguments, for logs (arguments may hold MFA codes).
    pub fn label(&self) -> String {
        let s = format!("{self:?}");
        s.split([' ', '{', '('])
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// Whether the call changes the account (refused up front in read-only mode).
    pub fn mutates(&self) -> bool {
        matches!(
            self,
            Call::CreateUser { .. }
                | Call::CreateGroup { .. }
                | Call::DeleteUser { .. }
                | Call::DeleteGroup { .. }
                | Call::DeleteRole { .. }
                | Call::DeletePolicy { .. }
                | Call::Attach { .. }
                | Call::Detach { .. }
                | Call::AddMember { .. }
                | Call::RemoveMember { .. }
                | Call::Tag { .. }
                | Call::Untag { .. }
                | Call::CreateAccessKey { .. }
                | Call::UpdateAccessKey { .. }
                | Call::DeleteAccessKey { .. }
                | Call::CreateVirtualMfa { .. }
                | Call::EnableMfa { .. }
                | Call::DeactivateMfa { .. }
                | Call::ResyncMfa { .. }
                | Call::DeleteVirtualMfa { .. }
                | Call::CreatePolicyVersion { .. }
                | Call::DeletePolicyVersion { .. }
                | Call::PutInline { .. }
                | Call::UpdateTrust { .. }
                | Call::CreatePolicy { .. }
        )
    }
}

/// A call's result.
#[derive(Debug, Clone)]
pub enum Reply {
    Users(Page<User>),
    Groups(Page<Group>),
    Roles(Page<Role>),
    Policies(Page<ManagedPolicy>),
    ReportState(ReportState),
    Report(CredentialReport),
    MfaDevices(Vec<MfaDevice>),
    SamlProviders(Vec<SamlProvider>),
    OidcProviders(Vec<OidcProvider>),
    PasswordPolicy(Option<PasswordPolicy>),
    User(User),
    GroupList(Vec<Group>),
    AccessKeys(Vec<AccessKey>),
    KeyLastUsed(AccessKeyLastUsed),
    LoginProfile(Option<LoginProfile>),
    Group(GroupDetail),
    Role(Role),
    InstanceProfiles(Vec<InstanceProfile>),
    Policy(ManagedPolicy),
    Versions(Vec<PolicyVersion>),
    Version(PolicyVersion),
    Entities(PolicyEntities),
    Attached(Vec<AttachedPolicy>),
    Names(Vec<String>),
    Inline(InlinePolicy),
    Tags(Vec<Tag>),
    Saml(SamlProvider),
    Oidc(OidcProvider),
    Created(String),
    /// A new access key: the only moment its secret exists outside IAM.
    NewKey(NewAccessKey),
    /// A new virtual MFA device and its seed.
    NewMfa(NewVirtualMfa),
    Assumed(Box<AssumedRole>),
    Session(Credentials),
    Done,
}

/// Makes the call. The only function of the app that awaits the backend.
pub async fn execute(b: Arc<dyn Backend>, call: Call) -> Result<Reply> {
    use Call as C;
    use Reply as R;
    let after = |marker: Option<String>| PageRequest {
        marker,
        max_items: Some(1000),
        path_prefix: None,
    };
    Ok(match call {
        C::ListUsers { marker } => R::Users(b.list_users(after(marker)).await?),
        C::ListGroups { marker } => R::Groups(b.list_groups(after(marker)).await?),
        C::ListRoles { marker } => R::Roles(b.list_roles(after(marker)).await?),
        C::ListPolicies { marker } => R::Policies(
            b.list_policies(PolicyScope::All, false, after(marker))
                .await?,
        ),
        C::GenerateCredentialReport => R::ReportState(b.generate_credential_report().await?),
        C::GetCredentialReport => R::Report(b.get_credential_report().await?),
        C::ListVirtualMfa => R::MfaDevices(b.list_virtual_mfa_devices(MfaAssignment::Any).await?),
        C::ListSamlProviders => R::SamlProviders(b.list_saml_providers().await?),
        C::ListOidcProviders => R::OidcProviders(b.list_oidc_providers().await?),
        C::GetPasswordPolicy => R::PasswordPolicy(b.get_password_policy().await?),
        C::GetUser { name } => R::User(b.get_user(Some(&name)).await?),
        C::GroupsForUser { name } => R::GroupList(b.list_groups_for_user(&name).await?),
        C::AccessKeys { user } => R::AccessKeys(b.list_access_keys(Some(&user)).await?),
        C::KeyLastUsed { key_id } => R::KeyLastUsed(b.get_access_key_last_used(&key_id).await?),
        C::UserMfa { user } => R::MfaDevices(b.list_mfa_devices(Some(&user)).await?),
        C::LoginProfile { user } => R::LoginProfile(b.get_login_profile(&user).await?),
        C::GetGroup { name } => R::Group(b.get_group(&name).await?),
        C::GetRole { name } => R::Role(b.get_role(&name).await?),
        C::InstanceProfiles { role } => {
            R::InstanceProfiles(b.list_instance_profiles_for_role(&role).await?)
        }
        C::GetPolicy { arn } => R::Policy(b.get_policy(&arn).await?),
        C::PolicyVersions { arn } => R::Versions(b.list_policy_versions(&arn).await?),
        C::PolicyVersion { arn, version_id } => {
            R::Version(b.get_policy_version(&arn, &version_id).await?)
        }
        C::EntitiesForPolicy { arn, usage } => {
            R::Entities(b.list_entities_for_policy(&arn, usage).await?)
        }
        C::Attached { entity } => R::Attached(b.list_attached_policies(&entity).await?),
        C::InlineNames { entity } => R::Names(b.list_inline_policies(&entity).await?),
        C::InlineDocument { entity, name } => R::Inline(b.get_inline_policy(&entity, &name).await?),
        C::Tags { target } => R::Tags(b.list_tags(&target).await?),
        C::GetSamlProvider { arn } => R::Saml(b.get_saml_provider(&arn).await?),
        C::GetOidcProvider { arn } => R::Oidc(b.get_oidc_provider(&arn).await?),
        C::CreateUser { name, path } => R::Created(
            b.create_user(CreateUser {
                name,
                path,
                ..CreateUser::default()
            })
            .await?
            .arn,
        ),
        C::CreateGroup { name, path } => {
            R::Created(b.create_group(&name, path.as_deref()).await?.arn)
        }
        C::DeleteUser { name } => {
            b.delete_user(&name).await?;
            R::Done
        }
        C::DeleteGroup { name } => {
            b.delete_group(&name).await?;
            R::Done
        }
        C::DeleteRole { name } => {
            b.delete_role(&name).await?;
            R::Done
        }
        C::DeletePolicy { arn } => {
            b.delete_policy(&arn).await?;
            R::Done
        }
        C::Attach { entity, arn } => {
            b.attach_policy(&entity, &arn).await?;
            R::Done
        }
        C::Detach { entity, arn } => {
            b.detach_policy(&entity, &arn).await?;
            R::Done
        }
        C::AddMember { group, user } => {
            b.add_user_to_group(&group, &user).await?;
            R::Done
        }
        C::RemoveMember { group, user } => {
            b.remove_user_from_group(&group, &user).await?;
            R::Done
        }
        C::Tag { target, tags } => {
            b.tag(&target, &tags).await?;
            R::Done
        }
        C::Untag { target, keys } => {
            b.untag(&target, &keys).await?;
            R::Done
        }
        C::CreateAccessKey { user } => R::NewKey(b.create_access_key(Some(&user)).await?),
        C::UpdateAccessKey {
            user,
            key_id,
            status,
        } => {
            b.update_access_key(Some(&user), &key_id, status).await?;
            R::Done
        }
        C::DeleteAccessKey { user, key_id } => {
            b.delete_access_key(Some(&user), &key_id).await?;
            R::Done
        }
        C::CreateVirtualMfa { name } => R::NewMfa(b.create_virtual_mfa_device(&name, None).await?),
        C::EnableMfa {
            user,
            serial,
            code1,
            code2,
        } => {
            b.enable_mfa_device(&user, &serial, &code1, &code2).await?;
            R::Done
        }
        C::DeactivateMfa { user, serial } => {
            b.deactivate_mfa_device(&user, &serial).await?;
            R::Done
        }
        C::ResyncMfa {
            user,
            serial,
            code1,
            code2,
        } => {
            b.resync_mfa_device(&user, &serial, &code1, &code2).await?;
            R::Done
        }
        C::AssumeRole { request } => R::Assumed(Box::new(b.assume_role(*request).await?)),
        C::SessionToken { serial, code } => R::Session(
            b.get_session_token(GetSessionTokenRequest {
                duration_seconds: Some(12 * 3600),
                serial_number: Some(serial),
                token_code: Some(code),
            })
            .await?,
        ),
        C::DeleteVirtualMfa { serial } => {
            b.delete_virtual_mfa_device(&serial).await?;
            R::Done
        }
        C::CreatePolicyVersion { arn, document } => {
            R::Version(b.create_policy_version(&arn, &document, true).await?)
        }
        C::DeletePolicyVersion { arn, version_id } => {
            b.delete_policy_version(&arn, &version_id).await?;
            R::Done
        }
        C::PutInline {
            entity,
            name,
            document,
        } => {
            b.put_inline_policy(&entity, &name, &document).await?;
            R::Done
        }
        C::UpdateTrust { role, document } => {
            b.update_assume_role_policy(&role, &document).await?;
            R::Done
        }
        C::CreatePolicy { name, document } => R::Policy(
            b.create_policy(CreatePolicy {
                name,
                document,
                ..CreatePolicy::default()
            })
            .await?,
        ),
    })
}
