//! Every backend operation, declared once. [`backend_ops!`] hands the list to a macro that
//! derives something from it: the [`Backend`](super::Backend) trait's methods, the console's
//! `Call`/`Reply` and their dispatcher (`app::calls`), and whole `Backend` implementations that
//! treat every operation alike ([`impl_backend!`]: the read-only wrapper, the AWS backend, the
//! local account).
//!
//! One entry reads
//!
//! ```text
//! /// docs
//! read|write[<IAM operation name>] method(trait args) -> result
//!     => ConsoleCall { owned fields } (trait args built from the fields);
//! ```
//!
//! The name in brackets is an expression of the trait arguments; the local account serves the
//! call under it (the tagging calls name their target there), the read-only wrapper refuses a
//! write with it. `write` marks an operation that changes the account: the read-only wrapper
//! refuses it and the console asks before queueing it. Everything else is a `read`, including
//! the STS calls that only mint credentials and generating the credential report, which
//! changes nothing IAM policies guard as a write.

use super::types::EntityKind;

/// The IAM name of a call that exists in a user, a group and a role flavour.
pub fn by_kind(kind: EntityKind, [user, group, role]: [&'static str; 3]) -> &'static str {
    match kind {
        EntityKind::User => user,
        EntityKind::Group => group,
        EntityKind::Role => role,
    }
}

/// Calls `[callback]` with `[extra tokens]` and then every operation (see the module docs).
macro_rules! backend_ops {
    ([$($callback:tt)+] $($extra:tt)*) => { $($callback)+! { [$($extra)*]

        // --- identity ---------------------------------------------------------------------
        read["GetCallerIdentity"] whoami() -> Identity => Whoami ();
        read["ListAccountAliases"] list_account_aliases() -> Vec<String> => AccountAliases ();
        /// An account has one alias: a new one takes the place of the old.
        write["CreateAccountAlias"] create_account_alias(alias: &str) -> ()
            => CreateAccountAlias { alias: String } (&alias);
        write["DeleteAccountAlias"] delete_account_alias(alias: &str) -> ()
            => DeleteAccountAlias { alias: String } (&alias);

        // --- users ------------------------------------------------------------------------
        read["ListUsers"] list_users(page: PageRequest) -> Page<User>
            => ListUsers { marker: Option<String> } (console_page(marker));
        /// `None` is the caller's own user.
        read["GetUser"] get_user(name: Option<&str>) -> User
            => GetUser { name: String } (Some(&name));
        write["CreateUser"] create_user(req: CreateUser) -> User
            => CreateUser { name: String, path: Option<String> }
                (CreateUser { name, path, ..CreateUser::default() });
        write["UpdateUser"] update_user(name: &str, change: Rename) -> ()
            => UpdateUser { name: String, change: Rename } (&name, change);
        write["DeleteUser"] delete_user(name: &str) -> () => DeleteUser { name: String } (&name);
        read["ListGroupsForUser"] list_groups_for_user(name: &str) -> Vec<Group>
            => GroupsForUser { name: String } (&name);
        /// The user's console password, `None` when it has none.
        read["GetLoginProfile"] get_login_profile(user: &str) -> Option<LoginProfile>
            => LoginProfile { user: String } (&user);
        /// A console password, checked against the account's password policy.
        write["CreateLoginProfile"]
            create_login_profile(user: &str, password: &Password, reset_required: bool)
                -> LoginProfile
            => CreateLoginProfile { user: String, password: Password, reset_required: bool }
                (&user, &password, reset_required);
        /// A new password and/or the must-change-at-next-sign-in flag (`None` keeps it).
        write["UpdateLoginProfile"]
            update_login_profile(user: &str, password: Option<&Password>, reset_required: Option<bool>)
                -> ()
            => UpdateLoginProfile {
                user: String, password: Option<Password>, reset_required: Option<bool>
            } (&user, password.as_ref(), reset_required);
        write["DeleteLoginProfile"] delete_login_profile(user: &str) -> ()
            => DeleteLoginProfile { user: String } (&user);

        // --- groups -----------------------------------------------------------------------
        read["ListGroups"] list_groups(page: PageRequest) -> Page<Group>
            => ListGroups { marker: Option<String> } (console_page(marker));
        read["GetGroup"] get_group(name: &str) -> GroupDetail => GetGroup { name: String } (&name);
        write["CreateGroup"] create_group(name: &str, path: Option<&str>) -> Group
            => CreateGroup { name: String, path: Option<String> } (&name, path.as_deref());
        write["UpdateGroup"] update_group(name: &str, change: Rename) -> ()
            => UpdateGroup { name: String, change: Rename } (&name, change);
        write["DeleteGroup"] delete_group(name: &str) -> () => DeleteGroup { name: String } (&name);
        write["AddUserToGroup"] add_user_to_group(group: &str, user: &str) -> ()
            => AddMember { group: String, user: String } (&group, &user);
        write["RemoveUserFromGroup"] remove_user_from_group(group: &str, user: &str) -> ()
            => RemoveMember { group: String, user: String } (&group, &user);

        // --- roles ------------------------------------------------------------------------
        read["ListRoles"] list_roles(page: PageRequest) -> Page<Role>
            => ListRoles { marker: Option<String> } (console_page(marker));
        read["GetRole"] get_role(name: &str) -> Role => GetRole { name: String } (&name);
        write["CreateRole"] create_role(req: CreateRole) -> Role
            => CreateRole { req: CreateRole } (req);
        write["UpdateRole"] update_role(
            name: &str,
            description: Option<&str>,
            max_session_duration: Option<i32>
        ) -> ()
            => UpdateRole {
                name: String,
                description: Option<String>,
                max_session_duration: Option<i32>
            } (&name, description.as_deref(), max_session_duration);
        write["UpdateAssumeRolePolicy"] update_assume_role_policy(name: &str, document: &str) -> ()
            => UpdateTrust { role: String, document: String } (&role, &document);
        write["DeleteRole"] delete_role(name: &str) -> () => DeleteRole { name: String } (&name);
        /// A role an AWS service defines and uses; IAM names it for the service.
        write["CreateServiceLinkedRole"] create_service_linked_role(req: CreateServiceLinkedRole)
            -> Role
            => CreateServiceLinkedRole { req: CreateServiceLinkedRole } (req);
        /// Starts deleting a service-linked role (the service checks that nothing uses it):
        /// the deletion task's id.
        write["DeleteServiceLinkedRole"] delete_service_linked_role(name: &str) -> String
            => DeleteServiceLinkedRole { name: String } (&name);
        read["GetServiceLinkedRoleDeletionStatus"] get_service_linked_role_deletion_status(
            task_id: &str
        ) -> RoleDeletion
            => RoleDeletion { task_id: String } (&task_id);
        read["ListInstanceProfiles"] list_instance_profiles(page: PageRequest)
            -> Page<InstanceProfile>
            => ListInstanceProfiles { marker: Option<String> } (console_page(marker));
        read["GetInstanceProfile"] get_instance_profile(name: &str) -> InstanceProfile
            => GetInstanceProfile { name: String } (&name);
        read["ListInstanceProfilesForRole"] list_instance_profiles_for_role(role: &str)
            -> Vec<InstanceProfile>
            => InstanceProfiles { role: String } (&role);
        write["CreateInstanceProfile"] create_instance_profile(name: &str, path: Option<&str>)
            -> InstanceProfile
            => CreateInstanceProfile { name: String, path: Option<String> }
                (&name, path.as_deref());
        write["AddRoleToInstanceProfile"] add_role_to_instance_profile(profile: &str, role: &str)
            -> ()
            => AddRoleToInstanceProfile { profile: String, role: String } (&profile, &role);
        write["RemoveRoleFromInstanceProfile"] remove_role_from_instance_profile(
            profile: &str,
            role: &str
        ) -> ()
            => RemoveRoleFromInstanceProfile { profile: String, role: String } (&profile, &role);
        write["DeleteInstanceProfile"] delete_instance_profile(name: &str) -> ()
            => DeleteInstanceProfile { name: String } (&name);

        // --- managed policies -------------------------------------------------------------
        read["ListPolicies"] list_policies(
            scope: PolicyScope,
            only_attached: bool,
            page: PageRequest
        ) -> Page<ManagedPolicy>
            => ListPolicies { marker: Option<String> }
                (PolicyScope::All, false, console_page(marker));
        read["GetPolicy"] get_policy(arn: &str) -> ManagedPolicy
            => GetPolicy { arn: String } (&arn);
        write["CreatePolicy"] create_policy(req: CreatePolicy) -> ManagedPolicy
            => CreatePolicy { req: CreatePolicy } (req);
        write["DeletePolicy"] delete_policy(arn: &str) -> () => DeletePolicy { arn: String } (&arn);
        read["ListPolicyVersions"] list_policy_versions(arn: &str) -> Vec<PolicyVersion>
            => PolicyVersions { arn: String } (&arn);
        read["GetPolicyVersion"] get_policy_version(arn: &str, version_id: &str) -> PolicyVersion
            => PolicyVersion { arn: String, version_id: String } (&arn, &version_id);
        /// The console's saves always make the new version the default.
        write["CreatePolicyVersion"] create_policy_version(
            arn: &str,
            document: &str,
            set_as_default: bool
        ) -> PolicyVersion
            => CreatePolicyVersion { arn: String, document: String } (&arn, &document, true);
        write["DeletePolicyVersion"] delete_policy_version(arn: &str, version_id: &str) -> ()
            => DeletePolicyVersion { arn: String, version_id: String } (&arn, &version_id);
        write["SetDefaultPolicyVersion"] set_default_policy_version(arn: &str, version_id: &str)
            -> ()
            => SetDefaultPolicyVersion { arn: String, version_id: String } (&arn, &version_id);
        read["ListEntitiesForPolicy"] list_entities_for_policy(arn: &str, usage: PolicyUsage)
            -> PolicyEntities
            => EntitiesForPolicy { arn: String, usage: PolicyUsage } (&arn, usage);

        // --- attachments and inline policies ----------------------------------------------
        read[by_kind(entity.kind, [
            "ListAttachedUserPolicies",
            "ListAttachedGroupPolicies",
            "ListAttachedRolePolicies",
        ])]
            list_attached_policies(entity: &EntityRef) -> Vec<AttachedPolicy>
            => Attached { entity: EntityRef } (&entity);
        write[by_kind(entity.kind, ["AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy"])]
            attach_policy(entity: &EntityRef, policy_arn: &str) -> ()
            => Attach { entity: EntityRef, arn: String } (&entity, &arn);
        write[by_kind(entity.kind, ["DetachUserPolicy", "DetachGroupPolicy", "DetachRolePolicy"])]
            detach_policy(entity: &EntityRef, policy_arn: &str) -> ()
            => Detach { entity: EntityRef, arn: String } (&entity, &arn);
        read[by_kind(entity.kind, ["ListUserPolicies", "ListGroupPolicies", "ListRolePolicies"])]
            list_inline_policies(entity: &EntityRef) -> Vec<String>
            => InlineNames { entity: EntityRef } (&entity);
        read[by_kind(entity.kind, ["GetUserPolicy", "GetGroupPolicy", "GetRolePolicy"])]
            get_inline_policy(entity: &EntityRef, name: &str) -> InlinePolicy
            => InlineDocument { entity: EntityRef, name: String } (&entity, &name);
        write[by_kind(entity.kind, ["PutUserPolicy", "PutGroupPolicy", "PutRolePolicy"])]
            put_inline_policy(entity: &EntityRef, name: &str, document: &str) -> ()
            => PutInline { entity: EntityRef, name: String, document: String }
                (&entity, &name, &document);
        write[by_kind(entity.kind, ["DeleteUserPolicy", "DeleteGroupPolicy", "DeleteRolePolicy"])]
            delete_inline_policy(entity: &EntityRef, name: &str) -> ()
            => DeleteInline { entity: EntityRef, name: String } (&entity, &name);
        /// Users and roles only; groups cannot have a boundary.
        write[by_kind(entity.kind, [
            "PutUserPermissionsBoundary",
            "PutUserPermissionsBoundary",
            "PutRolePermissionsBoundary",
        ])]
            put_permissions_boundary(entity: &EntityRef, policy_arn: &str) -> ()
            => PutBoundary { entity: EntityRef, arn: String } (&entity, &arn);
        write[by_kind(entity.kind, [
            "DeleteUserPermissionsBoundary",
            "DeleteUserPermissionsBoundary",
            "DeleteRolePermissionsBoundary",
        ])]
            delete_permissions_boundary(entity: &EntityRef) -> ()
            => DeleteBoundary { entity: EntityRef } (&entity);

        // --- tags -------------------------------------------------------------------------
        read["ListTags"] list_tags(target: &TagTarget) -> Vec<Tag>
            => Tags { target: TagTarget } (&target);
        write["TagResource"] tag(target: &TagTarget, tags: &[Tag]) -> ()
            => Tag { target: TagTarget, tags: Vec<Tag> } (&target, &tags);
        write["UntagResource"] untag(target: &TagTarget, keys: &[String]) -> ()
            => Untag { target: TagTarget, keys: Vec<String> } (&target, &keys);

        // --- access keys (`None` is the caller's own user) --------------------------------
        read["ListAccessKeys"] list_access_keys(user: Option<&str>) -> Vec<AccessKey>
            => AccessKeys { user: String } (Some(&user));
        read["GetAccessKeyLastUsed"] get_access_key_last_used(access_key_id: &str)
            -> AccessKeyLastUsed
            => KeyLastUsed { key_id: String } (&key_id);
        write["CreateAccessKey"] create_access_key(user: Option<&str>) -> NewAccessKey
            => CreateAccessKey { user: String } (Some(&user));
        write["UpdateAccessKey"] update_access_key(
            user: Option<&str>,
            access_key_id: &str,
            status: KeyStatus
        ) -> ()
            => UpdateAccessKey { user: String, key_id: String, status: KeyStatus }
                (Some(&user), &key_id, status);
        write["DeleteAccessKey"] delete_access_key(user: Option<&str>, access_key_id: &str) -> ()
            => DeleteAccessKey { user: String, key_id: String } (Some(&user), &key_id);

        // --- MFA --------------------------------------------------------------------------
        /// Devices assigned to a user (`None`: the caller), of every kind.
        read["ListMFADevices"] list_mfa_devices(user: Option<&str>) -> Vec<MfaDevice>
            => UserMfa { user: String } (Some(&user));
        /// Every virtual device of the account, with the user each is assigned to.
        read["ListVirtualMFADevices"] list_virtual_mfa_devices(filter: MfaAssignment)
            -> Vec<MfaDevice>
            => ListVirtualMfa (MfaAssignment::Any);
        write["CreateVirtualMFADevice"] create_virtual_mfa_device(name: &str, path: Option<&str>)
            -> NewVirtualMfa
            => CreateVirtualMfa { name: String } (&name, None);
        write["EnableMFADevice"] enable_mfa_device(
            user: &str,
            serial: &str,
            code1: &str,
            code2: &str
        ) -> ()
            => EnableMfa { user: String, serial: String, code1: String, code2: String }
                (&user, &serial, &code1, &code2);
        write["ResyncMFADevice"] resync_mfa_device(
            user: &str,
            serial: &str,
            code1: &str,
            code2: &str
        ) -> ()
            => ResyncMfa { user: String, serial: String, code1: String, code2: String }
                (&user, &serial, &code1, &code2);
        write["DeactivateMFADevice"] deactivate_mfa_device(user: &str, serial: &str) -> ()
            => DeactivateMfa { user: String, serial: String } (&user, &serial);
        write["DeleteVirtualMFADevice"] delete_virtual_mfa_device(serial: &str) -> ()
            => DeleteVirtualMfa { serial: String } (&serial);

        // --- account settings -------------------------------------------------------------
        /// `None` when the account has no password policy.
        read["GetAccountPasswordPolicy"] get_password_policy() -> Option<PasswordPolicy>
            => GetPasswordPolicy ();
        write["UpdateAccountPasswordPolicy"] update_password_policy(policy: &PasswordPolicy) -> ()
            => UpdatePasswordPolicy { policy: PasswordPolicy } (&policy);
        write["DeleteAccountPasswordPolicy"] delete_password_policy() -> ()
            => DeletePasswordPolicy ();

        /// Entity counts and quotas (GetAccountSummary).
        read["GetAccountSummary"] get_account_summary() -> AccountSummary
            => AccountSummary ();

        // --- identity providers -----------------------------------------------------------
        read["ListSAMLProviders"] list_saml_providers() -> Vec<SamlProvider>
            => ListSamlProviders ();
        read["GetSAMLProvider"] get_saml_provider(arn: &str) -> SamlProvider
            => GetSamlProvider { arn: String } (&arn);
        write["CreateSAMLProvider"] create_saml_provider(
            name: &str,
            metadata_document: &str,
            tags: &[Tag]
        ) -> String
            => CreateSamlProvider { name: String, metadata_document: String, tags: Vec<Tag> }
                (&name, &metadata_document, &tags);
        write["DeleteSAMLProvider"] delete_saml_provider(arn: &str) -> ()
            => DeleteSamlProvider { arn: String } (&arn);
        read["ListOpenIDConnectProviders"] list_oidc_providers() -> Vec<OidcProvider>
            => ListOidcProviders ();
        read["GetOpenIDConnectProvider"] get_oidc_provider(arn: &str) -> OidcProvider
            => GetOidcProvider { arn: String } (&arn);
        write["CreateOpenIDConnectProvider"] create_oidc_provider(req: CreateOidcProvider)
            -> String
            => CreateOidcProvider { req: CreateOidcProvider } (req);
        write["DeleteOpenIDConnectProvider"] delete_oidc_provider(arn: &str) -> ()
            => DeleteOidcProvider { arn: String } (&arn);
        /// A new metadata document; answers the provider's ARN.
        write["UpdateSAMLProvider"] update_saml_provider(arn: &str, metadata_document: &str)
            -> String
            => UpdateSamlProvider { arn: String, metadata_document: String }
                (&arn, &metadata_document);
        write["AddClientIDToOpenIDConnectProvider"]
            add_oidc_client_id(arn: &str, client_id: &str) -> ()
            => AddOidcClientId { arn: String, client_id: String } (&arn, &client_id);
        write["RemoveClientIDFromOpenIDConnectProvider"]
            remove_oidc_client_id(arn: &str, client_id: &str) -> ()
            => RemoveOidcClientId { arn: String, client_id: String } (&arn, &client_id);
        /// Replaces the whole thumbprint list.
        write["UpdateOpenIDConnectProviderThumbprint"]
            update_oidc_thumbprints(arn: &str, thumbprints: &[String]) -> ()
            => UpdateOidcThumbprints { arn: String, thumbprints: Vec<String> }
                (&arn, &thumbprints);

        // --- credential report ------------------------------------------------------------
        // Generating the report changes nothing in the account (AWS's ReadOnlyAccess allows
        // it); a local account opened read-only builds it in memory.
        read["GenerateCredentialReport"] generate_credential_report() -> ReportState
            => GenerateCredentialReport ();
        read["GetCredentialReport"] get_credential_report() -> CredentialReport
            => GetCredentialReport ();

        // --- STS: mints credentials, changes nothing ---------------------------------------
        read["AssumeRole"] assume_role(req: AssumeRoleRequest) -> AssumedRole
            => AssumeRole { request: Box<AssumeRoleRequest> } (*request);
        /// The console asks for a 12-hour MFA session.
        read["GetSessionToken"] get_session_token(req: GetSessionTokenRequest) -> Credentials
            => SessionToken { serial: String, code: String }
                (GetSessionTokenRequest {
                    duration_seconds: Some(12 * 3600),
                    serial_number: Some(serial),
                    token_code: Some(code),
                });

        // --- SSH public keys and signing certificates (CodeCommit, SOAP) --------------------
        read["ListSSHPublicKeys"] list_ssh_public_keys(user: &str) -> Vec<SshPublicKey>
            => SshKeys { user: String } (&user);
        /// An `ssh-rsa`/`ssh-ed25519` public key (OpenSSH format) or a PEM public key.
        write["UploadSSHPublicKey"] upload_ssh_public_key(user: &str, body: &str) -> SshPublicKey
            => UploadSshKey { user: String, body: String } (&user, &body);
        write["DeleteSSHPublicKey"] delete_ssh_public_key(user: &str, key_id: &str) -> ()
            => DeleteSshKey { user: String, key_id: String } (&user, &key_id);
        read["ListSigningCertificates"] list_signing_certificates(user: &str)
            -> Vec<SigningCertificate>
            => SigningCerts { user: String } (&user);
        /// A PEM-encoded X.509 certificate.
        write["UploadSigningCertificate"] upload_signing_certificate(user: &str, body: &str)
            -> SigningCertificate
            => UploadSigningCert { user: String, body: String } (&user, &body);
        write["DeleteSigningCertificate"] delete_signing_certificate(
            user: &str,
            certificate_id: &str
        ) -> ()
            => DeleteSigningCert { user: String, cert_id: String } (&user, &cert_id);
    } };
}
pub(crate) use backend_ops;

/// `impl Backend for $ty`: the hand-written `{ items }` (info, with_credentials, ...) and every
/// operation, whose body `$body!` writes from `(self; read|write[name]; method(args))`.
macro_rules! impl_backend {
    ($ty:ty, $body:ident, { $($items:item)* }) => {
        $crate::iam::ops::backend_ops!([$crate::iam::ops::impl_backend_ops] $ty, $body, {
            $($items)*
        });
    };
}
pub(crate) use impl_backend;

/// [`impl_backend!`]'s callback.
macro_rules! impl_backend_ops {
    ([$ty:ty, $body:ident, { $($items:item)* }] $(
        $(#[$doc:meta])*
        $kind:ident $([$op:expr])? $method:ident ($($arg:ident : $aty:ty),* $(,)?) -> $ret:ty
            => $call:ident $({ $($field:ident : $fty:ty),* $(,)? })? ($($built:expr),* $(,)?);
    )*) => {
        #[async_trait::async_trait]
        impl $crate::iam::Backend for $ty {
            $($items)*
            $(
                async fn $method(&self, $($arg: $aty),*) -> $crate::iam::error::Result<$ret> {
                    $body!(self; $kind $([$op])?; $method($($arg),*))
                }
            )*
        }
    };
}
pub(crate) use impl_backend_ops;
