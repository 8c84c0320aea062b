//! The embedded local account: the backend suite (the same bodies `tests/aws_moto.rs` runs on
//! the moto emulator), then what only the local account shows: IAM's rules that moto does not
//! enforce (quotas, dependency conflicts, TOTP codes, trust policies, authorization of every
//! call) and the file's safety (locking, atomic writes, damaged files).

mod common;
#[macro_use]
mod suite;

use std::sync::Arc;

use common::create_user;
use iamtui::backend::local::LocalBackend;
use iamtui::backend::local::model::Account;
use iamtui::backend::local::names;
use iamtui::iam::*;

/// A fresh, empty account in its own temporary directory (kept alive by the returned guard).
pub fn empty_account() -> (tempfile::TempDir, LocalBackend) {
    common::empty_local_account(&names::account_id())
}

macro_rules! against_local {
    ($($name:ident => $body:path),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let (_dir, b) = empty_account();
                let b: Arc<dyn Backend> = Arc::new(b);
                $body(b).await;
            }
        )*
    };
}

every_suite_test!(
    against_local,
    aws_managed_policies => suite::policies::aws_managed_policies,
    tags_on_saml_provider_and_mfa_device => suite::tags::tags_on_saml_provider_and_mfa_device,
    tags_listed_on_instance_profile => suite::tags::tags_listed_on_instance_profile,
    ssh_public_key_errors => suite::public_keys::ssh_public_key_errors,
    service_linked_role_rules => suite::roles::service_linked_role_rules,
    signing_certificate_quota => suite::public_keys::signing_certificate_quota,
    oidc_provider_client_ids => suite::account::oidc_provider_client_ids,
    provider_updates_are_checked => suite::account::provider_updates_are_checked,
);

#[tokio::test]
async fn info_names_the_file() {
    let (dir, b) = empty_account();
    let info = b.info();
    assert_eq!(info.kind, "local");
    assert!(
        info.source.contains(&dir.path().display().to_string()),
        "{info:?}"
    );
    assert!(!info.read_only);
}

// --- what moto does not enforce ---------------------------------------------------------------

use std::process::{Command, Stdio};
use std::time::Duration;

use common::totp_codes;
use iamtui::backend::ReadOnly;
use secrecy::ExposeSecret;
use serde_json::json;
use suite::util::{allow, policy, policy_with, role_with, self_service, trust_account};

fn message(e: &BackendError) -> String {
    e.kind.to_string()
}

/// A user with an access key and the given inline policies; the backend acting with that key.
async fn signed_in(b: &LocalBackend, name: &str, policies: &[&str]) -> Arc<dyn Backend> {
    create_user(b, name).await;
    for (i, p) in policies.iter().enumerate() {
        b.put_inline_policy(&EntityRef::user(name), &format!("p{i}"), p)
            .await
            .unwrap_or_else(|e| panic!("policy for {name}: {e}"));
    }
    let key = b.create_access_key(Some(name)).await.expect("key");
    b.with_credentials(common::key_credentials(&key))
        .expect("with credentials")
}

fn creds_of(a: &AssumedRole) -> Credentials {
    a.credentials.clone()
}

#[tokio::test]
async fn names_are_unique_without_regard_to_case_and_follow_iams_pattern() {
    let (_d, b) = empty_account();
    create_user(&b, "alice").await;
    let e = assert_err!(
        b.create_user(CreateUser {
            name: "ALICE".into(),
            ..CreateUser::default()
        })
        .await,
        ErrorKind::AlreadyExists(_)
    );
    assert!(message(&e).contains("ALICE"), "{e}");
    assert_eq!(b.get_user(Some("Alice")).await.unwrap().name, "alice");
    for bad in ["with space", "slash/y", "", &"x".repeat(65)] {
        assert_err!(
            b.create_user(CreateUser {
                name: bad.into(),
                ..CreateUser::default()
            })
            .await,
            ErrorKind::Validation(_)
        );
    }
    assert_err!(
        b.create_user(CreateUser {
            name: "bob".into(),
            path: Some("no-slashes".into()),
            ..CreateUser::default()
        })
        .await,
        ErrorKind::Validation(_)
    );
    let u = create_user(&b, "carol").await;
    assert!(
        u.user_id.starts_with("AIDA") && u.user_id.len() == 21,
        "{}",
        u.user_id
    );
    let g = b.create_group("devs", None).await.unwrap();
    assert!(g.group_id.starts_with("AGPA"), "{}", g.group_id);
    let r = suite::util::role(&b, "app").await;
    assert!(r.role_id.starts_with("AROA"), "{}", r.role_id);
    let p = policy(&b, "p").await;
    assert!(p.policy_id.starts_with("ANPA"), "{}", p.policy_id);
}

#[tokio::test]
async fn deletes_that_iam_refuses_are_refused_with_the_reason() {
    let (_d, b) = empty_account();
    create_user(&b, "ann").await;
    b.create_access_key(Some("ann")).await.unwrap();
    let e = assert_err!(b.delete_user("ann").await, ErrorKind::DeleteConflict(_));
    assert!(message(&e).contains("access keys"), "{e}");
    let key = b.list_access_keys(Some("ann")).await.unwrap().remove(0);
    b.delete_access_key(Some("ann"), &key.access_key_id)
        .await
        .unwrap();

    b.create_group("devs", None).await.unwrap();
    b.add_user_to_group("devs", "ann").await.unwrap();
    let e = assert_err!(b.delete_user("ann").await, ErrorKind::DeleteConflict(_));
    assert!(message(&e).contains("groups"), "{e}");
    let e = assert_err!(b.delete_group("devs").await, ErrorKind::DeleteConflict(_));
    assert!(message(&e).contains("remove users"), "{e}");

    let p = policy(&b, "p").await;
    b.attach_policy(&EntityRef::group("devs"), &p.arn)
        .await
        .unwrap();
    let e = assert_err!(b.delete_policy(&p.arn).await, ErrorKind::DeleteConflict(_));
    assert!(message(&e).contains("attached"), "{e}");
    b.detach_policy(&EntityRef::group("devs"), &p.arn)
        .await
        .unwrap();
    b.create_policy_version(&p.arn, &allow("s3:PutObject", "*"), true)
        .await
        .unwrap();
    let e = assert_err!(b.delete_policy(&p.arn).await, ErrorKind::DeleteConflict(_));
    assert!(message(&e).contains("versions"), "{e}");
    b.delete_policy_version(&p.arn, "v1").await.unwrap();
    b.delete_policy(&p.arn)
        .await
        .expect("a lone default version goes with the policy");

    b.remove_user_from_group("devs", "ann").await.unwrap();
    b.put_inline_policy(&EntityRef::user("ann"), "x", &allow("s3:*", "*"))
        .await
        .unwrap();
    let e = assert_err!(b.delete_user("ann").await, ErrorKind::DeleteConflict(_));
    assert!(message(&e).contains("policies"), "{e}");
    b.delete_inline_policy(&EntityRef::user("ann"), "x")
        .await
        .unwrap();
    b.delete_user("ann").await.expect("nothing left in the way");
    b.delete_group("devs").await.unwrap();
}

#[tokio::test]
async fn roles_in_instance_profiles_and_users_with_passwords_cannot_be_deleted() {
    // The demo has both: an EC2 role in an instance profile, users with console passwords.
    let dir = tempfile::tempdir().unwrap();
    let b = LocalBackend::open(&dir.path().join("a.json"), || {
        iamtui::backend::local::demo::demo_account(chrono::Utc::now())
    })
    .unwrap();
    let snapshot = b.snapshot();
    let profile = snapshot
        .instance_profiles
        .iter()
        .find(|p| !p.roles.is_empty())
        .expect("the demo has an instance profile with a role");
    let role = profile.roles[0].clone();
    assert_err!(
        b.list_instance_profiles_for_role("ghost").await,
        ErrorKind::NotFound(_)
    );
    let listed = b.list_instance_profiles_for_role(&role).await.unwrap();
    assert_eq!(listed[0].name, profile.name);
    let e = assert_err!(b.delete_role(&role).await, ErrorKind::DeleteConflict(_));
    assert!(message(&e).contains("instance profile"), "{e}");
    let e = assert_err!(
        b.delete_instance_profile(&profile.name).await,
        ErrorKind::DeleteConflict(_)
    );
    assert!(message(&e).contains("remove roles"), "{e}");
    b.remove_role_from_instance_profile(&profile.name, &role)
        .await
        .unwrap();
    b.delete_instance_profile(&profile.name).await.unwrap();
    let e = b.delete_role(&role).await.unwrap_err();
    assert!(!message(&e).contains("instance profile"), "{e}");

    let with_password = snapshot
        .users
        .iter()
        .find(|u| u.login_profile.is_some() && u.access_keys.is_empty() && u.mfa_devices.is_empty())
        .expect("a demo user with only a password");
    let name = with_password.name.clone();
    assert!(b.get_login_profile(&name).await.unwrap().is_some());
    let e = assert_err!(b.delete_user(&name).await, ErrorKind::DeleteConflict(_));
    assert!(message(&e).contains("login profile"), "{e}");
    b.delete_login_profile(&name).await.unwrap();
    assert_eq!(b.get_login_profile(&name).await.unwrap(), None);
    let e = b.delete_user(&name).await.unwrap_err();
    assert!(!message(&e).contains("login profile"), "{e}");
}

#[tokio::test]
async fn quotas_on_attachments_groups_and_versions() {
    let (_d, b) = empty_account();
    create_user(&b, "u").await;
    let aws = [
        "AdministratorAccess",
        "ReadOnlyAccess",
        "PowerUserAccess",
        "SecurityAudit",
        "IAMFullAccess",
        "IAMReadOnlyAccess",
        "AmazonS3FullAccess",
        "AmazonS3ReadOnlyAccess",
        "AmazonEC2FullAccess",
        "AmazonEC2ReadOnlyAccess",
        "AmazonDynamoDBFullAccess",
    ];
    for (i, name) in aws.iter().enumerate() {
        let arn = format!("arn:aws:iam::aws:policy/{name}");
        let r = b.attach_policy(&EntityRef::user("u"), &arn).await;
        if i < 10 {
            r.unwrap_or_else(|e| panic!("attach {name}: {e}"));
        } else {
            let e = assert_err!(r, ErrorKind::LimitExceeded(_));
            assert!(message(&e).contains("PoliciesPerUser: 10"), "{e}");
        }
    }
    for i in 0..11 {
        b.create_group(&format!("g{i}"), None).await.unwrap();
        let r = b.add_user_to_group(&format!("g{i}"), "u").await;
        if i < 10 {
            r.unwrap();
        } else {
            let e = assert_err!(r, ErrorKind::LimitExceeded(_));
            assert!(message(&e).contains("GroupsPerUser: 10"), "{e}");
        }
    }
    assert_err!(
        b.attach_policy(
            &EntityRef::user("u"),
            "arn:aws:iam::aws:policy/NoSuchPolicy"
        )
        .await,
        ErrorKind::NotFound(_)
    );
}

#[tokio::test]
async fn documents_are_checked_by_the_engine_on_write() {
    let (_d, b) = empty_account();
    create_user(&b, "u").await;
    let typo = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condtion": {}}}"#;
    let e = assert_err!(
        b.put_inline_policy(&EntityRef::user("u"), "typo", typo)
            .await,
        ErrorKind::Validation(_)
    );
    let m = message(&e);
    assert!(
        m.contains("unknown-statement-key") && m.contains("Condition"),
        "{m}"
    );
    assert!(m.contains("line 1, column"), "{m}");
    // A Principal in an identity policy, a trust policy without one.
    let with_principal = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}"#;
    assert_err!(
        b.create_policy(CreatePolicy {
            name: "x".into(),
            document: with_principal.into(),
            ..CreatePolicy::default()
        })
        .await,
        ErrorKind::Validation(_)
    );
    let trust_without_principal = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}"#;
    assert_err!(
        b.create_role(CreateRole {
            name: "r".into(),
            assume_role_policy: trust_without_principal.into(),
            ..CreateRole::default()
        })
        .await,
        ErrorKind::Validation(_)
    );
    // IAM accepts actions its catalog does not know (only Access Analyzer warns).
    b.put_inline_policy(
        &EntityRef::user("u"),
        "future",
        &allow("s3:SomeFutureAction", "*"),
    )
    .await
    .expect("unknown actions are accepted, as IAM accepts them");
    // Size: 6,144 characters for a managed policy; 2,048 for a user's inline policies together.
    let big = |n: usize| {
        let actions: Vec<String> = (0..n).map(|i| format!("s3:GetObject{i:04}")).collect();
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}).to_string()
    };
    let e = assert_err!(
        b.create_policy(CreatePolicy {
            name: "huge".into(),
            document: big(400),
            ..CreatePolicy::default()
        })
        .await,
        ErrorKind::LimitExceeded(_)
    );
    assert!(message(&e).contains("6144"), "{e}");
    b.put_inline_policy(&EntityRef::user("u"), "half", &big(60))
        .await
        .expect("1,100 characters fit");
    let e = assert_err!(
        b.put_inline_policy(&EntityRef::user("u"), "other-half", &big(60))
            .await,
        ErrorKind::LimitExceeded(_)
    );
    assert!(message(&e).contains("2048"), "{e}");
    // Replacing the same policy does not count it twice.
    b.put_inline_policy(&EntityRef::user("u"), "half", &big(61))
        .await
        .expect("a replaced inline policy is measured once");
}

#[tokio::test]
async fn keys_are_checked_on_every_call() {
    let (_d, b) = empty_account();
    create_user(&b, "kim").await;
    let k = b.create_access_key(Some("kim")).await.unwrap();
    let good = common::key_credentials(&k);
    let as_kim = b.with_credentials(good.clone()).unwrap();
    assert!(as_kim.whoami().await.unwrap().arn.ends_with(":user/kim"));
    let wrong = b
        .with_credentials(Credentials {
            secret_access_key: "not-the-secret".to_string().into(),
            ..good.clone()
        })
        .unwrap();
    let e = assert_err!(wrong.whoami().await, ErrorKind::Credentials(_));
    assert!(message(&e).contains("signature"), "{e}");
    b.update_access_key(Some("kim"), &k.key.access_key_id, KeyStatus::Inactive)
        .await
        .unwrap();
    assert_err!(as_kim.whoami().await, ErrorKind::Credentials(_));
    let unknown = b
        .with_credentials(Credentials {
            access_key_id: "AKIAUNKNOWNUNKNOWN12".into(),
            ..good
        })
        .unwrap();
    assert_err!(unknown.whoami().await, ErrorKind::Credentials(_));
    // The secret never appears in an error.
    let e = wrong.list_users(PageRequest::first()).await.unwrap_err();
    assert!(!format!("{e:?}").contains(k.secret_access_key.expose_secret()));
}

#[tokio::test]
async fn calls_are_authorised_against_the_callers_policies() {
    let (_d, b) = empty_account();
    create_user(&b, "target").await;
    // Nothing allowed: every IAM call is denied, naming the action.
    let nobody = signed_in(&b, "nobody", &[]).await;
    let e = assert_err!(
        nobody.list_users(PageRequest::first()).await,
        ErrorKind::AccessDenied { .. }
    );
    match &e.kind {
        ErrorKind::AccessDenied { action, message } => {
            assert_eq!(action, "iam:ListUsers");
            assert!(
                message.contains("no identity-based policy allows"),
                "{message}"
            );
            assert!(message.contains(":user/nobody"), "{message}");
        }
        _ => unreachable!(),
    }
    // GetCallerIdentity needs no permission.
    nobody.whoami().await.expect("whoami is always allowed");

    // The AWS managed ReadOnlyAccess reads but does not write.
    create_user(&b, "reader").await;
    b.attach_policy(
        &EntityRef::user("reader"),
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
    )
    .await
    .unwrap();
    let reader = b.acting_as("reader");
    assert!(
        reader
            .list_users(PageRequest::first())
            .await
            .unwrap()
            .items
            .len()
            >= 3
    );
    let e = assert_err!(
        reader.delete_user("target").await,
        ErrorKind::AccessDenied { .. }
    );
    assert!(message(&e).contains("iam:DeleteUser"), "{e}");

    // An explicit deny wins over an allow; a boundary caps what policies grant.
    let deny_delete = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}"#;
    let admin_but = signed_in(&b, "admin-but", &[deny_delete]).await;
    admin_but.get_user(Some("target")).await.unwrap();
    let e = assert_err!(
        admin_but.delete_user("target").await,
        ErrorKind::AccessDenied { .. }
    );
    assert!(message(&e).contains("explicit deny"), "{e}");

    let boundary = policy_with(&b, "list-only", &allow("iam:List*", "*")).await;
    create_user(&b, "bounded").await;
    b.put_inline_policy(&EntityRef::user("bounded"), "all", &allow("iam:*", "*"))
        .await
        .unwrap();
    b.put_permissions_boundary(&EntityRef::user("bounded"), &boundary.arn)
        .await
        .unwrap();
    let bounded = b.acting_as("bounded");
    bounded.list_users(PageRequest::first()).await.unwrap();
    let e = assert_err!(
        bounded.get_user(Some("target")).await,
        ErrorKind::AccessDenied { .. }
    );
    assert!(message(&e).contains("permissions boundary"), "{e}");

    // Policy variables: the self-service policy works on one's own user only.
    let me = signed_in(&b, "self", &[&self_service()]).await;
    me.create_access_key(None).await.expect("own second key");
    assert_err!(
        me.create_access_key(Some("target")).await,
        ErrorKind::AccessDenied { .. }
    );

    // Group policies count.
    create_user(&b, "member").await;
    b.create_group("listers", None).await.unwrap();
    b.put_inline_policy(
        &EntityRef::group("listers"),
        "l",
        &allow("iam:ListRoles", "*"),
    )
    .await
    .unwrap();
    let member = b.acting_as("member");
    assert_err!(
        member.list_roles(PageRequest::first()).await,
        ErrorKind::AccessDenied { .. }
    );
    b.add_user_to_group("listers", "member").await.unwrap();
    member
        .list_roles(PageRequest::first())
        .await
        .expect("allowed through the group");

    // The read-only wrapper refuses writes before authorisation is even asked.
    let ro = ReadOnly::wrap(Arc::new(b.clone()));
    assert_err!(ro.delete_user("target").await, ErrorKind::ReadOnly(_));
}

fn assume(role: &Role, session: &str) -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: role.arn.clone(),
        session_name: session.into(),
        ..AssumeRoleRequest::default()
    }
}

#[tokio::test]
async fn trust_policies_are_evaluated_on_assume_role() {
    let (_d, b) = empty_account();
    let account = b.whoami().await.unwrap().account;
    let by_account = role_with(&b, "by-account", &trust_account(&account)).await;
    let dana_arn = format!("arn:aws:iam::{account}:user/dana");
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": dana_arn}, "Action": "sts:AssumeRole"}]});
    let by_dana = role_with(&b, "by-dana", &trust.to_string()).await;
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "Unguessable-42"}}}]});
    let with_external_id = role_with(&b, "partner", &trust.to_string()).await;

    // The root of an account cannot assume roles.
    let e = assert_err!(
        b.assume_role(assume(&by_account, "s1")).await,
        ErrorKind::AccessDenied { .. }
    );
    assert!(message(&e).contains("root"), "{e}");

    // Trusting the account delegates to the account's policies: dana needs her own allow.
    let dana = signed_in(&b, "dana", &[]).await;
    assert_err!(
        dana.assume_role(assume(&by_account, "s1")).await,
        ErrorKind::AccessDenied { .. }
    );
    // Naming dana in the trust policy is enough on its own (same account).
    let s = dana
        .assume_role(assume(&by_dana, "direct"))
        .await
        .expect("named directly");
    assert!(s.assumed_role_arn.ends_with(":assumed-role/by-dana/direct"));
    // Others are not named.
    let eve = signed_in(&b, "eve", &[&allow("sts:AssumeRole", "*")]).await;
    assert_err!(
        eve.assume_role(assume(&by_dana, "s1")).await,
        ErrorKind::AccessDenied { .. }
    );
    eve.assume_role(assume(&by_account, "s1"))
        .await
        .expect("delegated, and allowed");

    // ExternalId must match.
    assert_err!(
        eve.assume_role(assume(&with_external_id, "s1")).await,
        ErrorKind::AccessDenied { .. }
    );
    assert_err!(
        eve.assume_role(AssumeRoleRequest {
            external_id: Some("Guessed-42".into()),
            ..assume(&with_external_id, "s1")
        })
        .await,
        ErrorKind::AccessDenied { .. }
    );
    eve.assume_role(AssumeRoleRequest {
        external_id: Some("Unguessable-42".into()),
        ..assume(&with_external_id, "s1")
    })
    .await
    .expect("the right external id");

    // Duration: at most the role's maximum; role chaining at most one hour.
    assert_err!(
        eve.assume_role(AssumeRoleRequest {
            duration_seconds: Some(7200),
            ..assume(&by_account, "s1")
        })
        .await,
        ErrorKind::Validation(_)
    );
    let session = eve.assume_role(assume(&by_account, "first")).await.unwrap();
    let as_role = b.with_credentials(creds_of(&session)).unwrap();
    // The role may assume roles itself (role chaining).
    b.put_inline_policy(
        &EntityRef::role("by-account"),
        "chain",
        &allow("sts:AssumeRole", "*"),
    )
    .await
    .unwrap();
    let e = assert_err!(
        as_role
            .assume_role(AssumeRoleRequest {
                duration_seconds: Some(3601),
                ..assume(&by_account, "chained")
            })
            .await,
        ErrorKind::Validation(_)
    );
    assert!(message(&e).contains("role chaining"), "{e}");
}

#[tokio::test]
async fn mfa_codes_are_real_and_an_mfa_condition_needs_one() {
    let (_d, b) = empty_account();
    let account = b.whoami().await.unwrap().account;
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]});
    let break_glass = role_with(&b, "break-glass", &trust.to_string()).await;
    let frank = signed_in(&b, "frank", &[&allow("sts:AssumeRole", "*")]).await;
    let dev = b.create_virtual_mfa_device("frank", None).await.unwrap();
    let seed = dev.seed_base32.expose_secret().to_string();

    // Wrong codes, codes in the wrong order: refused.
    let (c1, c2) = totp_codes(&seed);
    let e = assert_err!(
        b.enable_mfa_device("frank", &dev.serial_number, "000000", "111111")
            .await,
        ErrorKind::Validation(_)
    );
    assert!(message(&e).contains("not valid"), "{e}");
    assert_err!(
        b.enable_mfa_device("frank", &dev.serial_number, &c2, &c1)
            .await,
        ErrorKind::Validation(_)
    );
    b.enable_mfa_device("frank", &dev.serial_number, &c1, &c2)
        .await
        .expect("two consecutive codes");
    // The same codes cannot be used again (resync needs newer ones).
    assert_err!(
        b.resync_mfa_device("frank", &dev.serial_number, &c1, &c2)
            .await,
        ErrorKind::Validation(_)
    );

    // Without MFA the condition fails.
    assert_err!(
        frank.assume_role(assume(&break_glass, "s1")).await,
        ErrorKind::AccessDenied { .. }
    );
    // A wrong code is refused.
    assert_err!(
        frank
            .assume_role(AssumeRoleRequest {
                serial_number: Some(dev.serial_number.clone()),
                token_code: Some("123456".into()),
                ..assume(&break_glass, "s1")
            })
            .await,
        ErrorKind::AccessDenied { .. }
    );
    // The current code works once it is newer than the last accepted one: wait for the next
    // 30-second step rather than reuse a code (IAM refuses reuse too).
    let code = common::next_totp_code(&seed).await;
    let s = frank
        .assume_role(AssumeRoleRequest {
            serial_number: Some(dev.serial_number.clone()),
            token_code: Some(code.clone()),
            ..assume(&break_glass, "with-mfa")
        })
        .await
        .expect("MFA present");
    let as_role = b.with_credentials(creds_of(&s)).unwrap();
    assert!(
        as_role
            .whoami()
            .await
            .unwrap()
            .arn
            .ends_with("/break-glass/with-mfa")
    );
    // Reusing that code is refused.
    assert_err!(
        frank
            .assume_role(AssumeRoleRequest {
                serial_number: Some(dev.serial_number.clone()),
                token_code: Some(code),
                ..assume(&break_glass, "again")
            })
            .await,
        ErrorKind::AccessDenied { .. }
    );
}

#[tokio::test]
async fn role_sessions_have_the_roles_permissions_limited_by_session_policies() {
    let (_d, b) = empty_account();
    let account = b.whoami().await.unwrap().account;
    let ops = role_with(&b, "ops", &trust_account(&account)).await;
    b.put_inline_policy(&EntityRef::role("ops"), "read", &allow("iam:List*", "*"))
        .await
        .unwrap();
    let gina = signed_in(&b, "gina", &[&allow("sts:AssumeRole", &ops.arn)]).await;
    // Gina herself cannot list; the role can.
    assert_err!(
        gina.list_roles(PageRequest::first()).await,
        ErrorKind::AccessDenied { .. }
    );
    let full = gina.assume_role(assume(&ops, "full")).await.unwrap();
    let as_ops = b.with_credentials(creds_of(&full)).unwrap();
    as_ops.list_roles(PageRequest::first()).await.unwrap();
    as_ops.list_users(PageRequest::first()).await.unwrap();
    assert_err!(
        as_ops.create_group("x", None).await,
        ErrorKind::AccessDenied { .. }
    );
    // A session policy narrows the session to what both allow.
    let narrow = gina
        .assume_role(AssumeRoleRequest {
            policy: Some(allow("iam:ListRoles", "*")),
            ..assume(&ops, "narrow")
        })
        .await
        .unwrap();
    assert!(narrow.session_token_utilization.is_some());
    let as_narrow = b.with_credentials(creds_of(&narrow)).unwrap();
    as_narrow.list_roles(PageRequest::first()).await.unwrap();
    let e = assert_err!(
        as_narrow.list_users(PageRequest::first()).await,
        ErrorKind::AccessDenied { .. }
    );
    assert!(message(&e).contains("session policy"), "{e}");
    // The role's last use is recorded.
    assert!(
        b.get_role("ops")
            .await
            .unwrap()
            .last_used
            .unwrap()
            .date
            .is_some()
    );
}

#[tokio::test]
async fn get_session_token_credentials_need_mfa_for_iam_calls() {
    let (_d, b) = empty_account();
    let hal = signed_in(&b, "hal", &[&allow("iam:*", "*")]).await;
    let plain = hal
        .get_session_token(GetSessionTokenRequest::default())
        .await
        .unwrap();
    assert!(plain.access_key_id.starts_with("ASIA"));
    let as_plain = b.with_credentials(plain).unwrap();
    assert!(as_plain.whoami().await.unwrap().arn.ends_with(":user/hal"));
    let e = assert_err!(
        as_plain.list_users(PageRequest::first()).await,
        ErrorKind::AccessDenied { .. }
    );
    assert!(message(&e).contains("MFA"), "{e}");
    // With MFA the same call passes.
    let with_mfa = common::mfa_session(&b, &*hal, "hal").await;
    let as_mfa = b.with_credentials(with_mfa).unwrap();
    as_mfa
        .list_users(PageRequest::first())
        .await
        .expect("MFA session");
    // Session credentials cannot get another session token.
    assert_err!(
        as_mfa
            .get_session_token(GetSessionTokenRequest::default())
            .await,
        ErrorKind::AccessDenied { .. }
    );
}

#[tokio::test]
async fn expired_sessions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.json");
    let now = chrono::Utc::now();
    let mut account = Account::empty(names::account_id(), now);
    account
        .sessions
        .insert(iamtui::backend::local::model::SessionRecord {
            access_key_id: "ASIAEXPIREDEXPIRED01".into(),
            secret_access_key: iamtui::backend::local::model::Secret("s".into()),
            session_token: iamtui::backend::local::model::Secret("t".into()),
            issued: now - chrono::Duration::hours(2),
            expiration: now - chrono::Duration::hours(1),
            mfa_authenticated: None,
            principal: iamtui::backend::local::model::SessionPrincipal::Root,
        });
    let b = LocalBackend::open(&path, || account).unwrap();
    let old = b
        .with_credentials(common::credentials("ASIAEXPIREDEXPIRED01", "s", Some("t")))
        .unwrap();
    let e = assert_err!(old.whoami().await, ErrorKind::Credentials(_));
    assert!(message(&e).contains("expired"), "{e}");
}

// --- the file ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_second_opener_reads_the_account_but_cannot_write_it() {
    let (dir, first) = empty_account();
    let path = dir.path().join("account.json");
    create_user(&first, "before").await;
    let second = LocalBackend::open(&path, || panic!("exists")).unwrap();
    let holder = second.locked_by().expect("the first holds the lock");
    assert!(
        holder.contains(&format!("pid {}", std::process::id())),
        "{holder}"
    );
    assert!(second.info().read_only);
    let e = second
        .create_user(CreateUser {
            name: "clobber".into(),
            ..CreateUser::default()
        })
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("read-only") && e.to_string().contains("pid"),
        "{e}"
    );
    // It sees what the holder writes.
    create_user(&first, "after").await;
    let names: Vec<String> = second
        .list_users(PageRequest::first())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["after", "before"]);
    assert!(first.get_user(Some("clobber")).await.is_err());
}

#[tokio::test]
async fn a_damaged_file_is_named_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.json");
    let damaged = br#"{"format": "iamtui-local-account", "format_version": 1, "account_id": "123456789012", "created": "2026-01-01T00:00:00Z", "users": [{"name": "x"}]}"#;
    std::fs::write(&path, damaged).unwrap();
    let err = LocalBackend::open(&path, || panic!("must not re-create"))
        .err()
        .expect("refused");
    let text = err.to_string();
    assert!(
        text.contains("account.json") && text.contains("damaged"),
        "{text}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), damaged);
}

#[cfg(unix)]
#[tokio::test]
async fn the_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, b) = empty_account();
    b.create_access_key(None).await.ok();
    create_user(&b, "z").await;
    let mode = std::fs::metadata(dir.path().join("account.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

const WRITER_ENV: &str = "IAMTUI_TEST_WRITER_FILE";

/// A process killed (SIGKILL) at a random moment while it writes leaves the file with either
/// the state before or after a write, never a mix: every run of the writer adds users
/// `w0, w1, …` one write at a time, so a good file holds a prefix of that sequence. The test
/// re-runs its own binary as the writer.
#[test]
fn a_killed_writer_leaves_the_old_or_the_new_state() {
    if let Some(path) = std::env::var_os(WRITER_ENV) {
        // The writer: add users until killed (with a big payload, so writes take a while).
        let b = LocalBackend::open(std::path::Path::new(&path), || panic!("exists")).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let start = b.snapshot().users.len();
        rt.block_on(async {
            for i in start.. {
                b.create_user(CreateUser {
                    name: format!("w{i}"),
                    tags: (0..40)
                        .map(|t| Tag::new(format!("k{t}"), "v".repeat(200)))
                        .collect(),
                    ..CreateUser::default()
                })
                .await
                .unwrap();
            }
        });
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.json");
    drop(
        LocalBackend::open(&path, || {
            Account::empty(names::account_id(), chrono::Utc::now())
        })
        .unwrap(),
    );
    let exe = std::env::current_exe().unwrap();
    let mut seen_growth = 0;
    for round in 0..12u64 {
        let mut child = Command::new(&exe)
            .args([
                "a_killed_writer_leaves_the_old_or_the_new_state",
                "--exact",
                "--nocapture",
            ])
            .env(WRITER_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(150 + (round * 37) % 200));
        child.kill().unwrap();
        child.wait().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let account = iamtui::backend::local::store::parse_account(&path, &text)
            .unwrap_or_else(|e| panic!("round {round}: the file is damaged: {e}"));
        let n = account.users.len();
        for i in 0..n {
            assert!(
                account.users.contains(&format!("w{i}")),
                "round {round}: w{i} missing of {n}"
            );
        }
        seen_growth = n;
        // Temporaries do not pile up: the next writer removes what a killed one left, so at
        // most the one this kill interrupted remains.
        let stray = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert!(stray <= 1, "round {round}: {stray} temporary files");
    }
    assert!(
        seen_growth > 12,
        "the writer wrote only {seen_growth} users: the test proved little"
    );
}

// --- the file, through the binary ---------------------------------------------------------------

const BIN: &str = env!("CARGO_BIN_EXE_iamtui");

/// Runs the binary with its own data and config directories; returns (exit code, stderr).
fn iamtui(home: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("IAMTUI_DATA_DIR", home.join("data"))
        .env("IAMTUI_CONFIG_DIR", home.join("config"))
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_os_error_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    std::fs::write(&plain, "a file where a directory should be").unwrap();
    let account = plain.join("account.json");
    let account = account.to_str().unwrap();
    for args in [
        vec!["--account", account],
        vec!["--account", account, "rotate", "--user", "alice", "--yes"],
    ] {
        let (code, err) = iamtui(dir.path(), &args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert_eq!(err.matches("(os error").count(), 1, "{args:?}: {err}");
        assert!(err.contains("plain"), "{args:?}: {err}");
    }
}

// --- read-only never writes -------------------------------------------------------------------

/// The bytes and modification time of a file, to prove nothing wrote it.
fn fingerprint(path: &std::path::Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

/// Every call of the trait on the demo account: reads must pass, every change must be refused
/// saying `why`, and minting (the credential report, role sessions, session tokens) must work
/// without a write. `b` acts as the administrator, `dev` as a developer who may assume
/// `DeveloperSandbox`.
async fn every_call_on_a_read_only_account(b: Arc<dyn Backend>, dev: Arc<dyn Backend>, why: &str) {
    // Reads, across everything the demo has.
    let users = iamtui::iam::backend::all_users(b.as_ref()).await.unwrap();
    let groups = iamtui::iam::backend::all_groups(b.as_ref()).await.unwrap();
    let roles = iamtui::iam::backend::all_roles(b.as_ref()).await.unwrap();
    let policies = iamtui::iam::backend::all_policies(b.as_ref(), PolicyScope::Local, false)
        .await
        .unwrap();
    assert!(!users.is_empty() && !groups.is_empty() && !roles.is_empty() && !policies.is_empty());
    b.whoami().await.unwrap();
    b.list_account_aliases().await.unwrap();
    for u in &users {
        let e = EntityRef::user(u.name.clone());
        b.get_user(Some(&u.name)).await.unwrap();
        b.list_groups_for_user(&u.name).await.unwrap();
        b.get_login_profile(&u.name).await.unwrap();
        b.list_attached_policies(&e).await.unwrap();
        for name in b.list_inline_policies(&e).await.unwrap() {
            b.get_inline_policy(&e, &name).await.unwrap();
        }
        b.list_tags(&TagTarget::User(u.name.clone())).await.unwrap();
        for k in b.list_access_keys(Some(&u.name)).await.unwrap() {
            b.get_access_key_last_used(&k.access_key_id).await.unwrap();
        }
        b.list_mfa_devices(Some(&u.name)).await.unwrap();
    }
    for g in &groups {
        b.get_group(&g.name).await.unwrap();
        b.list_attached_policies(&EntityRef::group(g.name.clone()))
            .await
            .unwrap();
    }
    for r in &roles {
        b.get_role(&r.name).await.unwrap();
        b.list_instance_profiles_for_role(&r.name).await.unwrap();
        b.list_tags(&TagTarget::Role(r.name.clone())).await.unwrap();
    }
    for p in &policies {
        b.get_policy(&p.arn).await.unwrap();
        for v in b.list_policy_versions(&p.arn).await.unwrap() {
            b.get_policy_version(&p.arn, &v.version_id).await.unwrap();
        }
        b.list_entities_for_policy(&p.arn, PolicyUsage::PermissionsPolicy)
            .await
            .unwrap();
    }
    let devices = b
        .list_virtual_mfa_devices(MfaAssignment::Any)
        .await
        .unwrap();
    b.get_password_policy().await.unwrap();
    let saml = b.list_saml_providers().await.unwrap();
    let oidc = b.list_oidc_providers().await.unwrap();
    for p in &saml {
        b.get_saml_provider(&p.arn).await.unwrap();
    }
    for p in &oidc {
        b.get_oidc_provider(&p.arn).await.unwrap();
    }

    // Mints work, in memory: the credential report (the console's KEYS and MFA columns)...
    b.generate_credential_report().await.unwrap();
    let report = b.get_credential_report().await.unwrap();
    assert_eq!(report.rows.len(), users.len() + 1);
    // ...a role session, which then serves calls...
    let sandbox = roles.iter().find(|r| r.name == "DeveloperSandbox").unwrap();
    let assumed = dev
        .assume_role(AssumeRoleRequest {
            role_arn: sandbox.arn.clone(),
            session_name: "look".into(),
            ..AssumeRoleRequest::default()
        })
        .await
        .unwrap();
    let as_role = dev.with_credentials(creds_of(&assumed)).unwrap();
    let me = as_role.whoami().await.unwrap();
    assert!(
        me.arn.contains("assumed-role/DeveloperSandbox/look"),
        "{me:?}"
    );
    // ...and a session token.
    dev.get_session_token(GetSessionTokenRequest::default())
        .await
        .unwrap();

    // Every change is refused, saying why.
    let u = &users[0].name;
    let key = users
        .iter()
        .find_map(|u| {
            futures::executor::block_on(b.list_access_keys(Some(&u.name)))
                .ok()?
                .pop()
        })
        .unwrap();
    let targets = suite::read_only::Targets {
        user: u,
        group: &groups[0].name,
        role: &sandbox.name,
        policy: &policies[0].arn,
        version: "v1",
        key: (Some(&key.user_name), &key.access_key_id),
        mfa: &devices[0].serial_number,
        saml: &saml[0].arn,
        oidc: &oidc[0].arn,
    };
    let mut results = suite::read_only::every_write(b.as_ref(), &targets).await;
    results.extend([
        (
            "CreateAccessKey",
            dev.create_access_key(None).await.map(drop),
        ),
        (
            "CreateUser",
            as_role
                .create_user(CreateUser {
                    name: "n".into(),
                    ..CreateUser::default()
                })
                .await
                .map(drop),
        ),
    ]);
    for (op, result) in results {
        let e = result.expect_err(op);
        match &e.kind {
            ErrorKind::ReadOnly(reason) => assert!(reason.contains(why), "{op}: {e}"),
            _ => panic!("{op}: not refused as read-only: {e}"),
        }
        // The wrapper names its own operation for tags; the account names IAM's.
        assert!(e.operation == op || op.ends_with("Resource"), "{op}: {e}");
    }
}

/// A read-only opener's handles: the administrator and the developer who may assume
/// `DeveloperSandbox`, as they are, and wrapped as `--read-only` wraps them.
fn handles(b: &LocalBackend, wrap: bool) -> (Arc<dyn Backend>, Arc<dyn Backend>) {
    let admin: Arc<dyn Backend> = Arc::new(b.clone());
    let dev: Arc<dyn Backend> = Arc::new(b.acting_as("daniel.okafor"));
    if wrap {
        (ReadOnly::wrap(admin), ReadOnly::wrap(dev))
    } else {
        (admin, dev)
    }
}

fn demo_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.json");
    drop(
        LocalBackend::open(&path, || {
            iamtui::backend::local::demo::demo_account(chrono::Utc::now())
        })
        .unwrap(),
    );
    (dir, path)
}

#[tokio::test]
async fn read_only_by_the_flag_never_writes_the_file() {
    let (_dir, path) = demo_file();
    let lock = path.with_file_name("account.json.lock");
    let (file, lock_before) = (fingerprint(&path), fingerprint(&lock));
    for wrap in [false, true] {
        let b = LocalBackend::open_read_only(&path, iamtui::backend::read_only::asked_by_flag())
            .unwrap();
        assert!(b.info().read_only);
        let (admin, dev) = handles(&b, wrap);
        every_call_on_a_read_only_account(admin, dev, "--read-only").await;
        assert!(fingerprint(&path) == file, "the account file was written");
        assert!(
            fingerprint(&lock) == lock_before,
            "the lock file was written"
        );
    }
}

#[tokio::test]
async fn a_second_console_never_writes_the_file_and_names_the_holder() {
    let (_dir, path) = demo_file();
    let holder = LocalBackend::open(&path, || panic!("exists")).unwrap();
    let lock = path.with_file_name("account.json.lock");
    let (file, lock_before) = (fingerprint(&path), fingerprint(&lock));
    let second = LocalBackend::open(&path, || panic!("exists")).unwrap();
    let why = second.read_only_reason().expect("read-only");
    let pid = format!("pid {}", std::process::id());
    assert!(
        why.contains("open in another iamtui") && why.contains(&pid) && why.contains("host"),
        "{why}"
    );
    let (admin, dev) = handles(&second, false);
    every_call_on_a_read_only_account(admin.clone(), dev.clone(), &pid).await;
    assert!(fingerprint(&path) == file, "the account file was written");
    assert!(
        fingerprint(&lock) == lock_before,
        "the lock file was written"
    );

    // When the holder writes, the second console shows it and keeps what it holds in memory.
    std::thread::sleep(Duration::from_millis(20));
    create_user(&holder, "added-by-the-holder").await;
    admin.get_user(Some("added-by-the-holder")).await.unwrap();
    admin.get_credential_report().await.unwrap();
    let sandbox = admin.get_role("DeveloperSandbox").await.unwrap();
    let assumed = dev.assume_role(assume(&sandbox, "again")).await.unwrap();
    std::thread::sleep(Duration::from_millis(20));
    create_user(&holder, "and-another").await;
    let as_role = dev.with_credentials(creds_of(&assumed)).unwrap();
    as_role.whoami().await.unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn a_write_protected_file_opens_read_only_and_says_how_to_change_it() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = demo_file();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    let file = fingerprint(&path);
    let b = LocalBackend::open(&path, || panic!("exists")).unwrap();
    let why = b.read_only_reason().expect("read-only");
    assert!(why.contains("0400") && why.contains("chmod u+w"), "{why}");
    let (admin, dev) = handles(&b, false);
    every_call_on_a_read_only_account(admin, dev, "not writable").await;
    assert!(fingerprint(&path) == file, "the account file was written");
}

#[test]
fn the_binary_refuses_to_write_saying_why_and_leaves_the_file_alone() {
    let (dir, path) = demo_file();
    let account = path.to_str().unwrap();
    let lock = path.with_file_name("account.json.lock");
    let rotate = ["rotate", "--user", "jenkins-ci", "--yes"];
    let before = (fingerprint(&path), fingerprint(&lock));

    // Another iamtui holds the file: the refusal names it.
    let holder = LocalBackend::open(&path, || panic!("exists")).unwrap();
    let held = (fingerprint(&path), fingerprint(&lock));
    let (code, err) = iamtui(dir.path(), &[&["--account", account][..], &rotate].concat());
    assert_ne!(code, 0, "{err}");
    let pid = format!("open in another iamtui (pid {}, host ", std::process::id());
    assert!(
        err.contains(&pid) && err.contains("this one is read-only"),
        "{err}"
    );
    assert!((fingerprint(&path), fingerprint(&lock)) == held);
    drop(holder);

    // --read-only: the refusal says the flag asked for it; opening (the console's start, cut
    // short here by the missing terminal) writes nothing either.
    let (code, err) = iamtui(
        dir.path(),
        &[&["--account", account, "--read-only"][..], &rotate].concat(),
    );
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains("refused: iamtui runs read-only, as --read-only asks"),
        "{err}"
    );
    let (code, err) = iamtui(dir.path(), &["--account", account, "--read-only"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a terminal"), "{err}");
    assert!(
        fingerprint(&path) == before.0,
        "the account file was written"
    );
    assert!(fingerprint(&lock) == held.1, "the lock file was written");

    // A file that is not there is not created in read-only mode.
    let missing = dir.path().join("missing.json");
    let (code, err) = iamtui(
        dir.path(),
        &["--account", missing.to_str().unwrap(), "--read-only"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("does not exist and was not created"), "{err}");
    assert!(!missing.exists());
    assert!(!dir.path().join("missing.json.lock").exists());
}

#[tokio::test]
async fn console_passwords_meet_the_password_policy() {
    let (_dir, b) = empty_account();
    create_user(&b, "pat").await;
    let b = &b;
    let create = |p: &str| {
        let password = Password::new(p);
        async move { b.create_login_profile("pat", &password, false).await }
    };
    // No policy: IAM's default, 8 characters and three of the four kinds.
    let e = create("Ab1!").await.unwrap_err();
    assert!(message(&e).contains("at least 8 characters"), "{e}");
    let e = create("alllowercase1").await.unwrap_err();
    assert!(message(&e).contains("three of"), "{e}");
    let e = create(&"Aa1!".repeat(33)).await.unwrap_err();
    assert!(message(&e).contains("between 1 and 128"), "{e}");

    b.update_password_policy(&PasswordPolicy {
        minimum_password_length: Some(14),
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: true,
        ..PasswordPolicy::default()
    })
    .await
    .unwrap();
    // Every rule broken is named, in IAM's error code.
    let e = create("short").await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Validation(_)), "{e}");
    for rule in [
        "14 characters",
        "an uppercase letter",
        "a number",
        "a symbol",
    ] {
        assert!(message(&e).contains(rule), "{rule}: {e}");
    }
    assert!(!message(&e).contains("a lowercase letter"), "{e}");
    assert_eq!(b.get_login_profile("pat").await.unwrap(), None);
    create("Correct-Horse-Battery-9")
        .await
        .expect("a policy-abiding password");
    // A new password is held to the same policy; the flag alone is not.
    assert!(
        b.update_login_profile("pat", Some(&Password::new("weak")), None)
            .await
            .is_err()
    );
    b.update_login_profile("pat", None, Some(true))
        .await
        .unwrap();
    let got = b.get_login_profile("pat").await.unwrap().unwrap();
    assert!(got.password_reset_required);
    // The user cannot be deleted while it has a password.
    let e = b.delete_user("pat").await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::DeleteConflict(_)), "{e}");
    b.delete_login_profile("pat").await.unwrap();
    let e = b.update_login_profile("pat", None, Some(true)).await;
    assert!(matches!(e.unwrap_err().kind, ErrorKind::NotFound(_)));
}

#[tokio::test]
async fn account_aliases_follow_iams_pattern() {
    let (_dir, b) = empty_account();
    for bad in [
        "ab",
        "-corp",
        "corp-",
        "co--rp",
        "Corp",
        "co_rp",
        &"a".repeat(64),
    ] {
        let e = b.create_account_alias(bad).await.unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Validation(_)), "{bad}: {e}");
    }
    b.create_account_alias(&"a".repeat(63)).await.unwrap();
    b.create_account_alias("my-corp-1").await.unwrap();
    let e = b.delete_account_alias("other").await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::NotFound(_)), "{e}");
    assert_eq!(b.list_account_aliases().await.unwrap(), ["my-corp-1"]);
}
