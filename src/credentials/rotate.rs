//! Access-key rotation that never leaves anyone without a working key.
//!
//! The steps, each reported as it starts and ends:
//! 1. with MFA, one GetSessionToken up front, used for every later IAM call;
//! 2. when the user already has two keys (IAM's limit, inactive keys count), delete the one the
//!    caller named first;
//! 3. create the new key;
//! 4. wait until it works: STS GetCallerIdentity signed with it, retried with backoff (IAM is
//!    eventually consistent);
//! 5. write it into the credentials profile that held the old key, when there is one;
//! 6. deactivate (default) or delete the old key;
//! 7. check the new key again.
//!
//! A failure rolls back what was done: before the profile is switched, the new key is deleted;
//! when the new key fails after the switch, the profile is restored from its backup and the old
//! key reactivated. The report says which key is active where.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use super::file::CredentialsFile;
use crate::iam::*;

/// What to do with the old key once the new one works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Retire {
    #[default]
    Deactivate,
    Delete,
}

/// A credentials-file profile that holds the key being rotated.
#[derive(Debug, Clone)]
pub struct ProfileTarget {
    pub file: PathBuf,
    pub profile: String,
}

#[derive(Debug, Clone)]
pub struct MfaCode {
    /// `None`: the caller's only MFA device.
    pub serial: Option<String>,
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct RotateOptions {
    /// `None`: the caller's own user.
    pub user: Option<String>,
    /// The key to rotate; `None`: the profile's key, else the user's only (or oldest active) key.
    pub key: Option<String>,
    pub retire: Retire,
    /// When the user already has two keys: delete this one first.
    pub delete_first: Option<String>,
    pub profile: Option<ProfileTarget>,
    pub mfa: Option<MfaCode>,
    /// The MFA code used last time: a TOTP window reused is the classic way rotations fail
    /// halfway, so the same code is refused before anything changes.
    pub previous_code: Option<String>,
    /// How long to wait for a new key to start working.
    pub verify_timeout: Duration,
}

impl Default for RotateOptions {
    fn default() -> Self {
        Self {
            user: None,
            key: None,
            retire: Retire::Deactivate,
            delete_first: None,
            profile: None,
            mfa: None,
            previous_code: None,
            verify_timeout: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    MfaSession,
    DeleteFirst(String),
    Create,
    Verify,
    WriteProfile(PathBuf),
    Retire(String, Retire),
    VerifyAgain,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::MfaSession => f.write_str("get an MFA session"),
            Step::DeleteFirst(id) => write!(f, "delete {id} to make room for the new key"),
            Step::Create => f.write_str("create the new key"),
            Step::Verify => f.write_str("wait until the new key works"),
            Step::WriteProfile(p) => write!(f, "write the new key into {}", p.display()),
            Step::Retire(id, Retire::Deactivate) => write!(f, "deactivate the old key {id}"),
            Step::Retire(id, Retire::Delete) => write!(f, "delete the old key {id}"),
            Step::VerifyAgain => f.write_str("check the new key again"),
        }
    }
}

/// What the observer hears.
#[derive(Debug, Clone)]
pub enum Event {
    Starting(Step),
    Done(Step, String),
    RolledBack(String),
}

#[derive(Debug)]
pub struct Report {
    pub user: String,
    pub new_key: NewAccessKey,
    pub old_key: Option<String>,
    /// The profile written, and its backup.
    pub profile_written: Option<(PathBuf, Option<PathBuf>)>,
    /// Each key of the user afterwards, and where it is used.
    pub keys: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error(
        "user {user} already has two access keys ({}); IAM allows two, so one must go first: name it (--delete-first KEY_ID)",
        keys.join(", ")
    )]
    TwoKeys { user: String, keys: Vec<String> },
    #[error("user {user} has no access key to rotate{hint}")]
    NoKey { user: String, hint: String },
    #[error("the MFA code is the one used last time; wait for the next code")]
    CodeReused,
    #[error("cannot {step}: {error}{rollback}\n{state}")]
    Failed {
        step: String,
        error: String,
        rollback: String,
        state: String,
    },
}

fn creds(k: &NewAccessKey) -> Credentials {
    Credentials {
        access_key_id: k.key.access_key_id.clone(),
        secret_access_key: k.secret_access_key.clone(),
        session_token: None,
        expiration: None,
    }
}

/// Waits until `key` signs requests as `arn`, retrying with exponential backoff.
async fn verify(
    b: &Arc<dyn Backend>,
    key: &NewAccessKey,
    arn: &str,
    timeout: Duration,
) -> Result<u32, String> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(250);
    let mut attempts = 0;
    let as_new = b.with_credentials(creds(key)).map_err(|e| e.to_string())?;
    loop {
        attempts += 1;
        match as_new.whoami().await {
            Ok(id) if id.arn == arn => return Ok(attempts),
            Ok(id) => {
                return Err(format!("the new key signs as {}, not as {arn}", id.arn));
            }
            Err(e) if started.elapsed() + delay > timeout => {
                return Err(format!(
                    "{e} (still failing after {attempts} tries in {:.0} s)",
                    started.elapsed().as_secs_f64()
                ));
            }
            Err(_) => {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// Rotates one access key; `observe` hears every step (and may be used to stop the caller's
/// UI from blocking).
pub async fn rotate(
    backend: Arc<dyn Backend>,
    opts: RotateOptions,
    observe: &mut (dyn FnMut(Event) + Send),
) -> Result<Report, RotateError> {
    let fail = |step: &Step, error: String, rollback: String, state: String| RotateError::Failed {
        step: step.to_string(),
        error,
        rollback,
        state,
    };
    // 1. One MFA session for every step.
    let mut b = backend.clone();
    if let Some(mfa) = &opts.mfa {
        if opts.previous_code.as_deref() == Some(mfa.code.trim()) {
            return Err(RotateError::CodeReused);
        }
        let step = Step::MfaSession;
        observe(Event::Starting(step.clone()));
        let serial = match &mfa.serial {
            Some(s) => s.clone(),
            None => {
                let devices = backend.list_mfa_devices(None).await.map_err(|e| {
                    fail(
                        &step,
                        e.to_string(),
                        String::new(),
                        "nothing was changed".into(),
                    )
                })?;
                match devices.as_slice() {
                    [one] => one.serial_number.clone(),
                    [] => {
                        return Err(fail(
                            &step,
                            "the caller has no MFA device".into(),
                            String::new(),
                            "nothing was changed".into(),
                        ));
                    }
                    _ => {
                        return Err(fail(
                            &step,
                            "the caller has several MFA devices: name one".into(),
                            String::new(),
                            "nothing was changed".into(),
                        ));
                    }
                }
            }
        };
        let session = backend
            .get_session_token(GetSessionTokenRequest {
                duration_seconds: Some(900),
                serial_number: Some(serial.clone()),
                token_code: Some(mfa.code.trim().to_string()),
            })
            .await
            .map_err(|e| {
                fail(
                    &step,
                    e.to_string(),
                    String::new(),
                    "nothing was changed".into(),
                )
            })?;
        b = backend.with_credentials(session).map_err(|e| {
            fail(
                &step,
                e.to_string(),
                String::new(),
                "nothing was changed".into(),
            )
        })?;
        observe(Event::Done(
            step,
            "MFA session for the next 15 minutes".into(),
        ));
    }
    let nothing = || "nothing was changed".to_string();
    let me = b
        .get_user(opts.user.as_deref())
        .await
        .map_err(|e| fail(&Step::Create, e.to_string(), String::new(), nothing()))?;
    let user = me.name.clone();
    let who = opts.user.as_deref();
    let keys = b
        .list_access_keys(who)
        .await
        .map_err(|e| fail(&Step::Create, e.to_string(), String::new(), nothing()))?;
    let file = match &opts.profile {
        Some(t) => Some(
            CredentialsFile::load(&t.file)
                .map_err(|e| fail(&Step::Create, e.to_string(), String::new(), nothing()))?,
        ),
        None => None,
    };
    let profile_key = match (&opts.profile, &file) {
        (Some(t), Some(f)) => f.access_key_id(&t.profile),
        _ => None,
    };
    // Which key is being rotated.
    let old = opts
        .key
        .clone()
        .or_else(|| {
            profile_key
                .clone()
                .filter(|k| keys.iter().any(|x| &x.access_key_id == k))
        })
        .or_else(|| {
            let mut active: Vec<&AccessKey> = keys
                .iter()
                .filter(|k| k.status == KeyStatus::Active)
                .collect();
            active.sort_by_key(|k| k.create_date);
            active.first().map(|k| k.access_key_id.clone())
        });
    let Some(old) = old else {
        return Err(RotateError::NoKey {
            user,
            hint: if keys.is_empty() {
                String::new()
            } else {
                "; all its keys are inactive".into()
            },
        });
    };
    if !keys.iter().any(|k| k.access_key_id == old) {
        return Err(RotateError::NoKey {
            user,
            hint: format!("; it has no key {old}"),
        });
    }
    // The profile is rewritten only when it holds the rotated key.
    let write_profile = opts
        .profile
        .clone()
        .filter(|_| profile_key.as_deref() == Some(old.as_str()));

    // 2. Room for the new key.
    if keys.len() >= 2 {
        let Some(victim) = opts.delete_first.clone().filter(|v| *v != old) else {
            return Err(RotateError::TwoKeys {
                user,
                keys: keys
                    .iter()
                    .map(|k| format!("{} {}", k.access_key_id, k.status.as_str()))
                    .collect(),
            });
        };
        if !keys.iter().any(|k| k.access_key_id == victim) {
            return Err(RotateError::TwoKeys {
                user,
                keys: keys.iter().map(|k| k.access_key_id.clone()).collect(),
            });
        }
        let step = Step::DeleteFirst(victim.clone());
        observe(Event::Starting(step.clone()));
        b.delete_access_key(who, &victim)
            .await
            .map_err(|e| fail(&step, e.to_string(), String::new(), nothing()))?;
        observe(Event::Done(step, format!("deleted {victim}")));
    }

    // 3. The new key.
    let step = Step::Create;
    observe(Event::Starting(step.clone()));
    let new = b.create_access_key(who).await.map_err(|e| {
        fail(
            &step,
            e.to_string(),
            String::new(),
            format!("{old} is still active and unchanged"),
        )
    })?;
    let new_id = new.key.access_key_id.clone();
    observe(Event::Done(step, format!("created {new_id}")));

    // Deletes the new key after a failure before the switch.
    async fn undo_create(b: &Arc<dyn Backend>, who: Option<&str>, new_id: &str) -> String {
        match b.delete_access_key(who, new_id).await {
            Ok(()) => format!("; rolled back: deleted the new key {new_id}"),
            Err(e) => format!("; could not delete the new key {new_id} ({e}): delete it by hand"),
        }
    }

    // 4. Wait until it works.
    let step = Step::Verify;
    observe(Event::Starting(step.clone()));
    match verify(&backend, &new, &me.arn, opts.verify_timeout).await {
        Ok(n) => observe(Event::Done(
            step,
            format!("{new_id} works (after {n} tries)"),
        )),
        Err(e) => {
            let rb = undo_create(&b, who, &new_id).await;
            observe(Event::RolledBack(rb.clone()));
            return Err(fail(
                &step,
                e,
                rb,
                format!("{old} is still active and unchanged"),
            ));
        }
    }

    // 5. Switch the profile.
    let mut written = None;
    if let (Some(t), Some(f)) = (&write_profile, &file) {
        let step = Step::WriteProfile(t.file.clone());
        observe(Event::Starting(step.clone()));
        let text = f.with_keys(&t.profile, &new_id, new.secret_access_key.expose_secret());
        match f.write(&text) {
            Ok(backup) => {
                observe(Event::Done(
                    step,
                    format!("profile {} now uses {new_id}", t.profile),
                ));
                written = Some((t.file.clone(), backup));
            }
            Err(e) => {
                let rb = undo_create(&b, who, &new_id).await;
                observe(Event::RolledBack(rb.clone()));
                return Err(fail(
                    &step,
                    e.to_string(),
                    rb,
                    format!(
                        "{old} is still active, and profile {} still holds it",
                        t.profile
                    ),
                ));
            }
        }
    }
    let where_new = match &write_profile {
        Some(t) => format!(" (in profile {})", t.profile),
        None => String::new(),
    };

    // 6. Retire the old key.
    let step = Step::Retire(old.clone(), opts.retire);
    observe(Event::Starting(step.clone()));
    let retired = match opts.retire {
        Retire::Deactivate => b.update_access_key(who, &old, KeyStatus::Inactive).await,
        Retire::Delete => b.delete_access_key(who, &old).await,
    };
    if let Err(e) = retired {
        // Both keys work and the profile holds the new one: nobody is locked out.
        return Err(fail(
            &step,
            e.to_string(),
            String::new(),
            format!("both keys are active: {new_id}{where_new} and {old}; retire {old} by hand"),
        ));
    }
    observe(Event::Done(step, format!("{old} retired")));

    // 7. Check again.
    let step = Step::VerifyAgain;
    observe(Event::Starting(step.clone()));
    if let Err(e) = verify(&backend, &new, &me.arn, opts.verify_timeout).await {
        let mut rb = String::new();
        if let Some((path, backup)) = &written {
            match backup {
                Some(_) => match CredentialsFile::restore_backup(path) {
                    Ok(()) => rb.push_str("; restored the credentials file from its backup"),
                    Err(e) => rb.push_str(&format!("; could not restore {} ({e})", path.display())),
                },
                None => rb.push_str("; the credentials file had no backup to restore"),
            }
        }
        let state = match opts.retire {
            Retire::Deactivate => {
                // Whoever can still sign: the caller (an administrator, an MFA session), else
                // the new key (it may still work for IAM while STS says otherwise).
                let mut reactivated = b.update_access_key(who, &old, KeyStatus::Active).await;
                if reactivated.is_err()
                    && let Ok(as_new) = backend.with_credentials(creds(&new))
                    && as_new
                        .update_access_key(who, &old, KeyStatus::Active)
                        .await
                        .is_ok()
                {
                    reactivated = Ok(());
                }
                match reactivated {
                    Ok(()) => {
                        rb.push_str(&format!("; reactivated {old}"));
                        format!("{old} is active again; {new_id} does not work")
                    }
                    Err(e2) => format!(
                        "{old} could not be reactivated ({e2}) and {new_id} does not work: an administrator must reactivate {old} or create a key"
                    ),
                }
            }
            Retire::Delete => {
                format!("{old} was deleted and {new_id} does not work: create a key by hand")
            }
        };
        observe(Event::RolledBack(rb.clone()));
        return Err(fail(&step, e, rb, state));
    }
    observe(Event::Done(step, format!("{new_id} works")));

    let after = b.list_access_keys(who).await.unwrap_or_default();
    let keys = after
        .iter()
        .map(|k| {
            let place = if k.access_key_id == new_id {
                where_new.clone()
            } else {
                String::new()
            };
            format!("{} {}{place}", k.access_key_id, k.status.as_str())
        })
        .collect();
    Ok(Report {
        user,
        new_key: NewAccessKey {
            key: new.key.clone(),
            secret_access_key: SecretString::from(
                new.secret_access_key.expose_secret().to_string(),
            ),
        },
        old_key: Some(old),
        profile_written: written,
        keys,
    })
}
