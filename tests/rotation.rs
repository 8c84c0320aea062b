//! Access-key rotation end to end: on the local account (where IAM's rules hold, MFA codes are
//! real and failures can be injected between steps) and on the moto emulator, through the
//! engine and through `iamtui rotate`. After every failure the test checks that a working key is
//! configured and that no key leaked.

mod common;
#[path = "suite/util.rs"]
mod util;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use common::{credentials, key_credentials};
use iamtui::backend::local::LocalBackend;
use iamtui::credentials::file::CredentialsFile;
use iamtui::credentials::rotate::{
    Event, KeyFact, KeyState, MfaCode, Place, ProfileTarget, Retire, RotateError, RotateOptions,
    Step, rotate,
};
use iamtui::iam::*;
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_iamtui");

struct Fixture {
    dir: tempfile::TempDir,
    admin: LocalBackend,
}

impl Fixture {
    fn new() -> Fixture {
        let (dir, admin) = common::empty_local_account("123456789012");
        Fixture { dir, admin }
    }

    fn account_file(&self) -> std::path::PathBuf {
        self.dir.path().join("account.json")
    }

    /// A user who may manage its own keys (and read itself), with one key; the backend acting
    /// with that key; and a credentials file whose profile `[kim]` holds it among others.
    async fn kim(
        &self,
        extra_policy: Option<serde_json::Value>,
    ) -> (Arc<dyn Backend>, NewAccessKey, std::path::PathBuf) {
        common::create_user(&self.admin, "kim").await;
        util::allow_self_service(&self.admin, "kim").await;
        if let Some(p) = extra_policy {
            self.admin
                .put_inline_policy(&EntityRef::user("kim"), "extra", &p.to_string())
                .await
                .unwrap();
        }
        let key = self.admin.create_access_key(Some("kim")).await.unwrap();
        let file = self.dir.path().join("credentials");
        std::fs::write(
            &file,
            format!(
                "# my keys\n[default]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other\n\n{}region = eu-west-1\n",
                common::profile_section("kim", &key)
            ),
        )
        .unwrap();
        let as_kim = self.admin.with_credentials(key_credentials(&key)).unwrap();
        (as_kim, key, file)
    }

    async fn keys(&self) -> Vec<AccessKey> {
        self.admin.list_access_keys(Some("kim")).await.unwrap()
    }
}

fn profile(file: &Path) -> Option<ProfileTarget> {
    Some(ProfileTarget {
        file: file.to_path_buf(),
        profile: "kim".into(),
    })
}

/// Options for rotations in a test's directory: the recovery file goes beside the credentials
/// file, and a key that never works is given up on within about three seconds.
fn opts(file: &Path) -> RotateOptions {
    RotateOptions {
        profile: profile(file),
        wait: std::time::Duration::from_secs(4),
        recovery_dir: Some(recovery_dir(file)),
        ..RotateOptions::default()
    }
}

fn recovery_dir(file: &Path) -> std::path::PathBuf {
    file.parent().unwrap().join("recovered-keys")
}

/// The key facts of a failure.
fn facts(e: &RotateError) -> Vec<KeyFact> {
    e.outcome()
        .expect("a failure after something changed")
        .keys
        .clone()
}

fn fact<'a>(facts: &'a [KeyFact], id: &str) -> &'a KeyFact {
    facts
        .iter()
        .find(|k| k.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the report: {facts:?}"))
}

/// The profile's key works: it is what a person would use next.
async fn profile_key_works(admin: &LocalBackend, file: &Path) -> String {
    let f = CredentialsFile::load(file).unwrap();
    let id = f.access_key_id("kim").expect("the profile holds a key");
    let secret = f.value("kim", "aws_secret_access_key").unwrap();
    let b = admin.with_credentials(credentials(&id, &secret, None));
    let b = b.unwrap();
    let me = b.whoami().await.expect("the configured key works");
    assert!(me.arn.ends_with(":user/kim"), "{}", me.arn);
    id
}

/// Every line but the two key lines of `[kim]` is as it was.
fn only_kim_changed(before: &str, after: &str) {
    let strip = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| {
                !l.starts_with("aws_access_key_id") && !l.starts_with("aws_secret_access_key")
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(strip(before), strip(after));
    assert!(after.contains("aws_access_key_id = AKIAOTHEROTHEROTHER1"));
}

#[tokio::test]
async fn rotating_ones_own_key_switches_the_profile_and_retires_the_old_key() {
    let fx = Fixture::new();
    let (as_kim, old, file) = fx.kim(None).await;
    let before = std::fs::read_to_string(&file).unwrap();
    let mut steps = Vec::new();
    let report = rotate(as_kim, opts(&file), &mut |e| steps.push(e))
        .await
        .expect("rotation");
    let new_id = profile_key_works(&fx.admin, &file).await;
    assert_eq!(new_id, report.new_key.key.access_key_id);
    assert_ne!(new_id, old.key.access_key_id);
    only_kim_changed(&before, &std::fs::read_to_string(&file).unwrap());
    let keys = fx.keys().await;
    assert_eq!(keys.len(), 2);
    let status = |id: &str| keys.iter().find(|k| k.access_key_id == id).unwrap().status;
    assert_eq!(status(&old.key.access_key_id), KeyStatus::Inactive);
    assert_eq!(status(&new_id), KeyStatus::Active);
    // A backup of the old file, private.
    let (_, backup) = report.profile_written.clone().unwrap();
    assert_eq!(std::fs::read_to_string(backup.unwrap()).unwrap(), before);
    // Every step was reported, in order.
    let started: Vec<Step> = steps
        .iter()
        .filter_map(|e| match e {
            Event::Starting(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(
        matches!(
            started.as_slice(),
            [
                Step::Create,
                Step::Verify,
                Step::WriteProfile(_),
                Step::Retire(_, Retire::Deactivate),
                Step::VerifyAgain
            ]
        ),
        "{started:?}"
    );

    // The next rotation must not fail on the inactive key: it is told which key goes first.
    let as_new = fx
        .admin
        .with_credentials(key_credentials(&report.new_key))
        .unwrap();
    let e = rotate(as_new.clone(), opts(&file), &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(e, RotateError::TwoKeys { .. }), "{e}");
    assert!(e.to_string().contains("--delete-first"), "{e}");
    let again = rotate(
        as_new,
        RotateOptions {
            delete_first: Some(old.key.access_key_id.clone()),
            retire: Retire::Delete,
            ..opts(&file)
        },
        &mut |_| {},
    )
    .await
    .expect("second rotation");
    let keys = fx.keys().await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(keys[0].access_key_id, again.new_key.key.access_key_id);
    profile_key_works(&fx.admin, &file).await;
}

#[tokio::test]
async fn an_administrator_rotates_another_users_key_for_hand_over() {
    let fx = Fixture::new();
    let (_, old, file) = fx.kim(None).await;
    let before = std::fs::read_to_string(&file).unwrap();
    let admin: Arc<dyn Backend> = Arc::new(fx.admin.clone());
    let report = rotate(
        admin,
        RotateOptions {
            user: Some("kim".into()),
            recovery_dir: Some(recovery_dir(&file)),
            ..RotateOptions::default()
        },
        &mut |_| {},
    )
    .await
    .unwrap();
    assert!(report.profile_written.is_none());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before,
        "no file is touched"
    );
    assert_ne!(report.new_key.key.access_key_id, old.key.access_key_id);
    let b = fx
        .admin
        .with_credentials(key_credentials(&report.new_key))
        .unwrap();
    assert!(b.whoami().await.unwrap().arn.ends_with(":user/kim"));
}

#[tokio::test]
async fn one_mfa_session_serves_every_step_and_a_reused_code_is_refused() {
    let fx = Fixture::new();
    // IAM calls need MFA (the documented pattern: deny everything without it).
    let need_mfa = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["sts:GetSessionToken", "iam:ListMFADevices"],
        "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]});
    let (as_kim, old, file) = fx.kim(Some(need_mfa)).await;
    let (_, seed) = common::enrolled_mfa(&fx.admin, "kim").await;
    // Without MFA: refused before anything changes.
    let e = rotate(as_kim.clone(), opts(&file), &mut |_| {})
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("AccessDenied") || e.to_string().contains("access denied"),
        "{e}"
    );
    assert_eq!(fx.keys().await.len(), 1);
    assert_eq!(
        profile_key_works(&fx.admin, &file).await,
        old.key.access_key_id
    );
    // The code last used is refused outright.
    let code = common::next_totp_code(&seed).await;
    let e = rotate(
        as_kim.clone(),
        RotateOptions {
            mfa: Some(MfaCode {
                serial: None,
                code: code.clone(),
            }),
            previous_code: Some(code.clone()),
            ..opts(&file)
        },
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert!(matches!(e, RotateError::CodeReused), "{e}");
    // With a fresh code: one GetSessionToken, then every step under it.
    let mut steps = Vec::new();
    rotate(
        as_kim,
        RotateOptions {
            mfa: Some(MfaCode { serial: None, code }),
            ..opts(&file)
        },
        &mut |e| steps.push(e),
    )
    .await
    .expect("rotation with MFA");
    assert!(matches!(
        steps.first(),
        Some(Event::Starting(Step::MfaSession))
    ));
    assert_ne!(
        profile_key_works(&fx.admin, &file).await,
        old.key.access_key_id
    );
}

// --- failures injected between steps ---------------------------------------------------------

/// Runs `inject` (synchronously, with the administrator's backend) when `at` starts.
fn injector<'a>(
    admin: &'a LocalBackend,
    at: fn(&Step) -> bool,
    inject: impl Fn(&LocalBackend) + Send + 'a,
) -> impl FnMut(Event) + Send + 'a {
    move |e| {
        if let Event::Starting(s) = &e
            && at(s)
        {
            inject(admin);
        }
    }
}

/// When `at` starts, kim's keys other than `old` are deactivated behind the rotation's back.
fn deactivate_new_keys_at<'a>(
    admin: &'a LocalBackend,
    at: fn(&Step) -> bool,
    old: &str,
) -> impl FnMut(Event) + Send + 'a {
    let old = old.to_string();
    injector(admin, at, move |admin| {
        let keys = futures::executor::block_on(admin.list_access_keys(Some("kim"))).unwrap();
        for k in keys.into_iter().filter(|k| k.access_key_id != old) {
            let off = admin.update_access_key(Some("kim"), &k.access_key_id, KeyStatus::Inactive);
            futures::executor::block_on(off).unwrap();
        }
    })
}

#[tokio::test]
async fn a_new_key_that_never_works_is_deleted_and_the_old_one_kept() {
    let fx = Fixture::new();
    let (as_kim, old, file) = fx.kim(None).await;
    let before = std::fs::read_to_string(&file).unwrap();
    let old_id = old.key.access_key_id.clone();
    // The new key is deactivated behind the rotation's back before it can be checked.
    let mut observe = deactivate_new_keys_at(&fx.admin, |s| *s == Step::Verify, &old_id);
    let e = rotate(as_kim, opts(&file), &mut observe).await.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("rolled back: deleted the new key"), "{text}");
    assert!(text.contains("IAM rejects the new key"), "{text}");
    let f = facts(&e);
    let old_fact = fact(&f, &old_id);
    assert_eq!(old_fact.state, KeyState::Active, "{text}");
    assert!(matches!(old_fact.place, Place::Profile { .. }), "{text}");
    assert!(
        text.contains(&format!("{old_id} Active, secret in profile kim")),
        "{text}"
    );
    assert!(
        f.iter()
            .any(|k| k.id != old_id && k.state == KeyState::Deleted),
        "{text}"
    );
    assert_no_recovery_files(&file);
    let keys = fx.keys().await;
    assert_eq!(keys.len(), 1, "no key leaked: {keys:?}");
    assert_eq!(keys[0].status, KeyStatus::Active);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    assert_eq!(profile_key_works(&fx.admin, &file).await, old_id);
}

#[tokio::test]
async fn a_credentials_file_that_cannot_be_written_rolls_the_new_key_back() {
    let fx = Fixture::new();
    let (as_kim, old, file) = fx.kim(None).await;
    // Someone edits the file while the rotation runs: writing over it would lose that edit, so
    // the write is refused.
    let mut observe = {
        let file = file.clone();
        move |e: Event| {
            if let Event::Starting(Step::WriteProfile(_)) = e {
                let mut text = std::fs::read_to_string(&file).unwrap();
                text.push_str("# edited meanwhile\n");
                std::fs::write(&file, text).unwrap();
            }
        }
    };
    let e = rotate(as_kim, opts(&file), &mut observe).await.unwrap_err();
    assert!(
        e.to_string().contains("rolled back: deleted the new key"),
        "{e}"
    );
    assert_eq!(fx.keys().await.len(), 1, "no key leaked");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.ends_with("# edited meanwhile\n"), "the edit survives");
    assert_eq!(
        profile_key_works(&fx.admin, &file).await,
        old.key.access_key_id
    );
}

/// A credentials file the user made read-only (0400) is not replaced behind their back: the
/// rotation is refused before any key is created.
#[cfg(unix)]
#[tokio::test]
async fn a_read_only_credentials_file_is_refused_before_anything_changes() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new();
    let (as_kim, old, file) = fx.kim(None).await;
    let before = std::fs::read_to_string(&file).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap();
    let e = rotate(as_kim, opts(&file), &mut |_| {}).await.unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, RotateError::Unchanged { .. }), "{text}");
    assert!(text.contains("read-only (mode 0400)"), "{text}");
    assert!(text.contains("chmod 600"), "{text}");
    assert!(text.contains("nothing was changed"), "{text}");
    let keys = fx.keys().await;
    assert_eq!(keys.len(), 1, "no key was created: {keys:?}");
    assert_eq!(keys[0].access_key_id, old.key.access_key_id);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o400);
}

#[tokio::test]
async fn when_the_old_key_cannot_be_retired_both_keep_working() {
    let fx = Fixture::new();
    let (as_kim, old, file) = fx.kim(None).await;
    let mut observe = injector(
        &fx.admin,
        |s| matches!(s, Step::Retire(..)),
        |admin| {
            let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:UpdateAccessKey", "Resource": "*"}]});
            futures::executor::block_on(admin.put_inline_policy(
                &EntityRef::user("kim"),
                "deny",
                &deny.to_string(),
            ))
            .unwrap();
        },
    );
    let e = rotate(as_kim, opts(&file), &mut observe).await.unwrap_err();
    let f = facts(&e);
    assert_eq!(f.len(), 2, "{e}");
    assert!(f.iter().all(|k| k.state == KeyState::Active), "{e}");
    assert!(
        f.iter().any(|k| matches!(k.place, Place::Backup(_))),
        "the old key's secret is in the backup: {e}"
    );
    let keys = fx.keys().await;
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.status == KeyStatus::Active));
    // The profile holds the new key, and it works.
    assert_ne!(
        profile_key_works(&fx.admin, &file).await,
        old.key.access_key_id
    );
}

#[tokio::test]
async fn a_new_key_failing_after_the_switch_restores_the_profile_and_the_old_key() {
    // An administrator rotates kim's key and the profile holding it; the new key then stops
    // working: the file goes back and the old key is reactivated.
    let fx = Fixture::new();
    let (_, old, file) = fx.kim(None).await;
    let before = std::fs::read_to_string(&file).unwrap();
    let old_id = old.key.access_key_id.clone();
    let mut observe = deactivate_new_keys_at(&fx.admin, |s| *s == Step::VerifyAgain, &old_id);
    let admin: Arc<dyn Backend> = Arc::new(fx.admin.clone());
    let e = rotate(
        admin,
        RotateOptions {
            user: Some("kim".into()),
            ..opts(&file)
        },
        &mut observe,
    )
    .await
    .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("restored the credentials file"), "{text}");
    assert!(text.contains(&format!("reactivated {old_id}")), "{text}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    assert_eq!(profile_key_works(&fx.admin, &file).await, old_id);
}

#[tokio::test]
async fn when_nothing_can_sign_any_more_the_report_says_what_to_do() {
    // Rotating one's own key, the new key is revoked after the old one was deactivated: no
    // credential is left to undo it with. The profile goes back, and the message says so.
    let fx = Fixture::new();
    let (as_kim, old, file) = fx.kim(None).await;
    let before = std::fs::read_to_string(&file).unwrap();
    let old_id = old.key.access_key_id.clone();
    let mut observe = deactivate_new_keys_at(&fx.admin, |s| *s == Step::VerifyAgain, &old_id);
    let e = rotate(as_kim, opts(&file), &mut observe).await.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("an administrator must reactivate"), "{text}");
    // The profile is not put back onto a key that stays inactive: it keeps the new key, and
    // the report says where each secret is.
    assert!(!text.contains("restored the credentials file"), "{text}");
    let f = facts(&e);
    let old_fact = fact(&f, &old_id);
    assert_eq!(old_fact.state, KeyState::Inactive, "{text}");
    assert!(matches!(old_fact.place, Place::Backup(_)), "{text}");
    let new_id = CredentialsFile::load(&file)
        .unwrap()
        .access_key_id("kim")
        .unwrap();
    assert_ne!(new_id, old_id);
    assert!(
        matches!(fact(&f, &new_id).place, Place::Profile { .. }),
        "{text}"
    );
    let backup = file.with_file_name("credentials.iamtui-backup");
    assert_eq!(std::fs::read_to_string(backup).unwrap(), before);
    // No key leaked: the two keys are the old and the new one, nothing more.
    assert_eq!(fx.keys().await.len(), 2);
}

// --- the command ------------------------------------------------------------------------------

#[tokio::test]
async fn iamtui_rotate_on_the_local_account() {
    let fx = Fixture::new();
    let (_, old, _) = fx.kim(None).await;
    let account = fx.account_file();
    drop(fx.admin);
    let rotate_kim = |extra: &[&str]| {
        Command::new(BIN)
            .args([
                "--account",
                account.to_str().unwrap(),
                "rotate",
                "--user",
                "kim",
            ])
            .args(extra)
            .env("IAMTUI_DATA_DIR", fx.dir.path())
            .output()
            .unwrap()
    };
    // Without --yes and without a terminal, nothing happens.
    let out = rotate_kim(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    let out = rotate_kim(&["--yes", "--delete-old", "--wait", "5"]);
    let stdout = common::success_stdout(&out);
    assert!(stdout.contains("✓ created AKIA"), "{stdout}");
    assert!(stdout.contains("shown once"), "{stdout}");
    assert!(stdout.contains("AWS_SECRET_ACCESS_KEY="), "{stdout}");
    let admin = LocalBackend::open(&account, || unreachable!()).unwrap();
    let keys = admin.list_access_keys(Some("kim")).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_ne!(keys[0].access_key_id, old.key.access_key_id);
    assert!(stdout.contains(&keys[0].access_key_id));
    // The rotation's changes are in the audit trail, by operation and user, without the secret.
    let log = std::fs::read_to_string(fx.dir.path().join("audit.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ops: Vec<&str> = records
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect();
    assert!(ops.contains(&"CreateAccessKey"), "{log}");
    assert!(ops.contains(&"DeleteAccessKey"), "{log}");
    assert!(
        records
            .iter()
            .all(|r| r["resource"] == "kim" && r["outcome"] == "ok"),
        "{log}"
    );
    let secret = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("AWS_SECRET_ACCESS_KEY="))
        .expect("the secret shown");
    assert!(secret.len() >= 20 && !log.contains(secret), "{log}");
}

/// Against the emulator, as a person would run it: a profile in a credentials file, rotated in
/// place.
#[tokio::test]
async fn iamtui_rotate_a_profile_on_the_emulator() {
    let moto = common::moto::Moto::start().await;
    let b = moto.backend();
    let old = common::user_with_key(&*b, "kim").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    let text = format!(
        "[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = x\n\n{}",
        common::profile_section("kim", &old)
    );
    std::fs::write(&file, &text).unwrap();
    let args = ["rotate", "--yes", "--wait", "10", "--profile", "kim"];
    let out = common::iamtui_on_emulator(dir.path(), &moto.server.url(), &args);
    let stdout = common::success_stdout(&out);
    let f = CredentialsFile::load(&file).unwrap();
    let new_id = f.access_key_id("kim").unwrap();
    assert_ne!(new_id, old.key.access_key_id);
    assert_eq!(
        f.access_key_id("other").as_deref(),
        Some("AKIAOTHEROTHEROTHER1")
    );
    assert!(stdout.contains(&format!("holds {new_id}")), "{stdout}");
    let keys = b.list_access_keys(Some("kim")).await.unwrap();
    assert_eq!(keys.len(), 2);
    let old_now = keys
        .iter()
        .find(|k| k.access_key_id == old.key.access_key_id)
        .unwrap();
    assert_eq!(old_now.status, KeyStatus::Inactive);
    // The new key signs as kim.
    let secret = f.value("kim", "aws_secret_access_key").unwrap();
    let as_new = b.with_credentials(credentials(&new_id, &secret, None));
    let as_new = as_new.unwrap();
    assert!(as_new.whoami().await.unwrap().arn.ends_with(":user/kim"));
}

/// The emulator stops in the middle: the rotation reports which key is active where, and the
/// profile still holds the old key.
#[tokio::test]
async fn the_emulator_stopping_halfway_leaves_the_profile_on_the_old_key() {
    let moto = common::moto::Moto::start().await;
    let b = moto.backend();
    let old = common::user_with_key(&*b, "kim").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    let text = common::profile_section("kim", &old);
    std::fs::write(&file, &text).unwrap();
    let as_kim = b.with_credentials(key_credentials(&old)).unwrap();
    let pid = moto.server.pid() as i32;
    let mut observe = move |e: Event| {
        if let Event::Starting(Step::Verify) = e {
            // SAFETY: signalling our own child process.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    };
    let e = rotate(as_kim, opts_for(&file), &mut observe)
        .await
        .unwrap_err();
    let text_e = e.to_string();
    // Nothing could be read back: the report gives the last known state, the old key active
    // in the profile and the new key's secret in the recovery file.
    assert!(text_e.contains("as last known"), "{text_e}");
    let f = facts(&e);
    let old_fact = fact(&f, &old.key.access_key_id);
    assert_eq!(old_fact.state, KeyState::Active, "{text_e}");
    assert!(matches!(old_fact.place, Place::Profile { .. }), "{text_e}");
    let new_fact = f
        .iter()
        .find(|k| k.id != old.key.access_key_id)
        .expect("the new key is reported");
    let Place::Recovery(path) = &new_fact.place else {
        panic!("the new key's secret is in a recovery file: {text_e}");
    };
    let kept = CredentialsFile::load(path).unwrap();
    assert_eq!(
        kept.access_key_id(&format!("kim-{}", new_fact.id))
            .as_deref(),
        Some(new_fact.id.as_str())
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "the profile still holds the old key"
    );
}

fn opts_for(file: &Path) -> RotateOptions {
    RotateOptions {
        wait: std::time::Duration::from_secs(5),
        ..opts(file)
    }
}

/// Nothing was left in the recovery directory: every secret is where the report says.
fn assert_no_recovery_files(file: &Path) {
    let dir = recovery_dir(file);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "recovery files left behind: {left:?}");
}
