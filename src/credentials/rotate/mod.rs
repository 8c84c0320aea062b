//! Access-key rotation that never leaves anyone without a working key.
//!
//! The steps, each reported as it starts and ends:
//! 1. with MFA, one GetSessionToken up front, used for every later IAM call;
//! 2. when the user already has two keys (IAM's limit, inactive keys count), delete the one the
//!    caller named first;
//! 3. create the new key, and at once keep its secret in a recovery file (0600);
//! 4. wait until it works: STS GetCallerIdentity signed with it, retried (IAM is eventually
//!    consistent);
//! 5. write it into the credentials profile that held the old key, when there is one;
//! 6. deactivate (default) or delete the old key;
//! 7. check the new key again.
//!
//! What holds whatever fails, wherever: at the end the profile holds a key that is active and
//! works, or the report names every key of the user, its status and where its secret is.
//! - A network failure, a timeout, a server fault or throttling is retried until the step's
//!   deadline and is never taken as a verdict on a key; only IAM's answer is
//!   (`InvalidClientTokenId`, `SignatureDoesNotMatch`). See [`patience`].
//! - The whole run, rollback and report included, ends within [`RotateOptions::wait`].
//! - A lost CreateAccessKey reply leaves a key nobody has the secret of: after any failed
//!   create the keys are listed, and such a key is deleted (or reported).
//! - A lost DeleteAccessKey reply is recognised when the repeat finds the key gone.
//! - The new key's secret is in the recovery file from the moment it exists until it is safely
//!   in the profile (or the key is gone); the report names the file otherwise.
//! - Rollback: before the profile is switched, the new key is deleted; when IAM rejects the new
//!   key after the switch, the old key is reactivated and only then the profile restored (never
//!   onto a key that stays inactive).
//! - Before a failure is reported, the keys are read back from IAM.

mod keys;
mod patience;
mod recovery;

pub use keys::{KeyFact, KeyState, Place, describe};
pub use recovery::default_dir as default_recovery_dir;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use super::file::CredentialsFile;
use crate::iam::*;
use patience::{
    Answer, Budget, FIRST_PAUSE, Failures, MAX_PAUSE, Until, once, pause_before, persist,
};

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

/// The default limit of a whole rotation.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(120);

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
    /// The limit of the whole run: every call, retry, rollback and the final read of the keys
    /// end within it.
    pub wait: Duration,
    /// Where a new secret is kept until it is safely in a profile; `None`:
    /// [`default_recovery_dir`].
    pub recovery_dir: Option<PathBuf>,
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
            wait: DEFAULT_WAIT,
            recovery_dir: None,
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
    /// Each key of the user afterwards (read back from IAM), and where its secret is.
    pub keys: Vec<KeyFact>,
    /// `Err(why)` when the keys could not be read back and are shown as last known.
    pub reread: Result<(), String>,
}

/// The state a failed rotation leaves, as read back from IAM when it could be.
#[derive(Debug)]
pub struct Outcome {
    pub user: String,
    pub keys: Vec<KeyFact>,
    /// `Err(why)` when the keys could not be read back and are shown as last known.
    pub reread: Result<(), String>,
    /// The key the rotated profile holds now, when a profile was involved.
    pub profile_key: Option<String>,
    /// A new key whose secret could not be saved anywhere, to be shown once.
    pub unsaved: Option<NewAccessKey>,
    /// The new key, when the profile holds it at the end: whoever signed with the profile
    /// (the console itself) must switch to it.
    pub switched_to: Option<NewAccessKey>,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe(&self.user, &self.keys, &self.reread))
    }
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
    /// Refused before anything was changed.
    #[error("cannot {step}: {error}; nothing was changed")]
    Unchanged { step: String, error: String },
    #[error("cannot {step}: {error}{rollback}\n{state}")]
    Failed {
        step: String,
        error: String,
        rollback: String,
        state: Box<Outcome>,
    },
}

impl RotateError {
    /// The state left behind, for a failure after something changed.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self {
            RotateError::Failed { state, .. } => Some(state),
            _ => None,
        }
    }
}

/// An answer as a result, whatever ended it.
fn said<T>(answer: Answer<T>) -> Result<T, String> {
    match answer {
        Answer::Done(v) => Ok(v),
        Answer::Refused(e) => Err(e.to_string()),
        Answer::Silence(why) => Err(why),
    }
}

fn creds(k: &NewAccessKey) -> Credentials {
    Credentials {
        access_key_id: k.key.access_key_id.clone(),
        secret_access_key: k.secret_access_key.clone(),
        session_token: None,
        expiration: None,
    }
}

fn copy(k: &NewAccessKey) -> NewAccessKey {
    NewAccessKey {
        key: k.key.clone(),
        secret_access_key: SecretString::from(k.secret_access_key.expose_secret().to_string()),
    }
}

/// What checking a key found.
enum Check {
    Works(u32),
    /// IAM's answer: the key is not valid (the last answer before the deadline).
    Rejected(String),
    /// The key signs as someone else.
    WrongUser(String),
    /// No verdict: the network, a timeout, or an answer that says nothing about the key.
    Unknown(String),
}

/// Asks STS who `key` is until it answers as `arn` or `until` passes.
async fn check_key(
    backend: &Arc<dyn Backend>,
    key: &NewAccessKey,
    arn: &str,
    until: Until,
) -> Check {
    let as_new = match backend.with_credentials(creds(key)) {
        Ok(b) => b,
        Err(e) => return Check::Unknown(e.to_string()),
    };
    let started = Instant::now();
    let mut pause = FIRST_PAUSE;
    let mut failures = Failures::default();
    // Whether IAM's last answer was a rejection (not followed by a failure to get an answer).
    let mut rejected;
    loop {
        match once(until, as_new.whoami()).await {
            Answer::Done(id) if id.arn == arn => return Check::Works(failures.tries() + 1),
            Answer::Done(id) => {
                return Check::WrongUser(format!("the new key signs as {}, not as {arn}", id.arn));
            }
            Answer::Refused(e) if e.is_rejected_credentials() => {
                rejected = true;
                failures.add(e.to_string());
            }
            Answer::Refused(e) => return Check::Unknown(e.to_string()),
            Answer::Silence(why) => {
                rejected = false;
                failures.add(why);
            }
        }
        if !pause_before(until, pause).await {
            break;
        }
        pause = (pause * 2).min(MAX_PAUSE);
    }
    let why = failures.describe(started);
    if rejected {
        Check::Rejected(format!("IAM rejects the new key: {why}"))
    } else {
        Check::Unknown(format!("could not check the new key: {why}"))
    }
}

/// Rotates one access key; `observe` hears every step.
pub async fn rotate(
    backend: Arc<dyn Backend>,
    opts: RotateOptions,
    observe: &mut (dyn FnMut(Event) + Send),
) -> Result<Report, RotateError> {
    let budget = Budget::new(Instant::now(), opts.wait);
    // The engine retries within its deadline and must see every failure as it happens: the
    // SDK's own retries would repeat a CreateAccessKey whose reply was lost, and hide why.
    let backend = backend.single_attempt().unwrap_or(backend);
    let unchanged = |step: &dyn std::fmt::Display, error: String| RotateError::Unchanged {
        step: step.to_string(),
        error,
    };
    const READ: &str = "read the user and its keys";
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
                let devices = said(persist(budget.steps, || backend.list_mfa_devices(None)).await)
                    .map_err(|e| unchanged(&step, e))?;
                match devices.as_slice() {
                    [one] => one.serial_number.clone(),
                    [] => return Err(unchanged(&step, "the caller has no MFA device".into())),
                    _ => {
                        return Err(unchanged(
                            &step,
                            "the caller has several MFA devices: name one".into(),
                        ));
                    }
                }
            }
        };
        let request = GetSessionTokenRequest {
            duration_seconds: Some(900),
            serial_number: Some(serial.clone()),
            token_code: Some(mfa.code.trim().to_string()),
        };
        let session =
            said(persist(budget.steps, || backend.get_session_token(request.clone())).await)
                .map_err(|e| unchanged(&step, e))?;
        b = backend
            .with_credentials(session)
            .map_err(|e| unchanged(&step, e.to_string()))?;
        observe(Event::Done(
            step,
            "MFA session for the next 15 minutes".into(),
        ));
    }
    let who = opts.user.clone();
    let me = said(persist(budget.steps, || b.get_user(who.as_deref())).await)
        .map_err(|e| unchanged(&READ, e))?;
    let user = me.name.clone();
    let keys = said(persist(budget.steps, || b.list_access_keys(who.as_deref())).await)
        .map_err(|e| unchanged(&READ, e))?;
    let file = match &opts.profile {
        Some(t) => {
            Some(CredentialsFile::load(&t.file).map_err(|e| unchanged(&READ, e.to_string()))?)
        }
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
    if let (Some(t), Some(f)) = (&write_profile, &file) {
        // A file that cannot take the new key is found before anything changes.
        f.check_writable()
            .map_err(|e| unchanged(&Step::WriteProfile(t.file.clone()), e.to_string()))?;
    }
    let victim = if keys.len() >= 2 {
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
        Some(victim)
    } else {
        None
    };

    let mut run = Run {
        budget,
        backend,
        b,
        who,
        own: opts.user.is_none(),
        user,
        arn: me.arn.clone(),
        old_profile: write_profile.clone(),
        recovery_dir: opts
            .recovery_dir
            .clone()
            .unwrap_or_else(recovery::default_dir),
        before: keys,
        old: old.clone(),
        gone: Vec::new(),
        last_known: Vec::new(),
        new: None,
        orphans: Vec::new(),
        orphans_removed: Vec::new(),
        profile_holds_new: false,
        backup: None,
        recovery: None,
        recovery_failed: false,
        retiring: false,
    };
    run.rotate(opts.retire, victim, file, observe).await
}

/// A rotation under way: what it has changed so far, so that a failure can be undone and
/// reported truthfully.
struct Run {
    budget: Budget,
    /// The caller's backend (checks sign with the new key through it).
    backend: Arc<dyn Backend>,
    /// Signs the IAM calls: the caller, or its MFA session.
    b: Arc<dyn Backend>,
    who: Option<String>,
    /// Rotating the caller's own key: once the old key is retired, only the new key signs.
    own: bool,
    user: String,
    arn: String,
    /// The profile that held the old key, to be switched.
    old_profile: Option<ProfileTarget>,
    recovery_dir: PathBuf,
    /// The keys at the start.
    before: Vec<AccessKey>,
    old: String,
    /// Keys this run deleted (IAM said so, or the repeat found them gone).
    gone: Vec<String>,
    /// Status changes IAM acknowledged.
    last_known: Vec<(String, KeyState)>,
    new: Option<NewAccessKey>,
    /// Keys created by requests whose replies were lost, and not deleted since.
    orphans: Vec<String>,
    /// Such keys that were deleted.
    orphans_removed: Vec<String>,
    profile_holds_new: bool,
    backup: Option<PathBuf>,
    recovery: Option<PathBuf>,
    recovery_failed: bool,
    /// The old key's retirement was asked for (whatever the answer).
    retiring: bool,
}

impl Run {
    fn new_id(&self) -> String {
        self.new
            .as_ref()
            .map(|k| k.key.access_key_id.clone())
            .unwrap_or_default()
    }

    async fn rotate(
        &mut self,
        retire: Retire,
        victim: Option<String>,
        file: Option<CredentialsFile>,
        observe: &mut (dyn FnMut(Event) + Send),
    ) -> Result<Report, RotateError> {
        let old = self.old.clone();
        // 2. Room for the new key.
        if let Some(victim) = victim {
            let step = Step::DeleteFirst(victim.clone());
            observe(Event::Starting(step.clone()));
            match self.delete(&victim, self.budget.steps).await {
                Ok(()) => observe(Event::Done(step, format!("deleted {victim}"))),
                Err(e) => return Err(self.fail(&step, e, String::new()).await),
            }
        }

        // 3. The new key, its secret kept at once.
        let step = Step::Create;
        observe(Event::Starting(step.clone()));
        let new = match self.create().await {
            Ok(new) => new,
            Err(e) => return Err(self.fail(&step, e, String::new()).await),
        };
        let new_id = new.key.access_key_id.clone();
        self.new = Some(new);
        let kept = match recovery::write(
            &self.recovery_dir,
            &self.user,
            self.new.as_ref().expect("set"),
        ) {
            Ok(path) => {
                self.recovery = Some(path);
                String::new()
            }
            Err(e) => {
                self.recovery_failed = true;
                tracing::warn!(error = %e, "cannot write the rotation's recovery file");
                format!(
                    " (its secret could not be saved to {}: {e})",
                    self.recovery_dir.display()
                )
            }
        };
        let mut created = format!("created {new_id}{kept}");
        if !self.orphans_removed.is_empty() {
            created.push_str(&format!(
                "; deleted {}, created by an earlier try whose reply was lost",
                self.orphans_removed.join(", ")
            ));
        }
        if !self.orphans.is_empty() {
            created.push_str(&format!(
                "; {} created by a lost reply could not be deleted",
                self.orphans.join(", ")
            ));
        }
        observe(Event::Done(step, created));

        // 4. Wait until it works.
        let step = Step::Verify;
        observe(Event::Starting(step.clone()));
        let check = check_key(
            &self.backend,
            self.new.as_ref().expect("set"),
            &self.arn,
            self.budget.steps,
        )
        .await;
        match check {
            Check::Works(n) => observe(Event::Done(
                step,
                format!("{new_id} works (after {n} tries)"),
            )),
            Check::Rejected(e) | Check::WrongUser(e) | Check::Unknown(e) => {
                let rb = self.undo_create().await;
                observe(Event::RolledBack(rb.clone()));
                return Err(self.fail(&step, e, rb).await);
            }
        }

        // 5. Switch the profile.
        if let (Some(t), Some(f)) = (self.old_profile.clone(), &file) {
            let step = Step::WriteProfile(t.file.clone());
            observe(Event::Starting(step.clone()));
            let key = self.new.as_ref().expect("set");
            let text = f.with_keys(&t.profile, &new_id, key.secret_access_key.expose_secret());
            match f.write(&text) {
                Ok(backup) => {
                    self.profile_holds_new = true;
                    self.backup = backup;
                    observe(Event::Done(
                        step,
                        format!("profile {} now uses {new_id}", t.profile),
                    ));
                }
                Err(e) => {
                    let rb = self.undo_create().await;
                    observe(Event::RolledBack(rb.clone()));
                    return Err(self.fail(&step, e.to_string(), rb).await);
                }
            }
        }

        // 6. Retire the old key.
        let step = Step::Retire(old.clone(), retire);
        observe(Event::Starting(step.clone()));
        self.retiring = true;
        let retired = match retire {
            Retire::Deactivate => {
                self.set_status(&old, KeyStatus::Inactive, self.budget.steps)
                    .await
            }
            Retire::Delete => self.delete(&old, self.budget.steps).await,
        };
        if let Err(e) = retired {
            // The new key works and the profile holds it: nobody is locked out.
            return Err(self.fail(&step, e, String::new()).await);
        }
        observe(Event::Done(step, format!("{old} retired")));

        // 7. Check again.
        let step = Step::VerifyAgain;
        observe(Event::Starting(step.clone()));
        match check_key(
            &self.backend,
            self.new.as_ref().expect("set"),
            &self.arn,
            self.budget.steps,
        )
        .await
        {
            Check::Works(_) => observe(Event::Done(step, format!("{new_id} works"))),
            Check::Rejected(e) | Check::WrongUser(e) => {
                let rb = self.undo_retire(retire).await;
                observe(Event::RolledBack(rb.clone()));
                return Err(self.fail(&step, e, rb).await);
            }
            Check::Unknown(e) => {
                // Not a verdict: the key worked before the old one was retired, and the
                // profile keeps it.
                let e = format!("{e}; it worked before {old} was retired, so it is kept");
                return Err(self.fail(&step, e, String::new()).await);
            }
        }

        let (keys, reread) = self.settle().await;
        let new = self.new.take().expect("set");
        Ok(Report {
            user: self.user.clone(),
            new_key: new,
            old_key: Some(old),
            profile_written: self
                .old_profile
                .as_ref()
                .filter(|_| self.profile_holds_new)
                .map(|t| (t.file.clone(), self.backup.clone())),
            keys,
            reread,
        })
    }

    /// Who may sign a change to the user's keys: the caller (or its MFA session), then, when
    /// rotating one's own key, the new key (the old one may no longer sign once retired).
    fn signers(&self) -> Vec<Arc<dyn Backend>> {
        let mut out = vec![self.b.clone()];
        if self.own
            && let Some(new) = &self.new
            && let Ok(as_new) = self.backend.with_credentials(creds(new))
        {
            out.push(as_new);
        }
        out
    }

    /// Deletes a key; a repeat that finds it gone means an earlier attempt's reply was lost.
    async fn delete(&mut self, id: &str, until: Until) -> Result<(), String> {
        let who = self.who.clone();
        let mut refusal = String::new();
        for signer in self.signers() {
            match persist(until, || signer.delete_access_key(who.as_deref(), id)).await {
                Answer::Done(()) => {}
                Answer::Refused(e) if e.is_not_found() => {}
                Answer::Refused(e) => {
                    refusal = e.to_string();
                    continue;
                }
                Answer::Silence(why) => return Err(why),
            }
            self.gone.push(id.to_string());
            return Ok(());
        }
        Err(refusal)
    }

    async fn set_status(
        &mut self,
        id: &str,
        status: KeyStatus,
        until: Until,
    ) -> Result<(), String> {
        let who = self.who.clone();
        let mut refusal = String::new();
        for signer in self.signers() {
            match persist(until, || {
                signer.update_access_key(who.as_deref(), id, status)
            })
            .await
            {
                Answer::Done(()) => {
                    self.last_known.push((id.to_string(), status.into()));
                    return Ok(());
                }
                Answer::Refused(e) => refusal = e.to_string(),
                Answer::Silence(why) => return Err(why),
            }
        }
        Err(refusal)
    }

    /// CreateAccessKey is not safe to repeat blindly: a lost reply leaves a key whose secret
    /// nobody received. After any failure the keys are listed; such a key is deleted and the
    /// create tried again while time is left.
    async fn create(&mut self) -> Result<NewAccessKey, String> {
        let (b, who) = (self.b.clone(), self.who.clone());
        let until = self.budget.steps;
        let started = Instant::now();
        let mut pause = FIRST_PAUSE;
        let mut failures = Failures::default();
        loop {
            // Whether to try again once the keys were looked at: after no answer, always;
            // after LimitExceeded, only when a lost reply's key was in the way.
            let (why, limit) = match once(until, b.create_access_key(who.as_deref())).await {
                Answer::Done(k) => return Ok(k),
                Answer::Refused(e) => {
                    let limit = matches!(e.kind, ErrorKind::LimitExceeded(_));
                    (e.to_string(), Some(limit))
                }
                Answer::Silence(why) => (why, None),
            };
            // Cleaning up after a lost reply may use the rollback's time.
            failures.add(why);
            let why = failures.describe(started);
            let removed = self.remove_orphans(self.budget.rollback).await.map_err(|list_failed| {
                format!(
                    "{why}; the keys could not be listed to find a key a lost reply may have created ({list_failed})"
                )
            })?;
            let again = match limit {
                None => true,
                Some(true) => removed > 0,
                Some(false) => false,
            };
            if !again || !pause_before(until, pause).await {
                return Err(why);
            }
            pause = (pause * 2).min(MAX_PAUSE);
        }
    }

    /// Lists the keys and deletes those that appeared since the start (created by a request
    /// whose reply was lost); returns how many went. Those that cannot be deleted stay in
    /// `orphans` for the report.
    async fn remove_orphans(&mut self, until: Until) -> Result<usize, String> {
        let (b, who) = (self.b.clone(), self.who.clone());
        let now = said(persist(until, || b.list_access_keys(who.as_deref())).await)?;
        let mut removed = 0;
        for k in now {
            let id = k.access_key_id;
            if self.before.iter().any(|b| b.access_key_id == id) || self.gone.contains(&id) {
                continue;
            }
            if self.delete(&id, until).await.is_ok() {
                tracing::info!(key = %id, "deleted a key created by a lost CreateAccessKey reply");
                removed += 1;
                self.orphans.retain(|o| o != &id);
                self.orphans_removed.push(id);
            } else if !self.orphans.contains(&id) {
                self.orphans.push(id);
            }
        }
        Ok(removed)
    }

    /// Before the switch: deletes the new key.
    async fn undo_create(&mut self) -> String {
        let id = self.new_id();
        match self.delete(&id, self.budget.rollback).await {
            Ok(()) => format!("; rolled back: deleted the new key {id}"),
            Err(e) => format!("; could not delete the new key {id} ({e})"),
        }
    }

    /// IAM rejects the new key after the old one was retired: reactivate the old key, and only
    /// once it is active again, put the profile back on it.
    async fn undo_retire(&mut self, retire: Retire) -> String {
        let old = self.old.clone();
        if retire == Retire::Delete {
            return format!("; {old} was deleted, so the profile keeps the new key");
        }
        match self
            .set_status(&old, KeyStatus::Active, self.budget.rollback)
            .await
        {
            Ok(()) => {
                let mut rb = format!("; reactivated {old}");
                if let Some(t) = &self.old_profile
                    && self.profile_holds_new
                {
                    match (&self.backup, CredentialsFile::restore_backup(&t.file)) {
                        (Some(_), Ok(())) => {
                            self.profile_holds_new = false;
                            rb.push_str("; restored the credentials file from its backup");
                        }
                        (None, _) => rb.push_str("; the credentials file had no backup to restore"),
                        (_, Err(e)) => {
                            rb.push_str(&format!("; could not restore {} ({e})", t.file.display()))
                        }
                    }
                }
                rb
            }
            Err(e) => format!(
                "; could not reactivate {old} ({e}), so the profile keeps the new key: an administrator must reactivate {old} or create a key"
            ),
        }
    }

    /// Reads the keys back, decides what becomes of the recovery file, and says where every
    /// secret is.
    async fn settle(&mut self) -> (Vec<KeyFact>, Result<(), String>) {
        let who = self.who.clone();
        let until = self.budget.report;
        // Rotating one's own key: once the old key may be retired, the new key reads first
        // (the old one is refused, in whatever words the endpoint chooses).
        let mut readers = self.signers();
        if self.retiring {
            readers.reverse();
        }
        let mut listed = Answer::Silence("no reader".into());
        for reader in readers {
            listed = persist(until, || reader.list_access_keys(who.as_deref())).await;
            if !matches!(listed, Answer::Refused(_)) {
                break;
            }
        }
        let listed = said(listed);
        let new_id = self.new.as_ref().map(|k| k.key.access_key_id.clone());
        let new_state = match (&listed, &new_id) {
            (Ok(keys), Some(id)) => keys
                .iter()
                .find(|k| &k.access_key_id == id)
                .map_or(KeyState::Deleted, |k| k.status.into()),
            (Err(_), Some(id)) => self.last_state(id),
            (_, None) => KeyState::Deleted,
        };
        // The recovery file goes once the secret is safe elsewhere, or no longer matters.
        if let Some(path) = &self.recovery
            && (new_state == KeyState::Deleted || self.profile_holds_new)
        {
            match recovery::discard(path) {
                Ok(()) => self.recovery = None,
                Err(e) => tracing::warn!(error = %e, "cannot remove the recovery file"),
            }
        }
        let facts = match &listed {
            Ok(keys) => {
                let mut facts: Vec<KeyFact> = keys
                    .iter()
                    .map(|k| KeyFact {
                        id: k.access_key_id.clone(),
                        state: k.status.into(),
                        place: self.place_of(&k.access_key_id),
                    })
                    .collect();
                // Keys this run touched that are no longer there.
                for id in [Some(self.old.clone()), new_id.clone()]
                    .into_iter()
                    .flatten()
                {
                    if !keys.iter().any(|k| k.access_key_id == id) {
                        facts.push(KeyFact {
                            id: id.clone(),
                            state: KeyState::Deleted,
                            place: self.place_of(&id),
                        });
                    }
                }
                facts
            }
            Err(_) => {
                let mut ids: Vec<String> = self
                    .before
                    .iter()
                    .map(|k| k.access_key_id.clone())
                    .collect();
                ids.extend(new_id.clone());
                ids.extend(self.orphans.iter().cloned());
                ids.into_iter()
                    .map(|id| KeyFact {
                        state: self.last_state(&id),
                        place: self.place_of(&id),
                        id,
                    })
                    .collect()
            }
        };
        (facts, listed.map(|_| ()))
    }

    /// A key's status from what IAM acknowledged during the run (the state at the start
    /// otherwise); unknown for keys created by lost replies.
    fn last_state(&self, id: &str) -> KeyState {
        if self.gone.iter().any(|g| g == id) {
            return KeyState::Deleted;
        }
        if let Some((_, s)) = self.last_known.iter().rev().find(|(k, _)| k == id) {
            return *s;
        }
        if self.orphans.iter().any(|o| o == id) {
            return KeyState::Unknown;
        }
        if self.new.as_ref().is_some_and(|n| n.key.access_key_id == id) {
            return KeyState::Active;
        }
        self.before
            .iter()
            .find(|k| k.access_key_id == id)
            .map_or(KeyState::Unknown, |k| k.status.into())
    }

    fn place_of(&self, id: &str) -> Place {
        let profile = |t: &ProfileTarget| Place::Profile {
            file: t.file.clone(),
            profile: t.profile.clone(),
        };
        if self.new.as_ref().is_some_and(|n| n.key.access_key_id == id) {
            return match (&self.old_profile, self.profile_holds_new, &self.recovery) {
                (Some(t), true, _) => profile(t),
                (_, _, Some(path)) => Place::Recovery(path.clone()),
                _ if self.recovery_failed => Place::Unsaved,
                _ => Place::HandOver,
            };
        }
        if id == self.old {
            return match (&self.old_profile, self.profile_holds_new, &self.backup) {
                (Some(t), false, _) => profile(t),
                (Some(_), true, Some(backup)) => Place::Backup(backup.clone()),
                _ => Place::Elsewhere,
            };
        }
        if self.orphans.iter().any(|o| o == id) {
            return Place::NeverReceived;
        }
        if self.before.iter().any(|k| k.access_key_id == id) {
            return Place::Elsewhere;
        }
        // Appeared during the run without this run creating it: a lost reply's key (or
        // another actor's); either way nobody here has its secret.
        Place::NeverReceived
    }

    /// Reads the state back and builds the failure.
    async fn fail(&mut self, step: &Step, error: String, rollback: String) -> RotateError {
        let (keys, reread) = self.settle().await;
        let new_id = self.new.as_ref().map(|k| k.key.access_key_id.clone());
        let unsaved = keys
            .iter()
            .find(|k| {
                Some(&k.id) == new_id.as_ref()
                    && k.place == Place::Unsaved
                    && k.state != KeyState::Deleted
            })
            .and_then(|_| self.new.as_ref().map(copy));
        let profile_key = self.old_profile.as_ref().map(|_| {
            if self.profile_holds_new {
                new_id.clone().unwrap_or_default()
            } else {
                self.old.clone()
            }
        });
        RotateError::Failed {
            step: step.to_string(),
            error,
            rollback,
            state: Box::new(Outcome {
                user: self.user.clone(),
                keys,
                reread,
                profile_key,
                unsaved,
                switched_to: self
                    .new
                    .as_ref()
                    .filter(|_| self.old_profile.is_some() && self.profile_holds_new)
                    .map(copy),
            }),
        }
    }
}
