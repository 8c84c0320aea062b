//! The real AWS CLI (v1, from PyPI) as a test fixture, to take snapshots the way users do.
//!
//! `awscli` is installed on first use into its own virtualenv, `<target>/awscli-venv`, beside
//! moto's (not into it: the CLI pins its own botocore, which would replace the one moto was
//! installed with). As with moto, a file lock keeps parallel tests and binaries from racing,
//! and a marker written after a successful install tells a finished venv from a half-made one
//! (which is wiped and redone). A failed install fails the test with pip's output; nothing
//! skips.
//!
//! Environment: `IAMTUI_AWSCLI_VENV` (another virtualenv directory), `IAMTUI_PYTHON` (the
//! interpreter that creates it, default `python3`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::output_tail;
use super::venv::{PinnedVenv, dir_from_env};

/// The pinned CLI (botocore 1.43.62 comes with it).
pub const AWSCLI_REQUIREMENT: &str = "awscli==1.46.3";
pub const AWSCLI_VERSION: &str = "1.46.3";

/// Written into the virtualenv once the install has fully succeeded.
const MARKER: &str = ".iamtui-awscli-installed";

/// The `aws` executable, installing the CLI first if needed (at most once per process; a
/// failure panics in every test that asks).
pub fn aws_bin() -> PathBuf {
    static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let venv = PinnedVenv {
        dir: dir_from_env("IAMTUI_AWSCLI_VENV", "awscli-venv"),
        requirement: AWSCLI_REQUIREMENT,
        version: AWSCLI_VERSION,
        executable: "aws",
        marker: MARKER,
        label: "AWS CLI",
        version_of: installed_version,
        adopt_matching: false,
    };
    venv.ensure_once(&INSTALLED)
}

/// `aws --version` prints `aws-cli/1.46.3 Python/… botocore/…` (to stdout or, in older
/// releases, stderr).
fn installed_version(_venv: &Path, bin: &Path) -> Option<String> {
    let out = Command::new(bin).arg("--version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.split_whitespace()
        .find_map(|w| w.strip_prefix("aws-cli/"))
        .map(str::to_string)
}

/// Runs `aws ARGS --endpoint-url ENDPOINT --region us-east-1 --output json` with moto's dummy
/// credentials and nothing from the user's own AWS setup (no config or credentials file, no
/// `AWS_*` variables, no pager). Returns what it printed on stdout; a failure panics with the
/// command and its output.
pub fn aws(endpoint: &str, args: &[&str]) -> String {
    let bin = aws_bin();
    let mut cmd = Command::new(&bin);
    cmd.args(args)
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .args(["--output", "json"]);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_PAGER", "")
        .env("AWS_MAX_ATTEMPTS", "1");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    if !out.status.success() {
        panic!("`aws {}` failed: {}", args.join(" "), output_tail(&out));
    }
    String::from_utf8(out.stdout)
        .unwrap_or_else(|e| panic!("`aws {}` printed non-UTF-8: {e}", args.join(" ")))
}
