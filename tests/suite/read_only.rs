//! `ReadOnly::wrap`: every mutating call is refused before it reaches the backend, reads pass.

use std::sync::Arc;

use iamtui::backend::ReadOnly;
use iamtui::iam::backend::{all_groups, all_policies, all_roles, all_users};
use iamtui::iam::*;

use super::util::*;

/// Everything the calls below could change, as text.
async fn snapshot(b: &Arc<dyn Backend>) -> String {
    let mut out = String::new();
    let users = all_users(b.as_ref()).await.unwrap();
    out += &format!("users {users:?}\n");
    for u in &users {
        let e = EntityRef::user(u.name.clone());
        out += &format!(
            "user {} groups {:?} attached {:?} inline {:?} keys {:?} mfa {:?} tags {:?}\n",
            u.name,
            b.list_groups_for_user(&u.name).await.unwrap(),
            b.list_attached_policies(&e).await.unwrap(),
            b.list_inline_policies(&e).await.unwrap(),
            b.list_access_keys(Some(&u.name)).await.unwrap(),
            b.list_mfa_devices(Some(&u.name)).await.unwrap(),
            b.list_tags(&TagTarget::User(u.name.clone())).await.unwrap(),
        );
    }
    for g in all_groups(b.as_ref()).await.unwrap() {
        let e = EntityRef::group(g.name.clone());
        out += &format!(
            "group {:?} attached {:?} inline {:?}\n",
            b.get_group(&g.name).await.unwrap(),
            b.list_attached_policies(&e).await.unwrap(),
            b.list_inline_policies(&e).await.unwrap(),
        );
    }
    for r in all_roles(b.as_ref()).await.unwrap() {
        let e = EntityRef::role(r.name.clone());
        out += &format!(
            "role {:?} profiles {:?} attached {:?} inline {:?}\n",
            b.get_role(&r.name).await.unwrap(),
            b.list_instance_profiles_for_role(&r.name).await.unwrap(),
            b.list_attached_policies(&e).await.unwrap(),
            b.list_inline_policies(&e).await.unwrap(),
        );
    }
    for p in all_policies(b.as_ref(), PolicyScope::Local, false)
        .await
        .unwrap()
    {
        out += &format!(
            "policy {p:?} versions {:?}\n",
            b.list_policy_versions(&p.arn).await.unwrap()
        );
    }
    out += &format!(
        "mfa {:?}\npassword {:?}\nsaml {:?}\noidc {:?}\n",
        b.list_virtual_mfa_devices(MfaAssignment::Any)
            .await
            .unwrap(),
        b.get_password_policy().await.unwrap(),
        b.list_saml_providers().await.unwrap(),
        b.list_oidc_providers().await.unwrap(),
    );
    out
}

/// What [`every_write`] aims at: existing entities (the key as its user and id).
pub struct Targets<'a> {
    pub user: &'a str,
    pub group: &'a str,
    pub role: &'a str,
    pub policy: &'a str,
    pub version: &'a str,
    pub key: (Option<&'a str>, &'a str),
    pub mfa: &'a str,
    pub saml: &'a str,
    pub oidc: &'a str,
}

/// Every mutating call of the trait, aimed at `t`, each with its operation as the read-only
/// wrapper names it (IAM's name, but `TagResource` and `UntagResource` for tags).
pub async fn every_write(
    b: &dyn Backend,
    t: &Targets<'_>,
) -> Vec<(&'static str, Result<(), BackendError>)> {
    let (user, group, role) = (
        EntityRef::user(t.user),
        EntityRef::group(t.group),
        EntityRef::role(t.role),
    );
    let oidc = CreateOidcProvider {
        url: "https://new.example.com".into(),
        client_ids: vec!["x".into()],
        thumbprints: vec!["0123456789abcdef0123456789abcdef01234567".into()],
        tags: Vec::new(),
    };
    let mut out = Vec::new();
    macro_rules! call {
        ($op:literal, $call:expr) => {
            out.push(($op, $call.await.map(drop)))
        };
    }
    call!(
        "CreateUser",
        b.create_user(CreateUser {
            name: "new".into(),
            ..CreateUser::default()
        })
    );
    call!(
        "UpdateUser",
        b.update_user(t.user, rename(Some("renamed"), None))
    );
    call!("DeleteUser", b.delete_user(t.user));
    let password = Password::new("Correct-Horse-9");
    call!(
        "CreateLoginProfile",
        b.create_login_profile(t.user, &password, true)
    );
    call!(
        "UpdateLoginProfile",
        b.update_login_profile(t.user, Some(&password), Some(false))
    );
    call!("DeleteLoginProfile", b.delete_login_profile(t.user));
    call!("CreateAccountAlias", b.create_account_alias("example-corp"));
    call!("DeleteAccountAlias", b.delete_account_alias("example-corp"));
    call!("CreateGroup", b.create_group("new", None));
    call!(
        "UpdateGroup",
        b.update_group(t.group, rename(Some("renamed"), None))
    );
    call!("DeleteGroup", b.delete_group(t.group));
    call!("AddUserToGroup", b.add_user_to_group(t.group, t.user));
    call!(
        "RemoveUserFromGroup",
        b.remove_user_from_group(t.group, t.user)
    );
    call!(
        "CreateRole",
        b.create_role(CreateRole {
            name: "new".into(),
            assume_role_policy: trust_service("ec2.amazonaws.com"),
            ..CreateRole::default()
        })
    );
    call!("UpdateRole", b.update_role(t.role, Some("d"), Some(7200)));
    let trust = trust_service("lambda.amazonaws.com");
    call!(
        "UpdateAssumeRolePolicy",
        b.update_assume_role_policy(t.role, &trust)
    );
    call!("DeleteRole", b.delete_role(t.role));
    call!(
        "CreateInstanceProfile",
        b.create_instance_profile("ip", None)
    );
    call!(
        "AddRoleToInstanceProfile",
        b.add_role_to_instance_profile("ip", t.role)
    );
    call!(
        "RemoveRoleFromInstanceProfile",
        b.remove_role_from_instance_profile("ip", t.role)
    );
    call!("DeleteInstanceProfile", b.delete_instance_profile("ip"));
    call!(
        "CreatePolicy",
        b.create_policy(CreatePolicy {
            name: "new".into(),
            document: allow("s3:*", "*"),
            ..CreatePolicy::default()
        })
    );
    call!("DeletePolicy", b.delete_policy(t.policy));
    let doc = allow("s3:New", "*");
    call!(
        "CreatePolicyVersion",
        b.create_policy_version(t.policy, &doc, true)
    );
    call!(
        "DeletePolicyVersion",
        b.delete_policy_version(t.policy, t.version)
    );
    call!(
        "SetDefaultPolicyVersion",
        b.set_default_policy_version(t.policy, t.version)
    );
    call!("AttachUserPolicy", b.attach_policy(&user, t.policy));
    call!("AttachGroupPolicy", b.attach_policy(&group, t.policy));
    call!("AttachRolePolicy", b.attach_policy(&role, t.policy));
    call!("DetachUserPolicy", b.detach_policy(&user, t.policy));
    call!("DetachGroupPolicy", b.detach_policy(&group, t.policy));
    call!("PutUserPolicy", b.put_inline_policy(&user, "x", &doc));
    call!("DeleteRolePolicy", b.delete_inline_policy(&role, "inline"));
    call!(
        "PutRolePermissionsBoundary",
        b.put_permissions_boundary(&role, t.policy)
    );
    call!(
        "PutUserPermissionsBoundary",
        b.put_permissions_boundary(&user, t.policy)
    );
    call!(
        "DeleteRolePermissionsBoundary",
        b.delete_permissions_boundary(&role)
    );
    let tags = [Tag::new("a", "b")];
    call!("TagResource", b.tag(&TagTarget::User(t.user.into()), &tags));
    call!(
        "UntagResource",
        b.untag(&TagTarget::Role(t.role.into()), &["k".into()])
    );
    call!("CreateAccessKey", b.create_access_key(Some(t.user)));
    let (key_user, key_id) = t.key;
    call!(
        "UpdateAccessKey",
        b.update_access_key(key_user, key_id, KeyStatus::Inactive)
    );
    call!("DeleteAccessKey", b.delete_access_key(key_user, key_id));
    call!(
        "CreateVirtualMFADevice",
        b.create_virtual_mfa_device("new", None)
    );
    call!(
        "EnableMFADevice",
        b.enable_mfa_device(t.user, t.mfa, "123456", "654321")
    );
    call!(
        "ResyncMFADevice",
        b.resync_mfa_device(t.user, t.mfa, "123456", "654321")
    );
    call!(
        "DeactivateMFADevice",
        b.deactivate_mfa_device(t.user, t.mfa)
    );
    call!("DeleteVirtualMFADevice", b.delete_virtual_mfa_device(t.mfa));
    call!(
        "UploadSSHPublicKey",
        b.upload_ssh_public_key(t.user, super::public_keys::ED25519)
    );
    call!(
        "DeleteSSHPublicKey",
        b.delete_ssh_public_key(t.user, "APKAEXAMPLEEXAMPLE12")
    );
    call!(
        "UploadSigningCertificate",
        b.upload_signing_certificate(t.user, super::public_keys::CERT1)
    );
    call!(
        "DeleteSigningCertificate",
        b.delete_signing_certificate(t.user, "EXAMPLECERTIFICATEID")
    );
    call!(
        "UpdateAccountPasswordPolicy",
        b.update_password_policy(&PasswordPolicy {
            minimum_password_length: Some(20),
            ..PasswordPolicy::default()
        })
    );
    call!("DeleteAccountPasswordPolicy", b.delete_password_policy());
    let metadata = saml_metadata("https://idp.example.com/");
    call!(
        "CreateSAMLProvider",
        b.create_saml_provider("new", &metadata, &[])
    );
    call!("DeleteSAMLProvider", b.delete_saml_provider(t.saml));
    call!("CreateOpenIDConnectProvider", b.create_oidc_provider(oidc));
    call!(
        "UpdateSAMLProvider",
        b.update_saml_provider(t.saml, &metadata)
    );
    call!(
        "AddClientIDToOpenIDConnectProvider",
        b.add_oidc_client_id(t.oidc, "new-app")
    );
    call!(
        "RemoveClientIDFromOpenIDConnectProvider",
        b.remove_oidc_client_id(t.oidc, "x")
    );
    call!(
        "UpdateOpenIDConnectProviderThumbprint",
        b.update_oidc_thumbprints(t.oidc, &["f".repeat(40)])
    );
    call!(
        "DeleteOpenIDConnectProvider",
        b.delete_oidc_provider(t.oidc)
    );
    out
}

pub async fn read_only_refuses_every_write(b: Arc<dyn Backend>) {
    // Something to aim at: a user in a group with a key, a policy, a role, an MFA device.
    user(&*b, "u").await;
    group(&*b, "g").await;
    b.add_user_to_group("g", "u").await.unwrap();
    let key = b.create_access_key(Some("u")).await.unwrap();
    let key_id = key.key.access_key_id.clone();
    let p = policy(&*b, "p").await;
    b.create_policy_version(&p.arn, &allow("s3:Other", "*"), false)
        .await
        .unwrap();
    b.attach_policy(&EntityRef::user("u"), &p.arn)
        .await
        .unwrap();
    role(&*b, "r").await;
    b.put_inline_policy(&EntityRef::role("r"), "inline", &allow("s3:*", "*"))
        .await
        .unwrap();
    b.tag(&TagTarget::Role("r".into()), &[Tag::new("k", "v")])
        .await
        .unwrap();
    let mfa = b.create_virtual_mfa_device("spare", None).await.unwrap();
    let oidc = b
        .create_oidc_provider(CreateOidcProvider {
            url: "https://ro.example.com".into(),
            client_ids: vec!["x".into()],
            thumbprints: vec!["0123456789abcdef0123456789abcdef01234567".into()],
            tags: Vec::new(),
        })
        .await
        .unwrap();
    let before = snapshot(&b).await;

    let ro = ReadOnly::wrap(b.clone());
    assert!(ro.info().read_only);
    assert!(!b.info().read_only);
    assert_eq!(ro.info().kind, b.info().kind);

    let key_user = Some("u");
    let writes = every_write(
        ro.as_ref(),
        &Targets {
            user: "u",
            group: "g",
            role: "r",
            policy: &p.arn,
            version: "v2",
            key: (key_user, &key_id),
            mfa: &mfa.serial_number,
            saml: "arn:aws:iam::123456789012:saml-provider/x",
            oidc: &oidc,
        },
    )
    .await;
    for (op, result) in writes {
        let e = assert_err!(result, ErrorKind::ReadOnly(_));
        assert_eq!(e.operation, op);
    }
    // Nothing reached the account.
    assert_eq!(snapshot(&b).await, before);

    // Reads pass, and see the same account.
    assert_eq!(snapshot(&ro).await, before);
    assert_eq!(ro.whoami().await.unwrap(), b.whoami().await.unwrap());
    ro.get_user(Some("u")).await.unwrap();
    ro.get_policy(&p.arn).await.unwrap();
    ro.get_policy_version(&p.arn, "v2").await.unwrap();
    ro.get_inline_policy(&EntityRef::role("r"), "inline")
        .await
        .unwrap();
    ro.list_entities_for_policy(&p.arn, PolicyUsage::PermissionsPolicy)
        .await
        .unwrap();
    ro.get_oidc_provider(&oidc).await.unwrap();
    ro.get_access_key_last_used(&key_id).await.unwrap();
    ro.list_account_aliases().await.unwrap();

    // Acting as someone else stays read-only.
    let ro_as_u = ro
        .with_credentials(crate::common::key_credentials(&key))
        .unwrap();
    assert!(ro_as_u.info().read_only);
    assert!(ro_as_u.whoami().await.unwrap().arn.ends_with(":user/u"));
    let e = assert_err!(
        ro_as_u.create_access_key(None).await,
        ErrorKind::ReadOnly(_)
    );
    assert_eq!(e.operation, "CreateAccessKey");
    assert_eq!(snapshot(&b).await, before);
}
