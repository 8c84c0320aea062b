//! `iamtui assume ROLE -- COMMAND...`: run a command with a role's temporary credentials in
//! its environment (exit code passed through), or print them as shell lines (`--export`) or
//! in the `credential_process` format (`--json`).

use std::io::Write;
use std::sync::Arc;

use crate::credentials::assume::{Caller, default_session_name, predict};
use crate::credentials::export::{Shell, credential_process_json, env_vars, shell_lines};
use crate::iam::{AssumeRoleRequest, Backend, Credentials};

#[derive(Debug, Clone, clap::Args)]
pub struct AssumeArgs {
    /// A role ARN, a role name in the caller's account, or a profile of ~/.aws/config with a
    /// role_arn
    #[arg(value_name = "ROLE")]
    pub role: String,
    /// A current code of the caller's MFA device
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
    /// The MFA device (default: the profile's mfa_serial, else the caller's only device)
    #[arg(long, value_name = "SERIAL")]
    pub mfa_serial: Option<String>,
    /// Session length in seconds (default 3600; at most the role's maximum, one hour when
    /// chaining)
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<i32>,
    /// Session name (default: the caller's name)
    #[arg(long, value_name = "NAME")]
    pub session_name: Option<String>,
    /// The ExternalId the role's trust policy asks for (sts:ExternalId)
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// A source identity that stays with the session and every role chained from it
    #[arg(long, value_name = "ID")]
    pub source_identity: Option<String>,
    /// Print shell lines that set the credentials instead of running a command
    #[arg(long, conflicts_with = "json")]
    pub export: bool,
    /// The shell of --export
    #[arg(long, value_enum, default_value = "posix")]
    pub shell: Shell,
    /// Print the credentials in the credential_process format (for ~/.aws/config)
    #[arg(long)]
    pub json: bool,
    /// The command to run with the credentials, after `--`
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// What a profile of the config file says about a role.
#[derive(Debug, Clone, Default)]
pub struct RoleProfile {
    pub role_arn: Option<String>,
    pub mfa_serial: Option<String>,
    pub external_id: Option<String>,
    pub duration_seconds: Option<i32>,
    pub role_session_name: Option<String>,
}

pub struct AssumeContext {
    pub backend: Arc<dyn Backend>,
    pub region: Option<String>,
    /// `ROLE` read as a profile name, when the config file has one with a role_arn.
    pub role_profile: Option<RoleProfile>,
    /// The `mfa_serial` of the profile the backend signs with.
    pub profile_mfa_serial: Option<String>,
}

pub async fn run(
    ctx: AssumeContext,
    args: &AssumeArgs,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> i32 {
    if !args.export && !args.json && args.command.is_empty() {
        return fail(err, 2, "give a command after `--`, or --export, or --json");
    }
    let b = ctx.backend.clone();
    let me = match b.whoami().await {
        Ok(m) => m,
        Err(e) => return fail(err, 1, e),
    };
    let profile = ctx.role_profile.clone().unwrap_or_default();
    let role_arn = match (&profile.role_arn, args.role.starts_with("arn:")) {
        (Some(arn), _) => arn.clone(),
        (None, true) => args.role.clone(),
        // A role name in the caller's account: GetRole knows its path.
        (None, false) => match b.get_role(&args.role).await {
            Ok(r) => r.arn,
            Err(_) => format!("arn:aws:iam::{}:role/{}", me.account, args.role),
        },
    };
    let serial = args
        .mfa_serial
        .clone()
        .or(profile.mfa_serial.clone())
        .or(ctx.profile_mfa_serial.clone());
    let code = args.mfa_code.clone();
    let serial = match (&code, serial) {
        (Some(_), None) => match b.list_mfa_devices(None).await {
            Ok(d) if d.len() == 1 => Some(d[0].serial_number.clone()),
            Ok(_) => {
                let why = "--mfa-code needs --mfa-serial (the caller has no single MFA device)";
                return fail(err, 2, why);
            }
            Err(e) => return fail(err, 1, e),
        },
        (_, s) => s,
    };
    if serial.is_some() && code.is_none() {
        let why = "the role's profile names an MFA device: pass --mfa-code";
        return fail(err, 2, why);
    }
    let request = AssumeRoleRequest {
        role_arn: role_arn.clone(),
        session_name: args
            .session_name
            .clone()
            .or(profile.role_session_name.clone())
            .unwrap_or_else(|| default_session_name(&me.arn)),
        duration_seconds: args.duration.or(profile.duration_seconds),
        external_id: args.external_id.clone().or(profile.external_id.clone()),
        serial_number: serial,
        token_code: code,
        source_identity: args.source_identity.clone(),
        ..AssumeRoleRequest::default()
    };
    let caller = Caller {
        arn: me.arn.clone(),
        account: me.account.clone(),
        principal_arn: principal_arn(&me.arn),
        mfa: request.token_code.is_some(),
        external_id: request.external_id.clone(),
        source_identity: request.source_identity.clone(),
    };
    let assumed = match b.assume_role(request).await {
        Ok(a) => a,
        Err(e) => {
            let code = fail(err, 1, e);
            // Why, when the trust policy is readable (a role of the caller's account).
            let name = role_arn.rsplit('/').next().unwrap_or_default();
            if let Ok(role) = b.get_role(name).await
                && role.arn == role_arn
                && let Some(trust) = &role.assume_role_policy
            {
                let p = predict(trust, &role_arn, &caller);
                let _ = writeln!(err, "iamtui: the trust policy says: {}", p.describe());
            }
            return code;
        }
    };
    let creds: Credentials = assumed.credentials;
    if args.json {
        let _ = writeln!(out, "{}", credential_process_json(&creds));
        return 0;
    }
    if args.export {
        let _ = write!(
            out,
            "{}",
            shell_lines(&creds, ctx.region.as_deref(), args.shell)
        );
        return 0;
    }
    let mut cmd = std::process::Command::new(&args.command[0]);
    cmd.args(&args.command[1..]);
    // Credentials of the parent identity must not leak into the child.
    for k in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"] {
        cmd.env_remove(k);
    }
    for (k, v) in env_vars(&creds, ctx.region.as_deref()) {
        cmd.env(k, v);
    }
    match cmd.status() {
        Ok(s) => s.code().unwrap_or_else(|| {
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                128 + s.signal().unwrap_or(0)
            }
            #[cfg(not(unix))]
            1
        }),
        Err(e) => {
            let _ = writeln!(err, "iamtui: cannot run `{}`: {e}", args.command[0]);
            127
        }
    }
}

/// Says why on stderr and returns the exit `code`.
fn fail(err: &mut (dyn Write + Send), code: i32, why: impl std::fmt::Display) -> i32 {
    let _ = writeln!(err, "iamtui: {why}");
    code
}

/// `aws:PrincipalArn` of a caller: a role session's is its role's ARN (the path is not in the
/// session's ARN; trust policies name roles by it rarely).
fn principal_arn(caller_arn: &str) -> String {
    match caller_arn.split_once(":assumed-role/") {
        Some((head, rest)) => {
            let role = rest.split('/').next().unwrap_or_default();
            format!("{}:role/{role}", head.replacen(":sts:", ":iam:", 1))
        }
        None => caller_arn.to_string(),
    }
}
