//! `iamtui rotate` under injected network faults: a loopback fault proxy in front of the moto
//! emulator breaks each call of the rotation in each way a network or service fails (reset,
//! lost reply, hang, HTTP 500, 503, throttling, the endpoint dying), once and for good.
//!
//! After every run, whatever happened, with the state read straight from the emulator:
//! - the run ended within `--wait` (plus process start and exit);
//! - the profile holds a key that is active and works;
//! - every other active key of the user is named in what the command printed;
//! - a recovery file left behind is named in the output and holds a key of the user;
//! - no secret was printed;
//! - a fault that happens once is absorbed: the rotation succeeds.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::fault_proxy::{Fault, FaultProxy};
use common::moto::Moto;
use iamtui::credentials::file::CredentialsFile;
use iamtui::iam::*;

const BIN: &str = env!("CARGO_BIN_EXE_iamtui");
/// `--wait` of every run: short, since moto's keys work at once.
const WAIT: u64 = 5;
/// Process start, SDK set-up and exit on a loaded 2-core machine.
const SLACK: Duration = Duration::from_secs(4);
/// Breaks every occurrence until the run ends.
const FOR_GOOD: usize = 1_000;

/// Where a fault strikes: an action of the rotation and how many of it pass first.
#[derive(Debug, Clone, Copy)]
struct Call {
    action: &'static str,
    skip: usize,
    what: &'static str,
    /// Extra arguments the scenario needs to reach the call.
    retire_by_delete: bool,
    two_keys: bool,
}

const fn call(action: &'static str, skip: usize, what: &'static str) -> Call {
    Call {
        action,
        skip,
        what,
        retire_by_delete: false,
        two_keys: false,
    }
}

/// Every call an own-key rotation of a profile makes, in order.
const CALLS: [Call; 9] = [
    call("GetUser", 0, "read the user"),
    call("ListAccessKeys", 0, "list the keys"),
    Call {
        two_keys: true,
        ..call("DeleteAccessKey", 0, "delete a key to make room")
    },
    call("CreateAccessKey", 0, "create the key"),
    call("GetCallerIdentity", 0, "check the new key"),
    call("UpdateAccessKey", 0, "deactivate the old key"),
    Call {
        retire_by_delete: true,
        ..call("DeleteAccessKey", 0, "delete the old key")
    },
    call("GetCallerIdentity", 1, "check the new key again"),
    call("ListAccessKeys", 1, "read the keys back"),
];

struct Bench {
    moto: Moto,
    proxy: FaultProxy,
    n: usize,
}

impl Bench {
    async fn start() -> Bench {
        let moto = Moto::start().await;
        let proxy = FaultProxy::start(&moto.server.url());
        Bench { moto, proxy, n: 0 }
    }

    fn admin(&self) -> Arc<dyn Backend> {
        self.moto.backend()
    }

    /// Runs one scenario in a fresh user and directory, and checks what must hold.
    async fn scenario(&mut self, at: Call, fault: Fault, times: usize) {
        self.n += 1;
        let user = format!("u{}", self.n);
        let label = format!("{fault:?} ×{times} on {} ({user})", at.what);
        let admin = self.admin();
        let old = common::user_with_key(&*admin, &user).await;
        let spare = if at.two_keys {
            Some(admin.create_access_key(Some(&user)).await.unwrap())
        } else {
            None
        };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        std::fs::write(&file, common::profile_section(&user, &old)).unwrap();
        self.proxy.clear();
        self.proxy.fail(at.action, at.skip, times, fault);
        let mut args = vec![
            "rotate".to_string(),
            "--yes".into(),
            "--wait".into(),
            WAIT.to_string(),
        ];
        if at.retire_by_delete {
            args.push("--delete-old".into());
        }
        if let Some(spare) = &spare {
            args.push("--delete-first".into());
            args.push(spare.key.access_key_id.clone());
        }
        let started = Instant::now();
        let out = rotate_command(&self.proxy.url(), &user, &file, dir.path(), &args);
        let took = started.elapsed();
        self.proxy.clear();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!(
            "--- {label}: exit {:?} in {took:.1?}\n{text}",
            out.status.code()
        );
        let applied = self.proxy.applied();
        assert!(
            applied.iter().any(|(a, _)| a == at.action),
            "{label}: the fault never struck (calls: {:?})\n{text}",
            self.proxy.calls()
        );
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{label}: exit {code:?}\n{text}"
        );
        assert!(
            took < Duration::from_secs(WAIT) + SLACK,
            "{label}: took {took:?} with --wait {WAIT}\n{text}"
        );
        if times == 1 && fault != Fault::Die {
            assert_eq!(code, Some(0), "{label}: one fault is absorbed\n{text}");
        }
        let keys = admin.list_access_keys(Some(&user)).await.unwrap();
        check_profile_works(&admin, &user, &file, &keys, &label, &text).await;
        // Beside the profile's working key, every active key is accounted for.
        let profile_key = CredentialsFile::load(&file).unwrap().access_key_id(&user);
        for k in keys.iter().filter(|k| {
            k.status == KeyStatus::Active && Some(&k.access_key_id) != profile_key.as_ref()
        }) {
            assert!(
                text.contains(&k.access_key_id),
                "{label}: active key {} is not named\n{text}",
                k.access_key_id
            );
        }
        check_recovery_files(dir.path(), &keys, &label, &text);
        assert!(!text.contains("aws_secret_access_key"), "{label}: {text}");
        assert!(
            !text.contains("AWS_SECRET_ACCESS_KEY"),
            "{label}: a secret was printed\n{text}"
        );
        if code == Some(0) {
            let profile_key = CredentialsFile::load(&file)
                .unwrap()
                .access_key_id(&user)
                .unwrap();
            assert_ne!(profile_key, old.key.access_key_id, "{label}: {text}");
            let old_now = keys
                .iter()
                .find(|k| k.access_key_id == old.key.access_key_id);
            match old_now {
                None => assert!(at.retire_by_delete, "{label}: old key deleted\n{text}"),
                Some(k) => assert_eq!(k.status, KeyStatus::Inactive, "{label}\n{text}"),
            }
        }
    }
}

fn rotate_command(url: &str, profile: &str, file: &Path, home: &Path, args: &[String]) -> Output {
    Command::new(BIN)
        .args(args)
        .args([
            "--profile",
            profile,
            "--endpoint-url",
            url,
            "--region",
            "us-east-1",
        ])
        .env("AWS_SHARED_CREDENTIALS_FILE", file)
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("IAMTUI_DATA_DIR", home.join("data"))
        .env("IAMTUI_CONFIG_DIR", home.join("config.d"))
        .env("HOME", home)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .unwrap()
}

/// The profile's key is active and signs as the user (asked of the emulator directly).
async fn check_profile_works(
    admin: &Arc<dyn Backend>,
    user: &str,
    file: &Path,
    keys: &[AccessKey],
    label: &str,
    text: &str,
) {
    let f = CredentialsFile::load(file).unwrap();
    let id = f
        .access_key_id(user)
        .unwrap_or_else(|| panic!("{label}: the profile lost its key\n{text}"));
    let secret = f.value(user, "aws_secret_access_key").unwrap();
    let k = keys
        .iter()
        .find(|k| k.access_key_id == id)
        .unwrap_or_else(|| panic!("{label}: the profile's key {id} no longer exists\n{text}"));
    assert_eq!(
        k.status,
        KeyStatus::Active,
        "{label}: the profile's key {id} is inactive\n{text}"
    );
    let me = admin
        .with_credentials(common::credentials(&id, &secret, None))
        .unwrap()
        .whoami()
        .await
        .unwrap_or_else(|e| panic!("{label}: the profile's key {id} does not work: {e}\n{text}"));
    assert!(
        me.arn.ends_with(&format!(":user/{user}")),
        "{label}: {}",
        me.arn
    );
}

/// Every recovery file left is named in the output and holds a live key of the user.
fn check_recovery_files(home: &Path, keys: &[AccessKey], label: &str, text: &str) {
    let dir = home.join("data").join("recovered-keys");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    for path in files {
        assert!(
            text.contains(&path.display().to_string()),
            "{label}: recovery file {} is not named\n{text}",
            path.display()
        );
        let f = CredentialsFile::load(&path).unwrap();
        let profile = &f.profiles()[0];
        let id = f.access_key_id(profile).unwrap();
        assert!(
            keys.iter().any(|k| k.access_key_id == id),
            "{label}: {} holds {id}, which no longer exists\n{text}",
            path.display()
        );
    }
}

async fn every_call(fault: Fault) {
    let mut bench = Bench::start().await;
    for at in CALLS {
        bench.scenario(at, fault, 1).await;
        bench.scenario(at, fault, FOR_GOOD).await;
    }
}

#[tokio::test]
async fn connection_resets_never_lose_a_key() {
    every_call(Fault::Reset).await;
}

#[tokio::test]
async fn lost_replies_never_lose_a_key() {
    every_call(Fault::LostReply).await;
}

#[tokio::test]
async fn hung_calls_never_lose_a_key_and_the_wait_holds() {
    every_call(Fault::Hang).await;
}

#[tokio::test]
async fn server_errors_never_lose_a_key() {
    every_call(Fault::ServerError).await;
    every_call(Fault::Unavailable).await;
}

#[tokio::test]
async fn throttling_never_loses_a_key() {
    every_call(Fault::Throttle).await;
}

/// The endpoint dies at each call in turn: nothing answers from then on.
#[tokio::test]
async fn the_endpoint_dying_at_any_call_never_loses_a_key() {
    let mut bench = Bench::start().await;
    for at in CALLS {
        // A dead proxy stays dead: a new one for each scenario, before the same emulator.
        bench.proxy = FaultProxy::start(&bench.moto.server.url());
        bench.scenario(at, Fault::Die, 1).await;
        assert!(bench.proxy.is_dead());
    }
}
