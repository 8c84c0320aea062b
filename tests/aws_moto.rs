//! The AWS SDK backend against the moto IAM/STS emulator (moto 5.2.5).
//!
//! Each test starts its own moto server (see `common::moto`) and runs a backend-agnostic body
//! from `suite`. What only moto can show lives here: its fixed account, authorization switched
//! on, calls moto does not implement, and the places where moto differs from IAM (pinned, so an
//! upgrade that fixes one fails loudly and the assertion can move into the suite).

mod common;
#[macro_use]
mod suite;

use std::net::TcpListener;
use std::time::Duration;

use common::key_credentials;
use common::moto::{ACCOUNT_ID, Moto, MotoConfig, MotoServer, aws_backend, test_credentials};
use iamtui::backend::ReadOnly;
use iamtui::iam::backend::all_policies;
use iamtui::iam::*;
use secrecy::SecretString;
use suite::util::{allow, saml_metadata, small_page, user};

/// `#[tokio::test]` wrappers: a fresh server per test, the suite body against it.
macro_rules! against_moto {
    ($($name:ident => $body:path),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let moto = Moto::start().await;
                $body(moto.backend()).await;
            }
        )*
    };
}

every_suite_test!(against_moto);

#[tokio::test]
async fn aws_managed_policies() {
    let moto = Moto::start_with(MotoConfig {
        load_managed_policies: true,
    })
    .await;
    suite::policies::aws_managed_policies(moto.backend()).await;
}

// --- moto only ------------------------------------------------------------------------------

#[tokio::test]
async fn whoami_is_motos_default_identity() {
    let moto = Moto::start().await;
    let id = moto.backend.whoami().await.unwrap();
    assert_eq!(id.account, ACCOUNT_ID);
    assert_eq!(id.arn, format!("arn:aws:sts::{ACCOUNT_ID}:user/moto"));
}

#[tokio::test]
async fn info_names_the_endpoint() {
    let moto = Moto::start().await;
    let info = moto.backend.info();
    assert_eq!(info.kind, "aws");
    assert_eq!(info.source, format!("endpoint {}", moto.server.url()));
    assert_eq!(info.region.as_deref(), Some("us-east-1"));
    assert!(!info.read_only);
    let ro = ReadOnly::wrap(moto.backend());
    assert!(ro.info().read_only);
    assert_eq!(ro.info().source, info.source);
}

#[tokio::test]
async fn unreachable_endpoint_is_a_network_error() {
    // A port that was just free and has nobody listening.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let b = aws_backend(&format!("http://127.0.0.1:{port}"), test_credentials()).await;
    let started = std::time::Instant::now();
    let e = b.whoami().await.unwrap_err();
    assert_eq!(e.operation, "GetCallerIdentity");
    match &e.kind {
        ErrorKind::Network(message) => {
            assert!(!message.is_empty());
            assert!(
                message.contains("cannot reach the endpoint"),
                "unhelpful message: {message}"
            );
        }
        other => panic!("expected a network error, got {other:?}"),
    }
    let e = b.list_users(PageRequest::first()).await.unwrap_err();
    assert_eq!(e.operation, "ListUsers");
    assert!(matches!(e.kind, ErrorKind::Network(_)), "{e:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a refused connection must fail fast, took {:?}",
        started.elapsed()
    );
}

/// With authorization on, moto checks signatures against its own users' keys and their policies.
#[tokio::test]
async fn authorization_errors_are_typed() {
    let moto = Moto::start().await;
    let b = moto.backend();
    // Set up while authorization is still off.
    let weak = user(&*b, "weak").await;
    let weak_key = b.create_access_key(Some("weak")).await.unwrap();
    user(&*b, "admin").await;
    b.put_inline_policy(&EntityRef::user("admin"), "all", &allow("*", "*"))
        .await
        .unwrap();
    let admin_key = b.create_access_key(Some("admin")).await.unwrap();
    moto.server.enable_auth();

    // The dummy keys are unknown to moto now.
    let e = b.whoami().await.unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::Credentials(m) if m.contains("security token")),
        "unknown key: {e:?}"
    );
    let e = b.list_users(PageRequest::first()).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Credentials(_)), "{e:?}");

    let as_weak = b.with_credentials(key_credentials(&weak_key)).unwrap();
    // Anyone may ask who they are.
    assert_eq!(as_weak.whoami().await.unwrap().arn, weak.arn);
    let e = as_weak.list_users(PageRequest::first()).await.unwrap_err();
    assert_eq!(e.operation, "ListUsers");
    match &e.kind {
        ErrorKind::AccessDenied { action, message } => {
            assert_eq!(action, "iam:ListUsers");
            assert!(message.contains(&weak.arn), "{message}");
        }
        other => panic!("expected access denied, got {other:?}"),
    }
    let e = as_weak.create_role(suite_role("nope")).await.unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::AccessDenied { action, .. } if action == "iam:CreateRole"),
        "{e:?}"
    );

    // A wrong secret for a real key id is a credentials problem, not a permissions one.
    let bad_secret = b
        .with_credentials(Credentials {
            secret_access_key: SecretString::from("not-the-secret"),
            ..key_credentials(&admin_key)
        })
        .unwrap();
    let e = bad_secret
        .list_users(PageRequest::first())
        .await
        .unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Credentials(_)), "{e:?}");

    // The admin passes: the denials above come from policy evaluation.
    let as_admin = b.with_credentials(key_credentials(&admin_key)).unwrap();
    let users = as_admin.list_users(PageRequest::first()).await.unwrap();
    assert_eq!(users.items.len(), 2);
    as_admin.create_role(suite_role("allowed")).await.unwrap();
}

fn suite_role(name: &str) -> CreateRole {
    CreateRole {
        name: name.into(),
        assume_role_policy: suite::util::trust_service("ec2.amazonaws.com"),
        ..CreateRole::default()
    }
}

/// Calls moto 5.2.5 does not implement answer an HTML 500 page; the backend reports them as a
/// server error (HTTP 500, no IAM code), naming the operation.
#[tokio::test]
async fn calls_moto_does_not_implement_are_server_errors() {
    let moto = Moto::start().await;
    let b = moto.backend();
    user(&*b, "u").await;
    let boundary = suite::util::policy(&*b, "boundary").await;
    let mfa = b.create_virtual_mfa_device("m", None).await.unwrap();
    let saml = b
        .create_saml_provider("idp", &saml_metadata("https://idp.example.com/"), &[])
        .await
        .unwrap();

    fn unsupported(r: Result<impl std::fmt::Debug, BackendError>, operation: &str) {
        let e = r.expect_err(operation);
        assert_eq!(e.operation, operation);
        match &e.kind {
            ErrorKind::ServerError { status, .. } => assert_eq!(*status, 500, "{operation}"),
            other => panic!("{operation}: expected a server error, got {other:?}"),
        }
    }
    let u = EntityRef::user("u");
    unsupported(
        b.put_permissions_boundary(&u, &boundary.arn).await,
        "PutUserPermissionsBoundary",
    );
    unsupported(
        b.delete_permissions_boundary(&u).await,
        "DeleteUserPermissionsBoundary",
    );
    unsupported(
        b.resync_mfa_device("u", &mfa.serial_number, "123456", "654321")
            .await,
        "ResyncMFADevice",
    );
    let mfa_target = TagTarget::MfaDevice(mfa.serial_number.clone());
    unsupported(b.list_tags(&mfa_target).await, "ListMFADeviceTags");
    unsupported(
        b.tag(&mfa_target, &[Tag::new("a", "b")]).await,
        "TagMFADevice",
    );
    unsupported(
        b.untag(&mfa_target, &["a".to_string()]).await,
        "UntagMFADevice",
    );
    // Adding and removing an OIDC provider's client ids (IAM: see the suite's
    // oidc_provider_client_ids).
    let oidc = b
        .create_oidc_provider(CreateOidcProvider {
            url: "https://oidc.example.com".into(),
            client_ids: vec!["a".into()],
            thumbprints: vec!["a".repeat(40)],
            tags: Vec::new(),
        })
        .await
        .unwrap();
    unsupported(
        b.add_oidc_client_id(&oidc, "b").await,
        "AddClientIDToOpenIDConnectProvider",
    );
    unsupported(
        b.remove_oidc_client_id(&oidc, "a").await,
        "RemoveClientIDFromOpenIDConnectProvider",
    );
    let saml_target = TagTarget::SamlProvider(saml);
    unsupported(b.list_tags(&saml_target).await, "ListSAMLProviderTags");
    unsupported(
        b.tag(&saml_target, &[Tag::new("a", "b")]).await,
        "TagSAMLProvider",
    );
    unsupported(
        b.untag(&saml_target, &["a".to_string()]).await,
        "UntagSAMLProvider",
    );
    // Instance profiles are tagged and untagged, but their tags are not listed.
    b.create_instance_profile("ip", None).await.unwrap();
    let ip_target = TagTarget::InstanceProfile("ip".into());
    unsupported(b.list_tags(&ip_target).await, "ListInstanceProfileTags");
    // The server is still healthy afterwards.
    b.get_user(Some("u")).await.unwrap();
}

/// Where moto 5.2.5 differs from IAM. Each line would fail against IAM; if a moto upgrade makes
/// one fail here, move the IAM behaviour into the suite.
#[tokio::test]
async fn moto_differences_from_iam() {
    let moto = Moto::start().await;
    let b = moto.backend();

    let p = suite::util::policy(&*b, "p").await;

    // ListUsers and ListGroups ignore MaxItems (IAM: 2 items and a marker).
    for i in 0..3 {
        user(&*b, &format!("u{i}")).await;
        b.create_group(&format!("g{i}"), None).await.unwrap();
    }
    let page = b.list_users(small_page(None, 2)).await.unwrap();
    assert_eq!((page.items.len(), page.next_marker), (3, None));
    let page = b.list_groups(small_page(None, 2)).await.unwrap();
    assert_eq!((page.items.len(), page.next_marker), (3, None));

    // ListInstanceProfilesForRole answers an empty list for a missing role (IAM: NoSuchEntity).
    assert_eq!(
        b.list_instance_profiles_for_role("no-such-role")
            .await
            .unwrap(),
        []
    );

    // CreateUser ignores PermissionsBoundary (IAM sets it).
    let bounded = b
        .create_user(CreateUser {
            name: "bounded".into(),
            permissions_boundary: Some(p.arn.clone()),
            ..CreateUser::default()
        })
        .await
        .unwrap();
    assert_eq!(bounded.permissions_boundary, None);
    assert_eq!(
        b.get_user(Some("bounded"))
            .await
            .unwrap()
            .permissions_boundary,
        None
    );

    // ListEntitiesForPolicy does not track boundary use (IAM lists the role).
    b.create_role(CreateRole {
        permissions_boundary: Some(p.arn.clone()),
        ..suite_role("bounded-role")
    })
    .await
    .unwrap();
    assert_eq!(
        b.get_role("bounded-role")
            .await
            .unwrap()
            .permissions_boundary
            .as_deref(),
        Some(p.arn.as_str())
    );
    assert_eq!(
        b.list_entities_for_policy(&p.arn, PolicyUsage::PermissionsBoundary)
            .await
            .unwrap(),
        PolicyEntities::default()
    );

    // CreateLoginProfile ignores PasswordResetRequired, and UpdateLoginProfile with only the
    // flag removes the password (IAM keeps it and sets the flag).
    user(&*b, "pat").await;
    let password = Password::new("Correct-Horse-9");
    let created = b
        .create_login_profile("pat", &password, true)
        .await
        .unwrap();
    assert!(!created.password_reset_required);
    b.update_login_profile("pat", None, Some(true))
        .await
        .unwrap();
    assert_eq!(b.get_login_profile("pat").await.unwrap(), None);
    // CreateAccountAlias does not check IAM's pattern; deleting a missing alias succeeds (IAM:
    // ValidationError, NoSuchEntity).
    b.create_account_alias("Not_An_Alias").await.unwrap();
    b.delete_account_alias("no-such-alias").await.unwrap();

    // Deleting a user that has an access key or a group membership succeeds (IAM:
    // DeleteConflict); so does deleting a group with members.
    b.create_access_key(Some("u0")).await.unwrap();
    b.delete_user("u0").await.unwrap();
    b.add_user_to_group("g0", "u1").await.unwrap();
    b.delete_user("u1").await.unwrap();
    b.add_user_to_group("g1", "u2").await.unwrap();
    b.delete_group("g1").await.unwrap();

    // Deleting a policy that is still attached succeeds (IAM: DeleteConflict).
    let attached = suite::util::policy(&*b, "attached").await;
    b.attach_policy(&EntityRef::user("u2"), &attached.arn)
        .await
        .unwrap();
    b.delete_policy(&attached.arn).await.unwrap();

    // EnableMFADevice accepts any codes (IAM: InvalidAuthenticationCode), and an assigned
    // device can be deleted (IAM: DeleteConflict).
    let mfa = b.create_virtual_mfa_device("m", None).await.unwrap();
    b.enable_mfa_device("u2", &mfa.serial_number, "000000", "000000")
        .await
        .unwrap();
    b.delete_virtual_mfa_device(&mfa.serial_number)
        .await
        .unwrap();

    // AssumeRole does not check that the role exists or trusts the caller (IAM: AccessDenied).
    let assumed = b
        .assume_role(AssumeRoleRequest {
            role_arn: format!("arn:aws:iam::{ACCOUNT_ID}:role/does-not-exist"),
            session_name: "s".repeat(2),
            ..AssumeRoleRequest::default()
        })
        .await
        .unwrap();
    assert!(assumed.credentials.access_key_id.starts_with("ASIA"));

    // GetSessionToken returns one fixed long-term-looking key (IAM: a fresh ASIA key).
    let session = b
        .get_session_token(GetSessionTokenRequest::default())
        .await
        .unwrap();
    assert_eq!(session.access_key_id, "AKIAIOSFODNN7EXAMPLE");

    // A group with a policy attached can be deleted (IAM: DeleteConflict).
    b.attach_policy(&EntityRef::group("g2"), &p.arn)
        .await
        .unwrap();
    b.delete_group("g2").await.unwrap();

    // ListEntitiesForPolicy on a policy that does not exist lists nothing (IAM: NoSuchEntity).
    assert_eq!(
        b.list_entities_for_policy(
            &format!("arn:aws:iam::{ACCOUNT_ID}:policy/missing"),
            PolicyUsage::PermissionsPolicy
        )
        .await
        .unwrap(),
        PolicyEntities::default()
    );

    // CreateRole does not validate the trust policy (IAM: MalformedPolicyDocument);
    // UpdateAssumeRolePolicy does.
    let bad = b
        .create_role(CreateRole {
            assume_role_policy: "{this is not json".into(),
            ..suite_role("bad-trust")
        })
        .await
        .unwrap();
    assert_eq!(bad.assume_role_policy.as_deref(), Some("{this is not json"));

    // The credential report's generation time is a fixed date.
    b.generate_credential_report().await.unwrap();
    b.generate_credential_report().await.unwrap();
    assert_eq!(
        b.get_credential_report()
            .await
            .unwrap()
            .generated
            .map(|t| t.to_rfc3339()),
        Some("2015-02-02T20:02:02+00:00".to_string())
    );

    // CreateSAMLProvider with a name already in use succeeds (IAM: EntityAlreadyExists), and
    // tags given at creation do not come back from GetSAMLProvider.
    let metadata = saml_metadata("https://idp.example.com/");
    let saml = b
        .create_saml_provider("idp", &metadata, &[Tag::new("k", "v")])
        .await
        .unwrap();
    assert_eq!(
        b.create_saml_provider("idp", &metadata, &[]).await.unwrap(),
        saml
    );
    assert_eq!(b.get_saml_provider(&saml).await.unwrap().tags, []);

    // GetUser without a name, signed by a key moto does not know, answers with a made-up
    // "default_user" (IAM: the caller's user, or an error for keys it does not know).
    assert_eq!(
        b.get_user(None).await.unwrap().arn,
        format!("arn:aws:iam::{ACCOUNT_ID}:user/default_user")
    );

    // Without MOTO_IAM_LOAD_MANAGED_POLICIES there are no AWS managed policies.
    assert!(
        all_policies(b.as_ref(), PolicyScope::Aws, false)
            .await
            .unwrap()
            .is_empty()
    );

    // DeleteUser deletes a user that still has an SSH public key and a signing certificate
    // (IAM: DeleteConflict); UploadSSHPublicKey takes a body that is no key, and the same key
    // twice (IAM: UnrecognizedPublicKeyEncoding, DuplicateSSHPublicKey). Its quota of two
    // signing certificates is IAM's. The local account's checks: suite::public_keys.
    user(&*b, "keyed").await;
    b.upload_ssh_public_key("keyed", suite::public_keys::ED25519)
        .await
        .unwrap();
    b.upload_signing_certificate("keyed", suite::public_keys::CERT1)
        .await
        .unwrap();
    b.delete_user("keyed").await.unwrap();
    user(&*b, "lax").await;
    b.upload_ssh_public_key("lax", "not a key").await.unwrap();
    let twice = suite::public_keys::ed25519_key(1);
    b.upload_ssh_public_key("lax", &twice).await.unwrap();
    b.upload_ssh_public_key("lax", &twice).await.unwrap();
    assert_eq!(b.list_ssh_public_keys("lax").await.unwrap().len(), 3);
    for cert in [suite::public_keys::CERT1, suite::public_keys::CERT2] {
        b.upload_signing_certificate("lax", cert).await.unwrap();
    }
    assert!(matches!(
        b.upload_signing_certificate("lax", suite::public_keys::CERT3)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::LimitExceeded(_)
    ));

    // Service-linked roles: moto names an RDS one `AWSServiceRoleForrds` (IAM:
    // `AWSServiceRoleForRDS`) and lets DeleteRole remove one (IAM: UnmodifiableEntity, only
    // DeleteServiceLinkedRole may).
    let rds = b
        .create_service_linked_role(CreateServiceLinkedRole {
            service: "rds.amazonaws.com".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rds.name, "AWSServiceRoleForrds");
    b.delete_role(&rds.name).await.unwrap();

    // UpdateOpenIDConnectProviderThumbprint takes a thumbprint that is not 40 hexadecimal
    // characters, and UpdateSAMLProvider a metadata document under 1,000 characters that is
    // not SAML metadata (IAM: ValidationError, InvalidInput).
    let oidc = b
        .create_oidc_provider(CreateOidcProvider {
            url: "https://differences.example.com".into(),
            client_ids: vec!["a".into()],
            thumbprints: vec!["a".repeat(40)],
            tags: Vec::new(),
        })
        .await
        .unwrap();
    b.update_oidc_thumbprints(&oidc, &["not-a-thumbprint".into()])
        .await
        .unwrap();
    let saml = b
        .create_saml_provider("diff", &saml_metadata("https://idp.example.com/"), &[])
        .await
        .unwrap();
    b.update_saml_provider(&saml, "<short/>").await.unwrap();
}

/// The harness itself: the server process is gone (killed and reaped) once the handle drops.
#[tokio::test]
async fn server_is_killed_on_drop() {
    let server = MotoServer::start();
    let pid = server.pid();
    let port = server.port();
    assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());
    drop(server);
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "moto_server {pid} is still there (running or a zombie)"
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port {port} still answers"
    );
}
