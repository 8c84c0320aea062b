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

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use super::moto::output_tail;

/// The pinned CLI (botocore 1.43.62 comes with it).
pub const AWSCLI_REQUIREMENT: &str = "awscli==1.46.3";
pub const AWSCLI_VERSION: &str = "1.46.3";

/// Written into the virtualenv once the install has fully succeeded.
const MARKER: &str = ".iamtui-awscli-installed";

/// `$IAMTUI_AWSCLI_VENV`, else `<target dir>/awscli-venv`.
pub fn venv_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("IAMTUI_AWSCLI_VENV").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    super::target_dir().join("awscli-venv")
}

/// The `aws` executable, installing the CLI first if needed (at most once per process; a
/// failure panics in every test that asks).
pub fn aws_bin() -> PathBuf {
    static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match INSTALLED.get_or_init(|| ensure_installed(&venv_dir())) {
        Ok(bin) => bin.clone(),
        Err(why) => panic!("the AWS CLI is not available: {why}"),
    }
}

fn ensure_installed(venv: &Path) -> Result<PathBuf, String> {
    let bin = venv.join("bin").join("aws");
    let marker = venv.join(MARKER);
    if marker_ok(&marker) && bin.is_file() {
        return Ok(bin);
    }
    super::with_file_lock(&venv.with_extension("lock"), || {
        install_locked(venv, &bin, &marker)
    })
}

fn marker_ok(marker: &Path) -> bool {
    fs::read_to_string(marker).is_ok_and(|s| s.trim() == AWSCLI_REQUIREMENT)
}

fn install_locked(venv: &Path, bin: &Path, marker: &Path) -> Result<PathBuf, String> {
    // Another process may have finished while we waited for the lock.
    if marker_ok(marker) && bin.is_file() {
        return Ok(bin.to_path_buf());
    }
    let python = std::env::var_os("IAMTUI_PYTHON").unwrap_or_else(|| "python3".into());
    if venv.exists() {
        fs::remove_dir_all(venv)
            .map_err(|e| format!("cannot remove the unfinished {}: {e}", venv.display()))?;
    }
    eprintln!(
        "awscli fixture: installing {AWSCLI_REQUIREMENT} into {} (once)",
        venv.display()
    );
    let started = Instant::now();
    let out = Command::new(&python)
        .args(["-m", "venv"])
        .arg(venv)
        .output()
        .map_err(|e| {
            format!(
                "cannot run `{} -m venv` (install python3 and python3-venv, or set IAMTUI_PYTHON): {e}",
                python.to_string_lossy()
            )
        })?;
    if !out.status.success() {
        return Err(format!(
            "`{} -m venv {}` failed (on Debian/Ubuntu install python3-venv): {}",
            python.to_string_lossy(),
            venv.display(),
            output_tail(&out)
        ));
    }
    let pip = venv.join("bin").join("pip");
    let out = Command::new(&pip)
        .args([
            "install",
            "--disable-pip-version-check",
            "--no-input",
            AWSCLI_REQUIREMENT,
        ])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", pip.display()))?;
    if !out.status.success() {
        return Err(format!(
            "`pip install '{AWSCLI_REQUIREMENT}'` failed: {}",
            output_tail(&out)
        ));
    }
    match installed_version(bin) {
        Some(v) if v == AWSCLI_VERSION => {}
        other => {
            return Err(format!(
                "after pip install, `{} --version` reports {other:?}, expected aws-cli/{AWSCLI_VERSION}: {}",
                bin.display(),
                output_tail(&out)
            ));
        }
    }
    fs::write(marker, format!("{AWSCLI_REQUIREMENT}\n"))
        .map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    eprintln!(
        "awscli fixture: installed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(bin.to_path_buf())
}

/// `aws --version` prints `aws-cli/1.46.3 Python/… botocore/…` (to stdout or, in older
/// releases, stderr).
fn installed_version(bin: &Path) -> Option<String> {
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
