//! The binary edge: arguments, logging, the runtime and the terminal; then the app loop.

use std::fs::OpenOptions;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use futures::FutureExt;
use ratatui::crossterm::event::EventStream;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;

use iamtui::app::shell::state::UiOptions;
use iamtui::app::{self, App, Connector, Exit};
use iamtui::backend::ReadOnly;
use iamtui::backend::aws::{AwsBackend, AwsOptions};
use iamtui::backend::local::{LocalBackend, demo, generate, import};
use iamtui::backend::read_only;
use iamtui::cli::{Cli, Command, GlobalOptions};
use iamtui::config::setup::Setup;
use iamtui::config::{Paths, Settings};
use iamtui::headless;
use iamtui::iam::Backend;
use iamtui::iam::backend::BackendInfo;
use iamtui::ui::terminal::{TerminalGuard, install_panic_hook};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LOG_FILTER_ENV: &str = "IAMTUI_LOG";

fn main() -> ExitCode {
    // clap prints usage errors and exits 2 (0 for --help and --version).
    let cli = Cli::parse();
    if let Some(command) = cli.command {
        return run_command(command, &cli.global);
    }
    let asked = read_only_asked(&cli.global);
    // The local account opens before the terminal is taken, so a damaged file or a bad import
    // is reported as plain text.
    let local = if cli.global.local.wanted() {
        match open_local(&cli.global, asked.clone()) {
            Ok(b) => Some(b),
            Err(err) => {
                report(&format!("{err:#}"));
                return ExitCode::from(1);
            }
        }
    } else {
        None
    };
    if !io::stdout().is_terminal() {
        report("standard output is not a terminal; run iamtui in an interactive terminal");
        return ExitCode::from(2);
    }
    // A panic has already been reported by the hook; it still exits 1, like any failure.
    match std::panic::catch_unwind(|| run_console(&cli.global, local, asked)) {
        Ok(Ok(Exit::Normal)) => ExitCode::SUCCESS,
        // The terminal is restored by now; the status is the one a shell gives for the signal.
        Ok(Ok(Exit::Signal(signal))) => ExitCode::from(signal.exit_status()),
        Ok(Ok(Exit::Crashed)) | Err(_) => ExitCode::from(1),
        Ok(Err(err)) => {
            report(&format!("{err:#}"));
            ExitCode::from(1)
        }
    }
}

/// A command without the console: it writes to stdout and stderr and returns its exit code.
fn run_command(command: Command, options: &GlobalOptions) -> ExitCode {
    let (stdout, stderr) = (io::stdout(), io::stderr());
    // Buffered: `simulate` may print tens of thousands of lines.
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let code = match command {
        Command::Validate(args) => headless::validate::run(&args, &mut out, &mut err),
        Command::Simulate(args) => headless::simulate::run(&args, &mut out, &mut err),
        Command::Info => headless::info::run(options, &mut out, &mut err),
        Command::AuditLog(args) => headless::audit_log::run(&args, &mut out, &mut err),
        Command::Rotate(args) => {
            drop(out);
            return run_rotate(options, &args);
        }
        Command::Assume(args) => {
            drop(out);
            return run_assume(options, &args);
        }
    };
    let _ = out.flush();
    ExitCode::from(code as u8)
}

/// The runtime of a headless command; `None` (said on stderr) when it cannot start.
fn headless_runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => Some(r),
        Err(e) => {
            report(&format!("cannot start the async runtime: {e}"));
            None
        }
    }
}

/// `iamtui rotate`: builds the backend the options name (AWS or the local account), then
/// rotates.
fn run_rotate(options: &GlobalOptions, args: &headless::rotate::RotateArgs) -> ExitCode {
    let started = std::time::Instant::now();
    let Some(runtime) = headless_runtime() else {
        return ExitCode::from(1);
    };
    let wait = Duration::from_secs(args.wait);
    let code = runtime.block_on(async {
        // --wait bounds the whole run, setting up the backend included.
        let connecting = connect_headless(options, options.profile());
        let (backend, profile) = match tokio::time::timeout(wait, connecting).await {
            Ok(Ok(b)) => b,
            Ok(Err(code)) => return code,
            Err(_) => {
                report(&format!(
                    "rotation failed: the backend could not be set up within --wait {} s; nothing was changed",
                    args.wait
                ));
                return 1;
            }
        };
        let profile_mfa_serial = profile.as_deref().and_then(config_mfa_serial);
        let data_dir = Paths::from_env().ok().map(|p| p.data_dir().to_path_buf());
        // The rotation's changes go to the audit trail, as the console's do.
        let log = data_dir.as_deref().map(app::audit::AuditLog::in_dir);
        let backend = iamtui::backend::audited::Audited::wrap_if(backend, log);
        let ctx = headless::rotate::RotateContext {
            backend,
            profile,
            profile_mfa_serial,
            data_dir: data_dir.as_deref(),
            started,
        };
        let (mut out, mut err) = (io::stdout(), io::stderr());
        headless::rotate::run(ctx, args, &mut out, &mut err).await
    });
    // Connections still hanging on a frozen endpoint are abandoned, not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    ExitCode::from(code as u8)
}

/// The backend a headless command works with: the local account, or AWS with `profile`;
/// read-only with --read-only. Returns the credentials-file profile it signs with (AWS only).
async fn connect_headless(
    options: &GlobalOptions,
    profile: Option<&str>,
) -> Result<(Arc<dyn Backend>, Option<String>), i32> {
    let connected: Result<(Arc<dyn Backend>, _), String> = if options.local.wanted() {
        open_local(options, options.read_only.then(read_only::asked_by_flag))
            .map(|b| (Arc::new(b) as Arc<dyn Backend>, None))
            .map_err(|e| format!("{e:#}"))
    } else {
        let signer = Some(profile.unwrap_or("default").to_string());
        AwsBackend::connect(aws_options(options, profile.map(str::to_string)))
            .await
            .map(|b| (Arc::new(b) as Arc<dyn Backend>, signer))
            .map_err(|e| e.to_string())
    };
    match connected {
        Ok((b, signer)) if options.read_only => Ok((ReadOnly::wrap(b), signer)),
        Ok(connected) => Ok(connected),
        Err(e) => {
            report(&e);
            Err(1)
        }
    }
}

/// AWS as the command line names it, signing with `profile`.
fn aws_options(options: &GlobalOptions, profile: Option<String>) -> AwsOptions {
    AwsOptions {
        profile,
        region: options.region.clone(),
        endpoint_url: options.endpoint_url.clone(),
        ..Default::default()
    }
}

/// `backend`, refusing writes when read-only was asked for (`reason` says why).
fn read_only_because(backend: Arc<dyn Backend>, reason: Option<String>) -> Arc<dyn Backend> {
    match reason {
        Some(reason) => ReadOnly::wrap_because(backend, reason),
        None => backend,
    }
}

/// `iamtui assume`.
fn run_assume(options: &GlobalOptions, args: &headless::assume::AssumeArgs) -> ExitCode {
    let Some(runtime) = headless_runtime() else {
        return ExitCode::from(1);
    };
    let code = runtime.block_on(async {
        // ROLE may be a profile of the config file with a role_arn: then its source_profile
        // signs, unless --profile says otherwise.
        let config = (!options.local.wanted()).then(config_file).flatten();
        let value = |key: &str| config.as_ref()?.value(&args.role, key);
        let role_profile = value("role_arn").map(|role_arn| headless::assume::RoleProfile {
            role_arn: Some(role_arn),
            mfa_serial: value("mfa_serial"),
            external_id: value("external_id"),
            duration_seconds: value("duration_seconds").and_then(|d| d.parse().ok()),
            role_session_name: value("role_session_name"),
        });
        let source = role_profile.as_ref().and_then(|_| value("source_profile"));
        let signer = options.profile().map(str::to_string).or(source);
        let (backend, profile) = match connect_headless(options, signer.as_deref()).await {
            Ok(b) => b,
            Err(code) => return code,
        };
        let region = options
            .region
            .clone()
            .or_else(|| std::env::var("AWS_REGION").ok().filter(|r| !r.is_empty()))
            .or_else(|| Some("us-east-1".to_string()));
        let ctx = headless::assume::AssumeContext {
            backend,
            region,
            role_profile,
            profile_mfa_serial: profile.as_deref().and_then(config_mfa_serial),
        };
        let (mut out, mut err) = (io::stdout(), io::stderr());
        headless::assume::run(ctx, args, &mut out, &mut err).await
    });
    ExitCode::from(code as u8)
}

/// The AWS config file: `AWS_CONFIG_FILE` or ~/.aws/config.
fn config_path() -> Option<std::path::PathBuf> {
    std::env::var_os("AWS_CONFIG_FILE")
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".aws/config")))
}

/// The AWS config file (`AWS_CONFIG_FILE` or ~/.aws/config), when it can be read.
fn config_file() -> Option<iamtui::credentials::file::CredentialsFile> {
    iamtui::credentials::file::CredentialsFile::load(&config_path()?).ok()
}

/// `mfa_serial` of a profile in the AWS config file.
fn config_mfa_serial(profile: &str) -> Option<String> {
    config_file()?.value(profile, "mfa_serial")
}

/// One line on stderr. Not eprintln!, which panics when the terminal has hung up.
fn report(message: &str) {
    let _ = writeln!(io::stderr(), "iamtui: {message}");
}

/// Why the console is asked to run read-only: `--read-only`, or `read_only = true` in
/// config.toml (for the profile); `None` when it is not.
fn read_only_asked(options: &GlobalOptions) -> Option<String> {
    if options.read_only {
        return Some(read_only::asked_by_flag());
    }
    let paths = Paths::from_env().ok()?;
    let (settings, _) = Settings::load(&paths);
    settings
        .read_only_for(options.profile())
        .then(|| read_only::asked_by_config(&Settings::path(&paths)))
}

fn run_console(
    options: &GlobalOptions,
    local: Option<LocalBackend>,
    asked: Option<String>,
) -> anyhow::Result<Exit> {
    let log_file = match &options.log_file {
        Some(path) => path.clone(),
        None => Paths::from_env()?.log_file(),
    };
    // Flushes the log when dropped, so it must outlive everything that logs.
    let _log_guard = init_logging(&log_file)?;
    install_panic_hook(log_file);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "iamtui starting");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        let signals =
            app::shell::signals::shutdown_signals().context("cannot watch for signals")?;
        let mut guard = TerminalGuard::enter().context("cannot set up the terminal")?;
        let info = match &local {
            Some(b) => b.info(),
            None => expected_info(options),
        };
        let mut app = configured_app(
            options,
            BackendInfo {
                read_only: info.read_only || asked.is_some(),
                read_only_reason: asked.clone().or(info.read_only_reason),
                ..info
            },
            asked.is_some(),
        );
        // Asked for read-only (the flag, config.toml): the backend refuses writes as well.
        let connect = match local {
            Some(b) => local_connector(b, asked),
            None => connector(options, asked),
        };
        let exit = app::shell::event_loop::run(
            guard.terminal(),
            &mut app,
            EventStream::new(),
            signals,
            connect,
        )
        .await
        .context("cannot draw on the terminal")?;
        drop(guard);
        anyhow::Ok(exit)
    });
    // Requests still in flight are abandoned rather than waited for.
    runtime.shutdown_timeout(Duration::from_millis(200));
    tracing::info!(outcome = ?result.as_ref().ok(), "iamtui exiting");
    result
}

/// The AWS backend as the command line describes it, read-only when asked (for that reason).
fn connector(options: &GlobalOptions, read_only: Option<String>) -> Connector {
    // With mfa_serial, the role is assumed inside the console (which asks for the code); the
    // backend signs with the source profile meanwhile.
    let signer = options.profile().map(|p| {
        let config = config_file();
        let value = |key: &str| config.as_ref()?.value(p, key);
        (value("role_arn").is_some() && value("mfa_serial").is_some())
            .then(|| value("source_profile"))
            .flatten()
            .unwrap_or_else(|| p.to_string())
    });
    let aws = aws_options(options, signer);
    Box::new(move || {
        let aws = aws.clone();
        let read_only = read_only.clone();
        async move {
            let backend: Arc<dyn Backend> = Arc::new(AwsBackend::connect(aws).await?);
            Ok(read_only_because(backend, read_only))
        }
        .boxed()
    })
}

/// The console as config.toml, --theme and --keymap set it up. A broken theme, keymap or
/// config file falls back to the built-in default and says so in the status bar.
fn configured_app(options: &GlobalOptions, info: BackendInfo, read_only: bool) -> App {
    let paths = Paths::from_env().ok();
    // The same resolution as `iamtui info`, so the two name the same theme and keymap.
    let setup = Setup::for_options(options, paths.as_ref());
    let problems: Vec<String> = setup.problems().into_iter().map(str::to_owned).collect();
    let profile = options.profile();
    let settings = setup.settings;
    let ui = UiOptions {
        read_only,
        key_age_warn_days: i64::from(settings.key_age_warn_days),
        rotation_wait: Duration::from_secs(u64::from(settings.rotation_wait_seconds)),
    };
    let mut app = App::with(info, setup.theme.value, setup.keymap.value, ui);
    if !options.local.wanted() {
        app.profile = Some(profile.unwrap_or("default").to_string());
    }
    // Every change is recorded in the audit trail.
    app.audit = paths
        .as_ref()
        .map(|p| app::audit::AuditLog::in_dir(p.data_dir()));
    // The roles assumed lately, for :ctx.
    if let Some(p) = &paths {
        let file = p.data_dir().join("recent-roles.json");
        app.assume.recent_roles = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        app.assume.recent_roles_file = Some(file);
    }
    // A profile that assumes a role with MFA (aws-config cannot ask for the code): connect as
    // its source_profile and open the assume dialog.
    let config = profile.and_then(|_| config_file());
    let value = |key: &str| config.as_ref()?.value(profile?, key);
    if let (Some(role), Some(serial)) = (value("role_arn"), value("mfa_serial")) {
        use iamtui::app::assume::{DURATION, EXTERNAL_ID, SESSION_NAME};
        app.assume.startup_assume = Some(role);
        app.assume.startup_mfa_serial = Some(serial);
        app.assume.startup_fields = [
            (SESSION_NAME, "role_session_name"),
            (DURATION, "duration_seconds"),
            (EXTERNAL_ID, "external_id"),
        ]
        .into_iter()
        .filter_map(|(i, key)| value(key).map(|v| (i, v)))
        .collect();
    }
    for p in &problems {
        tracing::warn!(problem = %p, "configuration");
    }
    if !problems.is_empty() {
        app.set_error(problems.join(" | "));
    }
    app
}

/// Opens (or creates) the local account the command line names: `--account FILE` or the data
/// directory's, seeded with the demo, an import or a synthetic account when new. Read-only
/// when asked (`read_only` says why): then the file must exist and is never written.
fn open_local(options: &GlobalOptions, read_only: Option<String>) -> anyhow::Result<LocalBackend> {
    let local = &options.local;
    let path = match &local.account {
        Some(p) => p.clone(),
        None => Paths::from_env()?.account_file(),
    };
    let creating = local.import.is_some() || local.generate.is_some();
    if creating && path.exists() {
        anyhow::bail!(
            "the account file `{}` already exists and was left untouched; pass --account NEW_FILE to create another",
            path.display()
        );
    }
    let now = chrono::Utc::now();
    let account = if let Some(snapshot) = &local.import {
        let text = std::fs::read_to_string(snapshot)
            .with_context(|| format!("cannot read `{}`", snapshot.display()))?;
        let imported = import::import_authorization_details(&text)
            .with_context(|| format!("cannot import `{}`", snapshot.display()))?;
        for w in &imported.warnings {
            report(&format!("{}: {w}", snapshot.display()));
            tracing::warn!(warning = %w, "import");
        }
        Some(imported.account)
    } else {
        local.generate.map(|n| generate::generated_account(n, now))
    };
    let backend = match read_only {
        Some(reason) => LocalBackend::open_read_only(&path, reason)?,
        None => LocalBackend::open(&path, || account.unwrap_or_else(|| demo::demo_account(now)))?,
    };
    if creating {
        let a = backend.snapshot();
        report(&format!(
            "created `{}`: {} users, {} groups, {} roles, {} customer-managed policies",
            path.display(),
            a.users.len(),
            a.groups.len(),
            a.roles.len(),
            a.policies.len()
        ));
    }
    if let Some(holder) = backend.locked_by() {
        tracing::warn!(%holder, "the local account opens read-only");
    }
    Ok(match &local.act_as {
        Some(user) => {
            if !backend.snapshot().users.contains(user) {
                anyhow::bail!(
                    "the local account `{}` has no user `{user}` to act as",
                    path.display()
                );
            }
            backend.acting_as(user)
        }
        None => backend,
    })
}

/// Hands the already-open local account to the console.
fn local_connector(backend: LocalBackend, read_only: Option<String>) -> Connector {
    let backend = read_only_because(Arc::new(backend), read_only);
    Box::new(move || {
        let b = backend.clone();
        async move { Ok(b) }.boxed()
    })
}

/// What the header shows until the backend is connected (or when it cannot be).
fn expected_info(options: &GlobalOptions) -> BackendInfo {
    let env_endpoint = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let source = match (&options.endpoint_url, options.profile(), env_endpoint) {
        (Some(url), _, _) => format!("endpoint {url}"),
        (None, Some(profile), _) => format!("profile {profile}"),
        (None, None, Some(url)) => format!("endpoint {url}"),
        (None, None, None) => "default credentials".to_string(),
    };
    BackendInfo {
        kind: "aws",
        source,
        region: options.region.clone(),
        read_only: false,
        read_only_reason: None,
    }
}

/// Logs go to a file only: anything written to stdout or stderr would tear the screen.
fn init_logging(path: &Path) -> anyhow::Result<WorkerGuard> {
    let hint = || {
        format!(
            "the log file `{}` (choose another with --log-file)",
            path.display()
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory for {}", hint()))?;
    }
    let mut open = OpenOptions::new();
    open.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let file = open
        .open(path)
        .with_context(|| format!("cannot open {}", hint()))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::builder()
        .with_default_directive(LevelFilter::INFO.into())
        .with_env_var(LOG_FILTER_ENV)
        .from_env_lossy();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot set up logging: {e}"))?;
    Ok(guard)
}
