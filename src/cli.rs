//! Command-line arguments. Without a subcommand, `iamtui` opens the console.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "iamtui", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command shares. `global = true` so they may also follow a subcommand.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GlobalOptions {
    /// AWS profile from ~/.aws/config or ~/.aws/credentials
    #[arg(long, global = true, env = "AWS_PROFILE", value_name = "PROFILE")]
    pub profile: Option<String>,

    /// AWS region to sign requests for (IAM is global; default us-east-1)
    #[arg(long, global = true, value_name = "REGION", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub region: Option<String>,

    /// Send IAM and STS calls to this endpoint, e.g. an emulator (AWS_ENDPOINT_URL also works)
    #[arg(long, global = true, value_name = "URL", value_parser = endpoint_url)]
    pub endpoint_url: Option<String>,

    /// Refuse every call that changes the account
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Write the log here instead of the data directory
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    /// Colour theme: a built-in (dark, light, high-contrast, monochrome) or a file in the
    /// config directory's themes/ (default: config.toml's, else dark; monochrome with NO_COLOR)
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,

    /// Keymap: default, vim, or a file in the config directory's keymaps/
    #[arg(long, global = true, value_name = "NAME")]
    pub keymap: Option<String>,

    #[command(flatten)]
    pub local: LocalOptions,
}

/// The embedded local account instead of AWS.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LocalOptions {
    /// Use the embedded local account (no AWS account needed); a new one is seeded with a demo
    #[arg(long, global = true, conflicts_with_all = ["profile", "endpoint_url"])]
    pub local: bool,

    /// The local account's file (implies --local; default: account.json in the data directory)
    #[arg(long, global = true, value_name = "FILE")]
    pub account: Option<PathBuf>,

    /// Create the local account from `aws iam get-account-authorization-details` output
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "generate")]
    pub import: Option<PathBuf>,

    /// Create the local account as a synthetic one with N users (and as many roles and policies)
    #[arg(long, global = true, value_name = "N")]
    pub generate: Option<usize>,

    /// Act as this IAM user of the local account, with its permissions (default: the
    /// account's administrator identity)
    #[arg(long = "as", global = true, value_name = "USER")]
    pub act_as: Option<String>,
}

impl LocalOptions {
    /// Whether the local account is asked for (any of its options implies it).
    pub fn wanted(&self) -> bool {
        self.local
            || self.account.is_some()
            || self.import.is_some()
            || self.generate.is_some()
            || self.act_as.is_some()
    }
}

impl GlobalOptions {
    /// The profile to use; an empty `AWS_PROFILE=` means none, as it does for the AWS CLI.
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref().filter(|p| !p.is_empty())
    }
}

/// Catches a typo at the prompt instead of as a connection error inside the console.
fn endpoint_url(value: &str) -> Result<String, String> {
    if value.starts_with("http://") || value.starts_with("https://") {
        Ok(value.to_string())
    } else {
        Err("expected a URL starting with http:// or https://".to_string())
    }
}

/// Commands that run without the console.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Check policy documents with the embedded validator (exit 1 on an error finding)
    Validate(crate::headless::validate::ValidateArgs),
    /// Evaluate simulation cases with the embedded evaluator (`--check` for test suites)
    Simulate(crate::headless::simulate::SimulateArgs),
    /// Print where iamtui keeps its configuration, themes, keymaps, log and local account
    Info,
    /// Rotate an access key safely: create, check, switch the profile, retire the old one
    Rotate(crate::headless::rotate::RotateArgs),
    /// Assume a role and run a command with its credentials (or print them)
    Assume(crate::headless::assume::AssumeArgs),
    /// Print the audit trail: every change iamtui made (`--since`, `--operation` filter it)
    AuditLog(crate::headless::audit_log::AuditLogArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("iamtui").chain(args.iter().copied()))
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_arguments_opens_the_console() {
        let cli = parse(&[]).unwrap();
        assert!(cli.command.is_none());
        assert!(!cli.global.read_only);
        assert_eq!(cli.global.region, None);
    }

    #[test]
    fn global_options_parse() {
        let cli = parse(&[
            "--profile",
            "dev",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            "http://127.0.0.1:5000",
            "--read-only",
            "--log-file",
            "/tmp/x.log",
        ])
        .unwrap();
        let g = cli.global;
        assert_eq!(g.profile.as_deref(), Some("dev"));
        assert_eq!(g.region.as_deref(), Some("eu-west-1"));
        assert_eq!(g.endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
        assert!(g.read_only);
        assert_eq!(g.log_file, Some(PathBuf::from("/tmp/x.log")));
    }

    #[test]
    fn an_empty_profile_is_no_profile() {
        let options = GlobalOptions {
            profile: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(options.profile(), None);
    }

    #[test]
    fn local_options_parse_and_imply_local() {
        let cli = parse(&["--local"]).unwrap();
        assert!(cli.global.local.wanted());
        let cli = parse(&["--account", "/tmp/a.json", "--as", "alice"]).unwrap();
        assert!(cli.global.local.wanted());
        assert_eq!(cli.global.local.act_as.as_deref(), Some("alice"));
        let cli = parse(&["--local", "--import", "snap.json"]).unwrap();
        assert_eq!(cli.global.local.import, Some(PathBuf::from("snap.json")));
        let cli = parse(&["--local", "--generate", "5000"]).unwrap();
        assert_eq!(cli.global.local.generate, Some(5000));
        assert!(!parse(&[]).unwrap().global.local.wanted());
        let err = parse(&["--local", "--profile", "dev"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ArgumentConflict);
        let err = parse(&["--import", "a", "--generate", "3"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ArgumentConflict);
        let err = parse(&["--generate", "many"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn unknown_arguments_are_usage_errors() {
        let err = parse(&["--locale"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownArgument);
        assert_eq!(err.exit_code(), 2);
        let err = parse(&["validate"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(err.exit_code(), 2);
        let err = parse(&["validate", "--type", "bucket", "p.json"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        let err = parse(&["simulate"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err = parse(&["--endpoint-url", "127.0.0.1:5000"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ValueValidation);
        assert_eq!(err.exit_code(), 2);
        let err = parse(&["--region", ""]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }
}
