use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use secrecy::ExposeSecret;

use super::*;
use crate::app::harness::{Harness, totp_codes};
use crate::app::model::detail::Detail;
use crate::app::shell::calls::Call;
use crate::iam::*;

const RSA: &str = include_str!("../../backend/local/testdata/public_keys/rsa.pub");
const CERT: &str = include_str!("../../backend/local/testdata/public_keys/cert1.pem");

fn labels(steps: &[Step]) -> Vec<String> {
    steps.iter().map(|s| s.label.clone()).collect()
}

fn at(t: &str) -> Timestamp {
    chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc()
}

fn now() -> Timestamp {
    at("2026-01-01T00:00:00Z")
}

fn group_named(name: &str) -> Group {
    Group {
        name: name.into(),
        group_id: "AGPA".into(),
        arn: format!("arn:aws:iam::123456789012:group/{name}"),
        path: "/".into(),
        create_date: now(),
    }
}

fn attached(name: &str) -> AttachedPolicy {
    AttachedPolicy {
        name: name.into(),
        arn: format!("arn:aws:iam::123456789012:policy/{name}"),
    }
}

/// A user with one of everything IAM refuses DeleteUser for.
fn loaded_user() -> Detail {
    Detail {
        login: Some(Some(LoginProfile {
            user_name: "alice".into(),
            create_date: now(),
            password_reset_required: false,
        })),
        keys: Some(vec![AccessKey {
            user_name: "alice".into(),
            access_key_id: "AKIAEXAMPLE".into(),
            status: KeyStatus::Active,
            create_date: now(),
        }]),
        signing_certs: Some(vec![SigningCertificate {
            user_name: "alice".into(),
            certificate_id: "CERT1".into(),
            status: KeyStatus::Active,
            upload_date: now(),
        }]),
        ssh_keys: Some(vec![SshPublicKey {
            user_name: "alice".into(),
            ssh_public_key_id: "APKAEXAMPLE".into(),
            fingerprint: None,
            status: KeyStatus::Active,
            upload_date: now(),
        }]),
        mfa: Some(vec![
            MfaDevice {
                serial_number: "arn:aws:iam::123456789012:mfa/alice".into(),
                user_name: Some("alice".into()),
                enable_date: Some(now()),
                kind: MfaKind::Virtual,
            },
            MfaDevice {
                serial_number: "GAHT12345678".into(),
                user_name: Some("alice".into()),
                enable_date: Some(now()),
                kind: MfaKind::Hardware,
            },
        ]),
        inline: Some(vec!["inline1".into()]),
        attached: Some(vec![attached("Managed1")]),
        groups: Some(vec![group_named("devs"), group_named("ops")]),
        ..Detail::default()
    }
}

#[test]
fn a_user_goes_in_iams_documented_order() {
    let steps = plan(&loaded_user(), &Target::user("alice")).unwrap();
    assert_eq!(
        labels(&steps),
        [
            "DeleteLoginProfile (alice)",
            "DeleteAccessKey AKIAEXAMPLE (alice)",
            "DeleteSigningCertificate CERT1 (alice)",
            "DeleteSSHPublicKey APKAEXAMPLE (alice)",
            "DeactivateMFADevice arn:aws:iam::123456789012:mfa/alice (alice)",
            "DeleteVirtualMFADevice arn:aws:iam::123456789012:mfa/alice",
            // A hardware device is deactivated, not deleted.
            "DeactivateMFADevice GAHT12345678 (alice)",
            "DeleteUserPolicy inline1 (alice)",
            "DetachUserPolicy Managed1 (alice)",
            "RemoveUserFromGroup devs (alice)",
            "RemoveUserFromGroup ops (alice)",
            "DeleteUser alice",
        ]
    );
    assert_eq!(
        steps[1].call,
        Call::DeleteAccessKey {
            user: "alice".into(),
            key_id: "AKIAEXAMPLE".into()
        }
    );
    assert_eq!(
        steps.last().unwrap().call,
        Call::DeleteUser {
            name: "alice".into()
        }
    );
}

#[test]
fn a_bare_user_is_one_call_and_a_missing_part_refuses() {
    let bare = Detail {
        login: Some(None),
        keys: Some(vec![]),
        signing_certs: Some(vec![]),
        ssh_keys: Some(vec![]),
        mfa: Some(vec![]),
        inline: Some(vec![]),
        attached: Some(vec![]),
        groups: Some(vec![]),
        ..Detail::default()
    };
    let steps = plan(&bare, &Target::user("bob")).unwrap();
    assert_eq!(labels(&steps), ["DeleteUser bob"]);
    // The SSH keys did not load: the console cannot tell, so it does not delete.
    let unknown = Detail {
        ssh_keys: None,
        ..bare
    };
    let why = plan(&unknown, &Target::user("bob")).unwrap_err();
    assert!(why.contains("SSH public keys"), "{why}");
}

#[test]
fn a_group_loses_members_then_policies() {
    let d = Detail {
        main: Some(Reply::Group(GroupDetail {
            group: group_named("devs"),
            members: vec![User {
                name: "alice".into(),
                user_id: "AIDA".into(),
                arn: "arn:aws:iam::123456789012:user/alice".into(),
                path: "/".into(),
                create_date: now(),
                password_last_used: None,
                permissions_boundary: None,
                tags: vec![],
            }],
        })),
        inline: Some(vec!["g-inline".into()]),
        attached: Some(vec![attached("GroupManaged")]),
        ..Detail::default()
    };
    let steps = plan(&d, &Target::group("devs")).unwrap();
    assert_eq!(
        labels(&steps),
        [
            "RemoveUserFromGroup alice (devs)",
            "DeleteGroupPolicy g-inline (devs)",
            "DetachGroupPolicy GroupManaged (devs)",
            "DeleteGroup devs",
        ]
    );
}

fn role_named(name: &str, path: &str) -> Role {
    Role {
        name: name.into(),
        role_id: "AROA".into(),
        arn: format!("arn:aws:iam::123456789012:role{path}{name}"),
        path: path.into(),
        create_date: now(),
        description: None,
        max_session_duration: 3600,
        assume_role_policy: None,
        permissions_boundary: None,
        tags: vec![],
        last_used: None,
    }
}

#[test]
fn a_role_leaves_its_instance_profiles_first_and_a_service_linked_role_is_its_services_call() {
    let d = Detail {
        main: Some(Reply::Role(role_named("app", "/"))),
        profiles: Some(vec![InstanceProfile {
            name: "app-profile".into(),
            instance_profile_id: "AIPA".into(),
            arn: "arn:aws:iam::123456789012:instance-profile/app-profile".into(),
            path: "/".into(),
            create_date: now(),
            roles: vec!["app".into()],
            tags: vec![],
        }]),
        inline: Some(vec!["r-inline".into()]),
        attached: Some(vec![attached("RoleManaged")]),
        ..Detail::default()
    };
    let steps = plan(&d, &Target::role("app")).unwrap();
    assert_eq!(
        labels(&steps),
        [
            "RemoveRoleFromInstanceProfile app-profile (app)",
            "DeleteRolePolicy r-inline (app)",
            "DetachRolePolicy RoleManaged (app)",
            "DeleteRole app",
        ]
    );
    let linked = Detail {
        main: Some(Reply::Role(role_named(
            "AWSServiceRoleForSupport",
            "/aws-service-role/support.amazonaws.com/",
        ))),
        ..d
    };
    let steps = plan(&linked, &Target::role("AWSServiceRoleForSupport")).unwrap();
    assert_eq!(
        steps.iter().map(|s| s.call.clone()).collect::<Vec<_>>(),
        [Call::DeleteServiceLinkedRole {
            name: "AWSServiceRoleForSupport".into()
        }]
    );
}

#[test]
fn a_policy_is_detached_unbounded_and_stripped_of_old_versions() {
    let arn = "arn:aws:iam::123456789012:policy/Shared";
    let version = |id: &str, is_default| PolicyVersion {
        version_id: id.into(),
        is_default,
        document: None,
        create_date: now(),
    };
    let d = Detail {
        entities: Some(PolicyEntities {
            users: vec!["alice".into()],
            groups: vec!["devs".into()],
            roles: vec!["app".into()],
        }),
        boundary_of: Some(PolicyEntities {
            users: vec!["bob".into()],
            groups: vec![],
            roles: vec!["batch".into()],
        }),
        versions: Some(vec![
            version("v1", false),
            version("v3", true),
            version("v2", false),
        ]),
        ..Detail::default()
    };
    let steps = plan(&d, &Target::policy(arn)).unwrap();
    assert_eq!(
        labels(&steps),
        [
            "DetachUserPolicy Shared (alice)",
            "DetachGroupPolicy Shared (devs)",
            "DetachRolePolicy Shared (app)",
            "DeleteUserPermissionsBoundary (bob)",
            "DeleteRolePermissionsBoundary (batch)",
            "DeletePolicyVersion Shared v1",
            "DeletePolicyVersion Shared v2",
            "DeletePolicy Shared",
        ]
    );
    assert!(
        plan(
            &d,
            &Target::policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
        )
        .is_err()
    );
}

// --- on the local account, driven by keys ------------------------------------------------------

/// A user with a key, a virtual MFA device, a console password, an SSH key, a signing
/// certificate, an inline and an attached policy, and a group.
async fn leaver(h: &Harness, name: &str) -> String {
    let b = &h.backend;
    b.create_user(CreateUser {
        name: name.into(),
        ..CreateUser::default()
    })
    .await
    .unwrap();
    b.create_access_key(Some(name)).await.unwrap();
    let device = b.create_virtual_mfa_device(name, None).await.unwrap();
    let (c1, c2) = totp_codes(device.seed_base32.expose_secret());
    b.enable_mfa_device(name, &device.serial_number, &c1, &c2)
        .await
        .unwrap();
    b.create_login_profile(name, &Password::new("Cascade-Delete-2026!"), false)
        .await
        .unwrap();
    b.upload_ssh_public_key(name, RSA).await.unwrap();
    b.upload_signing_certificate(name, CERT).await.unwrap();
    let user = EntityRef::user(name);
    b.put_inline_policy(
        &user,
        "own",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}"#,
    )
    .await
    .unwrap();
    b.attach_policy(&user, "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        .await
        .unwrap();
    b.add_user_to_group("Support", name).await.unwrap();
    device.serial_number
}

async fn open_delete(h: &mut Harness, name: &str) {
    // The user was made behind the console's back: load the account afresh.
    let effects = loads::reload(&mut h.app);
    h.settle(effects).await;
    h.command(&format!("users {name}")).await;
    h.key(KeyCode::Enter).await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
}

#[tokio::test]
async fn one_delete_removes_a_user_with_everything_in_its_way() {
    let mut h = Harness::demo().await;
    let serial = leaver(&h, "leaver").await;
    open_delete(&mut h, "leaver").await;
    // Every call, in order, before anything happens.
    for call in [
        "DeleteLoginProfile (leaver)",
        "DeleteAccessKey AKIA",
        "DeleteSigningCertificate",
        "DeleteSSHPublicKey APKA",
        "DeactivateMFADevice",
        "DeleteVirtualMFADevice",
        "DeleteUserPolicy own (leaver)",
        "DetachUserPolicy IAMReadOnlyAccess (leaver)",
        "RemoveUserFromGroup Support (leaver)",
        "DeleteUser leaver",
    ] {
        assert!(h.shows(call), "{call}:\n{}", h.screen(120, 40));
    }
    assert!(h.backend.get_user(Some("leaver")).await.is_ok());
    // A wrong name changes nothing and keeps what was typed.
    h.type_text("leave").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("that is not `leaver`", true);
    assert!(h.backend.get_user(Some("leaver")).await.is_ok());
    h.type_text("r").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Deleted user leaver (10 calls)", true);
    assert!(h.app.overlay.is_none());
    assert!(matches!(h.app.nav.current(), Screen::List(_)));
    // Read back: the user and its virtual MFA device are gone.
    assert!(matches!(
        h.backend.get_user(Some("leaver")).await.unwrap_err().kind,
        ErrorKind::NotFound(_)
    ));
    let devices = h.backend.list_virtual_mfa_devices(MfaAssignment::Any).await;
    assert!(!devices.unwrap().iter().any(|d| d.serial_number == serial));
    let members = h.backend.get_group("Support").await.unwrap().members;
    assert!(!members.iter().any(|u| u.name == "leaver"));
}

#[tokio::test]
async fn a_failure_stops_the_cascade_and_says_what_was_done_and_not() {
    let mut h = Harness::demo().await;
    leaver(&h, "leaver").await;
    open_delete(&mut h, "leaver").await;
    h.type_text("leaver").await;
    // Meanwhile someone else takes the user out of its group: IAM answers the console's
    // RemoveUserFromGroup with NoSuchEntity.
    h.backend
        .remove_user_from_group("Support", "leaver")
        .await
        .unwrap();
    h.key(KeyCode::Enter).await;
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("Stopped: 8 done, call 9 failed, 1 not attempted."),
        "{screen}"
    );
    assert!(screen.contains("is not in group Support"), "{screen}");
    assert!(
        screen.contains("✓   1. DeleteLoginProfile (leaver)"),
        "{screen}"
    );
    assert!(
        screen.contains("✗   9. RemoveUserFromGroup Support"),
        "{screen}"
    );
    assert!(screen.contains("·  10. DeleteUser leaver"), "{screen}");
    // The calls before the failure happened; the user is still there.
    let user = EntityRef::user("leaver");
    assert!(h.backend.get_user(Some("leaver")).await.is_ok());
    assert!(
        h.backend
            .list_access_keys(Some("leaver"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        h.backend
            .list_ssh_public_keys("leaver")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        h.backend
            .list_attached_policies(&user)
            .await
            .unwrap()
            .is_empty()
    );
    // The detail behind the dialog shows the account as it is now.
    h.key(KeyCode::Esc).await;
    assert!(h.app.overlay.is_none());
    h.assert_shows("DeleteUser", false);
    // A second delete plans only what is left.
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows("DeleteAccessKey", false);
    h.type_text("leaver").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Deleted user leaver (1 calls)", true);
    assert!(h.backend.get_user(Some("leaver")).await.is_err());
}

#[tokio::test]
async fn a_group_and_a_role_are_deleted_with_what_they_hold() {
    let mut h = Harness::demo().await;
    // Support has members and policies in the demo.
    h.command("groups Support").await;
    h.key(KeyCode::Enter).await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows("RemoveUserFromGroup", true);
    h.type_text("Support").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Deleted group Support", true);
    assert!(h.backend.get_group("Support").await.is_err());

    let b = h.backend.clone();
    b.create_role(CreateRole {
        name: "worker".into(),
        assume_role_policy: r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#.into(),
        ..CreateRole::default()
    })
    .await
    .unwrap();
    b.create_instance_profile("worker-profile", None)
        .await
        .unwrap();
    b.add_role_to_instance_profile("worker-profile", "worker")
        .await
        .unwrap();
    let role = EntityRef::role("worker");
    b.attach_policy(&role, "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        .await
        .unwrap();
    let effects = loads::reload(&mut h.app);
    h.settle(effects).await;
    h.command("roles worker").await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows(
        "RemoveRoleFromInstanceProfile worker-profile (worker)",
        true,
    );
    h.type_text("worker").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Deleted role worker (3 calls)", true);
    assert!(b.get_role("worker").await.is_err());
    // The instance profile stays, empty.
    assert!(
        b.get_instance_profile("worker-profile")
            .await
            .unwrap()
            .roles
            .is_empty()
    );
}

#[tokio::test]
async fn a_long_plan_scrolls_instead_of_being_cut() {
    let mut h = Harness::demo().await;
    leaver(&h, "leaver").await;
    open_delete(&mut h, "leaver").await;
    // 80x16: the plan does not fit; the footer and input line stay, the body scrolls.
    let top = h.screen(80, 16);
    assert!(top.contains("Type leaver and press Enter"), "{top}");
    assert!(top.contains("scroll)"), "{top}");
    assert!(!top.contains("DeleteUser leaver"), "{top}");
    h.repeat(KeyCode::PageDown, 3).await;
    let bottom = h.screen(80, 16);
    assert!(bottom.contains("DeleteUser leaver"), "{bottom}");
    // The user's Security credentials tab lists the SSH key and the certificate too.
    h.key(KeyCode::Esc).await;
    h.repeat(KeyCode::Tab, 2).await;
    h.assert_shows("SSH public key APKA", true);
    h.assert_shows("signing certificate ", true);
}

#[tokio::test]
async fn a_policy_is_detached_unbounded_and_deleted_with_its_old_versions() {
    let mut h = Harness::demo().await;
    let b = h.backend.clone();
    let doc = |a: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"{a}","Resource":"*"}}}}"#
        )
    };
    let p = b
        .create_policy(CreatePolicy {
            name: "Shared".into(),
            document: doc("s3:ListBucket"),
            ..CreatePolicy::default()
        })
        .await
        .unwrap();
    b.create_policy_version(&p.arn, &doc("s3:GetObject"), true)
        .await
        .unwrap();
    b.attach_policy(&EntityRef::user("sysadmin"), &p.arn)
        .await
        .unwrap();
    b.attach_policy(&EntityRef::group("Support"), &p.arn)
        .await
        .unwrap();
    b.create_role(CreateRole {
        name: "bounded".into(),
        assume_role_policy: r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#.into(),
        permissions_boundary: Some(p.arn.clone()),
        ..CreateRole::default()
    })
    .await
    .unwrap();
    let effects = loads::reload(&mut h.app);
    h.settle(effects).await;
    h.command("policies Shared").await;
    h.key(KeyCode::Enter).await;
    // On the Versions tab ctrl-d is about versions; from the next tab it deletes the policy.
    h.key(KeyCode::Tab).await;
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    for line in [
        "1. DetachUserPolicy Shared (sysadmin)",
        "2. DetachGroupPolicy Shared (Support)",
        "3. DeleteRolePermissionsBoundary (bounded)",
        "4. DeletePolicyVersion Shared v1",
        "5. DeletePolicy Shared",
        "can widen what that principal may do",
    ] {
        assert!(h.shows(line), "{line}:\n{}", h.screen(120, 40));
    }
    h.type_text("Shared").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Deleted policy Shared (5 calls)", true);
    assert!(b.get_policy(&p.arn).await.is_err());
    assert_eq!(
        b.get_role("bounded").await.unwrap().permissions_boundary,
        None
    );
    let attached = b
        .list_attached_policies(&EntityRef::user("sysadmin"))
        .await
        .unwrap();
    assert!(!attached.iter().any(|a| a.arn == p.arn));
}
