//! Fixtures shared by the integration-test binaries (`mod common;`). Not every binary uses every
//! helper.
#![allow(dead_code)]

pub mod awscli;
pub mod fault_proxy;
pub mod moto;
pub mod npm;
pub mod venv;

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::Output;

use iamtui::backend::local::LocalBackend;
use iamtui::backend::local::model::Account;
use iamtui::iam::{Backend, CreateUser, Credentials, GetSessionTokenRequest, NewAccessKey, User};

/// `$CARGO_TARGET_DIR` or `<manifest dir>/target`: where fixtures cache what they download.
pub fn target_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => manifest.join(dir), // joining an absolute path replaces the base
        None => manifest.join("target"),
    }
}

/// Runs `f` holding an exclusive lock on `lock_path`, so installers in parallel test threads
/// and test binaries never race.
pub fn with_file_lock<T>(
    lock_path: &Path,
    f: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    if let Some(parent) = lock_path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    let result = f();
    drop(lock); // unlocks
    result
}

/// The last lines of a command's stderr and stdout, for a failure message.
pub fn output_tail(out: &Output) -> String {
    format!(
        "{}\n--- stderr (tail) ---\n{}\n--- stdout (tail) ---\n{}",
        out.status,
        tail(&String::from_utf8_lossy(&out.stderr), 30),
        tail(&String::from_utf8_lossy(&out.stdout), 15)
    )
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Credentials from their parts, as a credentials file or an environment gives them.
pub fn credentials(id: &str, secret: &str, session_token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: id.into(),
        secret_access_key: secret.to_string().into(),
        session_token: session_token.map(|t| t.to_string().into()),
        expiration: None,
    }
}

/// The long-term credentials of a new access key.
pub fn key_credentials(k: &NewAccessKey) -> Credentials {
    Credentials {
        access_key_id: k.key.access_key_id.clone(),
        secret_access_key: k.secret_access_key.clone(),
        session_token: None,
        expiration: None,
    }
}

/// A new, empty local account with the id `account_id` in its own temporary directory (kept
/// alive by the returned guard), as `account.json`.
pub fn empty_local_account(account_id: &str) -> (tempfile::TempDir, LocalBackend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = LocalBackend::open(&dir.path().join("account.json"), || {
        Account::empty(account_id, chrono::Utc::now())
    })
    .expect("open the local account");
    (dir, b)
}

/// Creates the user `name` with IAM's defaults otherwise.
pub async fn create_user(b: &dyn Backend, name: &str) -> User {
    b.create_user(CreateUser {
        name: name.into(),
        ..CreateUser::default()
    })
    .await
    .unwrap_or_else(|e| panic!("create user {name}: {e}"))
}

/// Creates the user `name` (IAM's defaults otherwise) and an access key for it.
pub async fn user_with_key(b: &dyn Backend, name: &str) -> NewAccessKey {
    create_user(b, name).await;
    b.create_access_key(Some(name))
        .await
        .unwrap_or_else(|e| panic!("access key for {name}: {e}"))
}

/// Seconds since the epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock before 1970")
        .as_secs()
}

/// Two consecutive TOTP codes for a Base32 seed, as EnableMFADevice expects (the previous and
/// the current 30-second step), computed by `totp-rs` rather than the code under test.
pub fn totp_codes(seed_base32: &str) -> (String, String) {
    let secret = totp_rs::Secret::try_from_base32(seed_base32)
        .unwrap_or_else(|e| panic!("seed does not decode as Base32: {e:?}"));
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .unwrap_or_else(|e| panic!("cannot build a TOTP from the seed: {e:?}"));
    let now = unix_now();
    (
        totp.generate(now - 30).to_string(),
        totp.generate(now).to_string(),
    )
}

/// A code newer than any used so far: sleeps until the next 30-second step (each code is
/// accepted once), then gives that step's code.
pub async fn next_totp_code(seed_base32: &str) -> String {
    let step = unix_now() / 30;
    while unix_now() / 30 == step {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    totp_codes(seed_base32).1
}

/// Creates a virtual MFA device for `user` and enables it with two real codes; returns its
/// serial number and its Base32 seed.
pub async fn enrolled_mfa(b: &dyn Backend, user: &str) -> (String, String) {
    use secrecy::ExposeSecret;
    let dev = b
        .create_virtual_mfa_device(user, None)
        .await
        .unwrap_or_else(|e| panic!("MFA device for {user}: {e}"));
    let seed = dev.seed_base32.expose_secret().to_string();
    let (c1, c2) = totp_codes(&seed);
    b.enable_mfa_device(user, &dev.serial_number, &c1, &c2)
        .await
        .unwrap_or_else(|e| panic!("enable MFA for {user}: {e}"));
    (dev.serial_number, seed)
}

/// MFA session credentials for `user`: the administrator `admin` enrols a device for it, then
/// `caller` (acting as the user) asks for a session token with a fresh code.
pub async fn mfa_session(admin: &dyn Backend, caller: &dyn Backend, user: &str) -> Credentials {
    let (serial, seed) = enrolled_mfa(admin, user).await;
    // The enrolment used the current step's code: the session needs the next one.
    let request = GetSessionTokenRequest {
        serial_number: Some(serial),
        token_code: Some(next_totp_code(&seed).await),
        ..GetSessionTokenRequest::default()
    };
    caller
        .get_session_token(request)
        .await
        .unwrap_or_else(|e| panic!("MFA session for {user}: {e}"))
}

/// Runs `iamtui` with `args` against the emulator at `endpoint` (its flags go before any `--`),
/// with only the credentials and config files in `dir`: no key from the environment.
pub fn iamtui_on_emulator(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    let at = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    std::process::Command::new(env!("CARGO_BIN_EXE_iamtui"))
        .args(&args[..at])
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .args(&args[at..])
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE")
        .env("IAMTUI_DATA_DIR", dir)
        .output()
        .expect("run iamtui")
}

/// The stdout of a command that must have exited 0.
#[track_caller]
pub fn success_stdout(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", output_tail(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value `env` printed for `name` (a line `name=value` of `stdout`).
#[track_caller]
pub fn env_value(stdout: &str, name: &str) -> String {
    let prefix = format!("{name}=");
    let value = stdout.lines().find_map(|l| l.strip_prefix(prefix.as_str()));
    value
        .unwrap_or_else(|| panic!("no {name} in:\n{stdout}"))
        .to_string()
}

/// A credentials-file section `[profile]` holding a new key.
pub fn profile_section(profile: &str, k: &NewAccessKey) -> String {
    use secrecy::ExposeSecret;
    format!(
        "[{profile}]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
        k.key.access_key_id,
        k.secret_access_key.expose_secret()
    )
}
