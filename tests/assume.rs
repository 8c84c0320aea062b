//! Assuming roles: the trust-policy prediction agrees with what the local account enforces;
//! `iamtui assume` hands the credentials to a command, to a shell, or to `credential_process`;
//! on the emulator an assumed session is who GetCallerIdentity says.

mod common;

use std::process::Command;
use std::sync::Arc;

use iamtui::backend::local::LocalBackend;
use iamtui::credentials::assume::{Caller, Prediction, predict};
use iamtui::iam::*;
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_iamtui");

struct Fx {
    dir: tempfile::TempDir,
    admin: LocalBackend,
}

async fn fixture() -> Fx {
    let (dir, admin) = common::empty_local_account("123456789012");
    common::create_user(&admin, "dev").await;
    let allow = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "iam:ListMFADevices", "iam:GetRole"], "Resource": "*"}]});
    admin
        .put_inline_policy(&EntityRef::user("dev"), "assume", &allow.to_string())
        .await
        .unwrap();
    let trusts = [
        (
            "open",
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}),
        ),
        (
            "mfa",
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}),
        ),
        (
            "partner",
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "xyz-1"}}}),
        ),
        (
            "foreign",
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}),
        ),
    ];
    for (name, st) in trusts {
        admin
            .create_role(CreateRole {
                name: name.into(),
                assume_role_policy: json!({"Version": "2012-10-17", "Statement": [st]}).to_string(),
                ..CreateRole::default()
            })
            .await
            .unwrap();
    }
    admin
        .put_inline_policy(&EntityRef::role("open"), "read", &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:List*", "sts:AssumeRole"], "Resource": "*"}]}).to_string())
        .await
        .unwrap();
    Fx { dir, admin }
}

fn dev() -> Caller {
    Caller {
        arn: "arn:aws:iam::123456789012:user/dev".into(),
        account: "123456789012".into(),
        principal_arn: "arn:aws:iam::123456789012:user/dev".into(),
        ..Caller::default()
    }
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::123456789012:role/{name}")
}

/// Assuming the role `name` as the session `session`.
fn assume(name: &str, session: &str) -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: role_arn(name),
        session_name: session.into(),
        ..AssumeRoleRequest::default()
    }
}

async fn trust_of(fx: &Fx, role: &str) -> String {
    let role = fx.admin.get_role(role).await.unwrap();
    role.assume_role_policy.expect("a role has a trust policy")
}

/// For each role and each way of asking, the prediction and the real answer agree.
#[tokio::test]
async fn prediction_and_enforcement_agree() {
    let fx = fixture().await;
    let as_dev = fx.admin.acting_as("dev");
    let session = common::mfa_session(&fx.admin, &as_dev, "dev").await;
    let as_mfa = fx.admin.with_credentials(session).unwrap();
    for name in ["open", "mfa", "partner", "foreign"] {
        let trust = trust_of(&fx, name).await;
        for (mfa, external_id) in [(false, None), (false, Some("xyz-1")), (true, None)] {
            let caller = Caller {
                mfa,
                external_id: external_id.map(str::to_string),
                ..dev()
            };
            let predicted = predict(&trust, &role_arn(name), &caller);
            let real = if mfa {
                // One MFA session (one code) serves every assume, as in the console.
                as_mfa.assume_role(assume(name, "s1")).await
            } else {
                as_dev
                    .assume_role(AssumeRoleRequest {
                        external_id: external_id.map(str::to_string),
                        ..assume(name, "s1")
                    })
                    .await
            };
            assert_eq!(
                predicted.allowed(),
                real.is_ok(),
                "{name} mfa={mfa} external_id={external_id:?}: predicted {predicted:?}, STS said {:?}",
                real.err()
            );
        }
    }
    let mfa_trust = trust_of(&fx, "mfa").await;
    assert!(matches!(
        predict(&mfa_trust, &role_arn("mfa"), &dev()),
        Prediction::NeedsMfa { .. }
    ));
    let foreign = trust_of(&fx, "foreign").await;
    assert_eq!(
        predict(&foreign, &role_arn("foreign"), &dev()),
        Prediction::NotTrusted
    );
}

#[tokio::test]
async fn sessions_expire_and_chains_are_limited_to_an_hour() {
    let fx = fixture().await;
    let as_dev = fx.admin.acting_as("dev");
    let first = as_dev
        .assume_role(AssumeRoleRequest {
            duration_seconds: Some(900),
            ..assume("open", "first")
        })
        .await
        .unwrap();
    let expires = first.credentials.expiration.unwrap();
    let left = (expires - chrono::Utc::now()).num_seconds();
    assert!((880..=900).contains(&left), "{left}");
    let as_role = fx
        .admin
        .with_credentials(first.credentials.clone())
        .unwrap();
    // Chaining: from a role session, at most an hour.
    let e = as_role
        .assume_role(AssumeRoleRequest {
            duration_seconds: Some(7200),
            ..assume("open", "chained")
        })
        .await
        .unwrap_err();
    assert!(e.to_string().contains("role chaining"), "{e}");
    let chained = as_role
        .assume_role(assume("open", "chained"))
        .await
        .expect("a chained session of an hour");
    let me = fx
        .admin
        .with_credentials(chained.credentials)
        .unwrap()
        .whoami()
        .await
        .unwrap();
    assert!(me.arn.ends_with(":assumed-role/open/chained"), "{}", me.arn);
}

#[tokio::test]
async fn iamtui_assume_runs_a_command_with_the_credentials() {
    let fx = fixture().await;
    let account = fx.dir.path().join("account.json");
    drop(fx.admin);
    let base = |extra: &[&str]| {
        let mut c = Command::new(BIN);
        c.args([
            "--account",
            account.to_str().unwrap(),
            "--as",
            "dev",
            "assume",
        ]);
        c.args(extra);
        c.env("IAMTUI_DATA_DIR", fx.dir.path());
        c.env_remove("AWS_ACCESS_KEY_ID");
        c.output().unwrap()
    };
    let out = base(&["open", "--duration", "900", "--", "env"]);
    let stdout = common::success_stdout(&out);
    let var = |name: &str| common::env_value(&stdout, name);
    assert!(var("AWS_ACCESS_KEY_ID").starts_with("ASIA"));
    assert!(!var("AWS_SECRET_ACCESS_KEY").is_empty());
    assert!(!var("AWS_SESSION_TOKEN").is_empty());
    assert_eq!(var("AWS_REGION"), "us-east-1");
    assert!(var("AWS_CREDENTIAL_EXPIRATION").ends_with('Z'));
    // The credentials really are the role's.
    let admin = LocalBackend::open(&account, || unreachable!()).unwrap();
    let token = var("AWS_SESSION_TOKEN");
    let creds = common::credentials(
        &var("AWS_ACCESS_KEY_ID"),
        &var("AWS_SECRET_ACCESS_KEY"),
        Some(&token),
    );
    let as_role = admin.with_credentials(creds).unwrap();
    assert!(
        as_role
            .whoami()
            .await
            .unwrap()
            .arn
            .ends_with(":assumed-role/open/dev")
    );
    drop(as_role);
    drop(admin);
    // The exit code passes through.
    let out = base(&["open", "--", "sh", "-c", "exit 7"]);
    assert_eq!(out.status.code(), Some(7));
    // Shell lines and credential_process.
    let out = base(&["open", "--export", "--shell", "fish"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("set -gx AWS_SESSION_TOKEN '"));
    let out = base(&["open", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Version"], 1);
    assert!(v["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    // Refusals are STS's words, exit 1.
    let out = base(&["partner", "--", "true"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("AccessDenied")
            || String::from_utf8_lossy(&out.stderr).contains("access denied"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // followed by the engine's reading of the trust policy.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the trust policy says: requires ExternalId"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = base(&["partner", "--external-id", "xyz-1", "--", "true"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// On the emulator, through a profile of the config file with role_arn and source_profile.
#[tokio::test]
async fn iamtui_assume_a_profile_on_the_emulator() {
    let moto = common::moto::Moto::start().await;
    let b: Arc<dyn Backend> = moto.backend();
    let key = common::user_with_key(&*b, "ci").await;
    let role = b
        .create_role(CreateRole {
            name: "deploy".into(),
            assume_role_policy: json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}).to_string(),
            ..CreateRole::default()
        })
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let credentials = common::profile_section("ci", &key);
    std::fs::write(dir.path().join("credentials"), credentials).unwrap();
    std::fs::write(
        dir.path().join("config"),
        format!(
            "[profile deploy]\nrole_arn = {}\nsource_profile = ci\nrole_session_name = pipeline\n",
            role.arn
        ),
    )
    .unwrap();
    let args = ["assume", "deploy", "--", "env"];
    let out = common::iamtui_on_emulator(dir.path(), &moto.server.url(), &args);
    let stdout = common::success_stdout(&out);
    let var = |name: &str| common::env_value(&stdout, name);
    let token = var("AWS_SESSION_TOKEN");
    let creds = common::credentials(
        &var("AWS_ACCESS_KEY_ID"),
        &var("AWS_SECRET_ACCESS_KEY"),
        Some(&token),
    );
    let as_role = b.with_credentials(creds).unwrap();
    let me = as_role.whoami().await.unwrap();
    assert!(
        me.arn.ends_with(":assumed-role/deploy/pipeline"),
        "{}",
        me.arn
    );
    // Listing works with the new credentials.
    assert!(
        as_role
            .list_roles(PageRequest::first())
            .await
            .unwrap()
            .items
            .iter()
            .any(|r| r.name == "deploy")
    );
}
