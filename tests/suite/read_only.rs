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

pub async fn read_only_refuses_every_write(b: Arc<dyn Backend>) {
    // Something to aim at: a user in a group with a key, a policy, a role, an MFA device.
    user(&b, "u").await;
    group(&b, "g").await;
    b.add_user_to_group("g", "u").await.unwrap();
    let key = b.create_access_key(Some("u")).await.unwrap();
    let key_id = key.key.access_key_id.clone();
    let p = policy(&b, "p").await;
    b.create_policy_version(&p.arn, &allow("s3:Other", "*"), false)
        .await
        .unwrap();
    b.attach_policy(&EntityRef::user("u"), &p.arn)
        .await
        .unwrap();
    role(&b, "r").await;
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

    let u = EntityRef::user("u");
    let g = EntityRef::group("g");
    let r = EntityRef::role("r");
    let rename = || Rename {
        new_name: Some("renamed".into()),
        new_path: None,
    };
    macro_rules! refused {
        ($call:expr, $op:literal) => {{
            let e = assert_err!($call.await, ErrorKind::ReadOnly(_));
            assert_eq!(e.operation, $op);
        }};
    }
    refused!(
        ro.create_user(CreateUser {
            name: "new".into(),
            ..CreateUser::default()
        }),
        "CreateUser"
    );
    refused!(ro.update_user("u", rename()), "UpdateUser");
    refused!(ro.delete_user("u"), "DeleteUser");
    refused!(ro.create_group("new", None), "CreateGroup");
    refused!(ro.update_group("g", rename()), "UpdateGroup");
    refused!(ro.delete_group("g"), "DeleteGroup");
    refused!(ro.add_user_to_group("g", "u"), "AddUserToGroup");
    refused!(ro.remove_user_from_group("g", "u"), "RemoveUserFromGroup");
    refused!(
        ro.create_role(CreateRole {
            name: "new".into(),
            assume_role_policy: trust_service("ec2.amazonaws.com"),
            ..CreateRole::default()
        }),
        "CreateRole"
    );
    refused!(ro.update_role("r", Some("d"), Some(7200)), "UpdateRole");
    refused!(
        ro.update_assume_role_policy("r", &trust_service("lambda.amazonaws.com")),
        "UpdateAssumeRolePolicy"
    );
    refused!(ro.delete_role("r"), "DeleteRole");
    refused!(
        ro.create_instance_profile("ip", None),
        "CreateInstanceProfile"
    );
    refused!(
        ro.add_role_to_instance_profile("ip", "r"),
        "AddRoleToInstanceProfile"
    );
    refused!(
        ro.remove_role_from_instance_profile("ip", "r"),
        "RemoveRoleFromInstanceProfile"
    );
    refused!(ro.delete_instance_profile("ip"), "DeleteInstanceProfile");
    refused!(ro.delete_login_profile("u"), "DeleteLoginProfile");
    refused!(
        ro.create_policy(CreatePolicy {
            name: "new".into(),
            document: allow("s3:*", "*"),
            ..CreatePolicy::default()
        }),
        "CreatePolicy"
    );
    refused!(ro.delete_policy(&p.arn), "DeletePolicy");
    refused!(
        ro.create_policy_version(&p.arn, &allow("s3:New", "*"), true),
        "CreatePolicyVersion"
    );
    refused!(
        ro.delete_policy_version(&p.arn, "v2"),
        "DeletePolicyVersion"
    );
    refused!(
        ro.set_default_policy_version(&p.arn, "v2"),
        "SetDefaultPolicyVersion"
    );
    refused!(ro.attach_policy(&g, &p.arn), "AttachGroupPolicy");
    refused!(ro.attach_policy(&r, &p.arn), "AttachRolePolicy");
    refused!(ro.detach_policy(&u, &p.arn), "DetachUserPolicy");
    refused!(
        ro.put_inline_policy(&u, "x", &allow("s3:*", "*")),
        "PutUserPolicy"
    );
    refused!(ro.delete_inline_policy(&r, "inline"), "DeleteRolePolicy");
    refused!(
        ro.put_permissions_boundary(&r, &p.arn),
        "PutRolePermissionsBoundary"
    );
    refused!(
        ro.put_permissions_boundary(&u, &p.arn),
        "PutUserPermissionsBoundary"
    );
    refused!(
        ro.delete_permissions_boundary(&r),
        "DeleteRolePermissionsBoundary"
    );
    refused!(
        ro.tag(&TagTarget::User("u".into()), &[Tag::new("a", "b")]),
        "TagResource"
    );
    refused!(
        ro.untag(&TagTarget::Role("r".into()), &["k".to_string()]),
        "UntagResource"
    );
    refused!(ro.create_access_key(Some("u")), "CreateAccessKey");
    refused!(
        ro.update_access_key(Some("u"), &key_id, KeyStatus::Inactive),
        "UpdateAccessKey"
    );
    refused!(ro.delete_access_key(Some("u"), &key_id), "DeleteAccessKey");
    refused!(
        ro.create_virtual_mfa_device("new", None),
        "CreateVirtualMFADevice"
    );
    refused!(
        ro.enable_mfa_device("u", &mfa.serial_number, "123456", "654321"),
        "EnableMFADevice"
    );
    refused!(
        ro.resync_mfa_device("u", &mfa.serial_number, "123456", "654321"),
        "ResyncMFADevice"
    );
    refused!(
        ro.deactivate_mfa_device("u", &mfa.serial_number),
        "DeactivateMFADevice"
    );
    refused!(
        ro.delete_virtual_mfa_device(&mfa.serial_number),
        "DeleteVirtualMFADevice"
    );
    refused!(
        ro.update_password_policy(&PasswordPolicy {
            minimum_password_length: Some(20),
            ..PasswordPolicy::default()
        }),
        "UpdateAccountPasswordPolicy"
    );
    refused!(ro.delete_password_policy(), "DeleteAccountPasswordPolicy");
    refused!(
        ro.create_saml_provider("new", &saml_metadata("https://idp.example.com/"), &[]),
        "CreateSAMLProvider"
    );
    refused!(
        ro.delete_saml_provider("arn:aws:iam::123456789012:saml-provider/x"),
        "DeleteSAMLProvider"
    );
    refused!(
        ro.create_oidc_provider(CreateOidcProvider {
            url: "https://new.example.com".into(),
            client_ids: vec!["x".into()],
            thumbprints: vec!["0123456789abcdef0123456789abcdef01234567".into()],
            tags: Vec::new(),
        }),
        "CreateOpenIDConnectProvider"
    );
    refused!(
        ro.delete_oidc_provider(&oidc),
        "DeleteOpenIDConnectProvider"
    );

    // Nothing reached the account.
    assert_eq!(snapshot(&b).await, before);

    // Reads pass, and see the same account.
    assert_eq!(snapshot(&ro).await, before);
    assert_eq!(ro.whoami().await.unwrap(), b.whoami().await.unwrap());
    ro.get_user(Some("u")).await.unwrap();
    ro.get_policy(&p.arn).await.unwrap();
    ro.get_policy_version(&p.arn, "v2").await.unwrap();
    ro.get_inline_policy(&r, "inline").await.unwrap();
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
    refused!(ro_as_u.create_access_key(None), "CreateAccessKey");
    assert_eq!(snapshot(&b).await, before);
}
