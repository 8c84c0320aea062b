//! `iamtui rotate`: one command for a script or cron to rotate an access key safely. It prints
//! each step, exits 0 when the new key works and the old one is retired, 1 after a failure
//! (rolled back, with what is active where), 2 on usage errors.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use secrecy::ExposeSecret;

use crate::credentials::rotate::{
    Event, MfaCode, ProfileTarget, Retire, RotateOptions, describe, rotate,
};
use crate::iam::Backend;

#[derive(Debug, Clone, clap::Args)]
pub struct RotateArgs {
    /// Rotate this user's key (an administrator rotating someone else's: the new secret is
    /// printed once for hand-over instead of written to a profile)
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// The key to rotate (default: the profile's key, else the user's oldest active key)
    #[arg(long, value_name = "KEY_ID")]
    pub key: Option<String>,
    /// Delete the old key once the new one works
    #[arg(long, conflicts_with = "deactivate_old")]
    pub delete_old: bool,
    /// Deactivate the old key once the new one works (the default)
    #[arg(long)]
    pub deactivate_old: bool,
    /// When the user already has two keys, delete this one first
    #[arg(long, value_name = "KEY_ID")]
    pub delete_first: Option<String>,
    /// A current MFA code: one MFA session serves every step
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
    /// The MFA device (default: the profile's mfa_serial, else the user's only device)
    #[arg(long, value_name = "SERIAL")]
    pub mfa_serial: Option<String>,
    /// The credentials file to update (default: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials)
    #[arg(long, value_name = "FILE")]
    pub credentials_file: Option<PathBuf>,
    /// Do not ask before rotating
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The limit of the whole run in seconds: every call, retry, rollback and the final read of
    /// the keys end within it
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub wait: u64,
}

/// Where the last MFA code used is remembered (as a hash), so the next run refuses it.
fn last_code_file(data_dir: &Path) -> PathBuf {
    data_dir.join("last-mfa-code")
}

fn code_fingerprint(m: &MfaCode) -> String {
    use sha1::{Digest, Sha1};
    let serial = m.serial.as_deref().unwrap_or("");
    let digest = Sha1::digest(format!("{serial}\n{}", m.code.trim()).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Asks the person at the terminal; without one, says `refusal` and returns `None`. The answer
/// is trimmed and comes with the time the person took, which `--wait` does not count.
fn ask(err: &mut (dyn Write + Send), prompt: &str, refusal: &str) -> Option<(String, Duration)> {
    if !std::io::stdin().is_terminal() {
        let _ = writeln!(err, "iamtui: {refusal}");
        return None;
    }
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let asked = std::time::Instant::now();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    Some((line.trim().to_string(), asked.elapsed()))
}

/// A new key as the lines that set it in a shell.
fn key_lines(key: &crate::iam::NewAccessKey) -> String {
    format!(
        "AWS_ACCESS_KEY_ID={}\nAWS_SECRET_ACCESS_KEY={}",
        key.key.access_key_id,
        key.secret_access_key.expose_secret()
    )
}

pub struct RotateContext<'a> {
    pub backend: Arc<dyn Backend>,
    /// The credentials-file profile the backend signs with, if any.
    pub profile: Option<String>,
    /// `mfa_serial` of that profile in the config file, if any.
    pub profile_mfa_serial: Option<String>,
    pub data_dir: Option<&'a Path>,
    /// When the run started (before the backend was set up): `--wait` counts from here, less
    /// the time spent waiting for the person at the terminal.
    pub started: std::time::Instant,
}

pub async fn run(
    ctx: RotateContext<'_>,
    args: &RotateArgs,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> i32 {
    let b = ctx.backend.clone();
    let own = args.user.is_none();
    // An administrator's rotation of someone else's key never touches the administrator's
    // own profile.
    let profile = if own {
        ctx.profile.clone().map(|p| ProfileTarget {
            file: args
                .credentials_file
                .clone()
                .or_else(crate::credentials::file::CredentialsFile::default_path)
                .unwrap_or_else(|| PathBuf::from("credentials")),
            profile: p,
        })
    } else {
        None
    };
    // A profile with mfa_serial needs a code: asked for at a terminal, else required.
    let mut mfa_code = args.mfa_code.clone();
    let mut code_wait = std::time::Duration::ZERO;
    if mfa_code.is_none() && own && ctx.profile_mfa_serial.is_some() {
        let serial = ctx.profile_mfa_serial.as_deref().unwrap_or("");
        let Some((line, waited)) = ask(
            err,
            &format!("MFA code for {serial}: "),
            "the profile has an mfa_serial: pass --mfa-code with a current code",
        ) else {
            return 2;
        };
        code_wait = waited;
        mfa_code = Some(line).filter(|c| !c.is_empty());
    }
    let mfa = mfa_code.as_ref().map(|code| MfaCode {
        serial: args.mfa_serial.clone().or(ctx.profile_mfa_serial.clone()),
        code: code.clone(),
    });
    let previous = match (&mfa, ctx.data_dir) {
        (Some(m), Some(dir)) => std::fs::read_to_string(last_code_file(dir))
            .ok()
            .filter(|f| f.trim() == code_fingerprint(m))
            .map(|_| m.code.trim().to_string()),
        _ => None,
    };
    let who = args.user.clone().unwrap_or_else(|| "your user".into());
    // Time spent waiting for the person does not count against --wait.
    let mut waited_for_person = std::time::Duration::ZERO;
    if !args.yes {
        let Some((line, waited)) = ask(
            err,
            &format!("Rotate the access key of {who}? [y/N] "),
            "not asking without a terminal: pass --yes to rotate",
        ) else {
            return 2;
        };
        waited_for_person = waited;
        if !matches!(line.as_str(), "y" | "Y" | "yes") {
            let _ = writeln!(err, "nothing was changed");
            return 1;
        }
    }
    let opts = RotateOptions {
        user: args.user.clone(),
        key: args.key.clone(),
        retire: if args.delete_old {
            Retire::Delete
        } else {
            Retire::Deactivate
        },
        delete_first: args.delete_first.clone(),
        profile,
        mfa: mfa.clone(),
        previous_code: previous,
        wait: Duration::from_secs(args.wait).saturating_sub(
            ctx.started
                .elapsed()
                .saturating_sub(waited_for_person + code_wait),
        ),
        recovery_dir: ctx.data_dir.map(|d| d.join("recovered-keys")),
    };
    let mut lines: Vec<String> = Vec::new();
    let result = {
        let mut observe = |e: Event| {
            let line = match e {
                Event::Starting(s) => format!("… {s}"),
                Event::Done(_, what) => format!("✓ {what}"),
                Event::RolledBack(what) => format!("↺ {}", what.trim_start_matches("; ")),
            };
            lines.push(line);
        };
        rotate(b, opts, &mut observe).await
    };
    for l in &lines {
        let _ = writeln!(out, "{l}");
    }
    if let (Some(m), Some(dir)) = (&mfa, ctx.data_dir) {
        // Remember the code whatever happened: IAM may have consumed it.
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(last_code_file(dir), code_fingerprint(m));
    }
    match result {
        Ok(report) => {
            match &report.profile_written {
                Some((path, backup)) => {
                    let _ = writeln!(
                        out,
                        "rotated: {} now holds {}{}",
                        path.display(),
                        report.new_key.key.access_key_id,
                        backup
                            .as_ref()
                            .map(|b| format!(" (backup: {})", b.display()))
                            .unwrap_or_default()
                    );
                }
                None => {
                    // No profile took the secret: this is the only time it exists outside IAM.
                    let _ = writeln!(
                        out,
                        "new key for {} (shown once, hand it over securely):\n{}",
                        report.user,
                        key_lines(&report.new_key)
                    );
                }
            }
            let _ = writeln!(
                out,
                "{}",
                describe(&report.user, &report.keys, &report.reread)
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "iamtui: rotation failed: {e}");
            if let Some(key) = e.outcome().and_then(|o| o.unsaved.as_ref()) {
                // The recovery file could not be written: this is the secret's only copy.
                let _ = writeln!(
                    out,
                    "the new key's secret could not be saved anywhere; here it is, once:\n{}",
                    key_lines(key)
                );
            }
            1
        }
    }
}
