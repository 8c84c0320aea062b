//! A pinned PyPI package installed into its own Python virtualenv under the cargo target
//! directory: the installer that `moto` and `awscli` share.
//!
//! The install runs under a file lock beside the venv (so parallel test threads and test
//! binaries never race, and the lock survives the venv being wiped), and a marker holding the
//! requirement is written only after a successful install: a venv without it is unfinished and
//! is wiped and redone. Nothing skips: a missing python3 or a failed install is an error that
//! names the failing step (with pip's output), and the callers panic with it.
//!
//! `IAMTUI_PYTHON` names the interpreter that creates the venv (default `python3`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use super::output_tail;

/// One package's facts. The caller keeps the outcome of [`PinnedVenv::ensure`] in a `OnceLock`
/// so the install runs at most once per process.
pub struct PinnedVenv {
    /// The virtualenv directory.
    pub dir: PathBuf,
    /// What `pip install` is given, e.g. `moto[server]==5.2.5`; also the marker's content.
    pub requirement: &'static str,
    /// The version `version_of` must report.
    pub version: &'static str,
    /// The executable under `<dir>/bin` that callers want.
    pub executable: &'static str,
    /// The marker file in `dir`, written once the install has fully succeeded.
    pub marker: &'static str,
    /// What the package is, for messages ("moto emulator", "AWS CLI").
    pub label: &'static str,
    /// The installed version, given the venv and the executable; `None` if it cannot be read.
    pub version_of: fn(&Path, &Path) -> Option<String>,
    /// Adopt a venv without the marker (made by hand or by an older harness) when its
    /// executable exists and `version_of` reports `version`, instead of reinstalling.
    pub adopt_matching: bool,
}

/// `$env_var` when it is set and not empty, else `<target dir>/default`.
pub fn dir_from_env(env_var: &str, default: &str) -> PathBuf {
    match std::env::var_os(env_var).filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => super::target_dir().join(default),
    }
}

impl PinnedVenv {
    /// [`Self::ensure`] at most once per process (`outcome` keeps what it gave): every caller
    /// gets the executable, or panics saying why the package is not available.
    pub fn ensure_once(&self, outcome: &OnceLock<Result<PathBuf, String>>) -> PathBuf {
        match outcome.get_or_init(|| self.ensure()) {
            Ok(bin) => bin.clone(),
            Err(why) => panic!("the {} is not available: {why}", self.label),
        }
    }

    /// The executable, installing the package first if the venv is not complete.
    pub fn ensure(&self) -> Result<PathBuf, String> {
        let bin = self.dir.join("bin").join(self.executable);
        if self.complete(&bin) {
            return Ok(bin);
        }
        super::with_file_lock(&self.dir.with_extension("lock"), || {
            self.install_locked(&bin)
        })
    }

    fn complete(&self, bin: &Path) -> bool {
        fs::read_to_string(self.dir.join(self.marker)).is_ok_and(|s| s.trim() == self.requirement)
            && bin.is_file()
    }

    fn install_locked(&self, bin: &Path) -> Result<PathBuf, String> {
        let venv = &self.dir;
        let requirement = self.requirement;
        // Another process may have finished while we waited for the lock.
        if self.complete(bin) {
            return Ok(bin.to_path_buf());
        }
        if self.adopt_matching
            && bin.is_file()
            && (self.version_of)(venv, bin).as_deref() == Some(self.version)
        {
            self.write_marker()?;
            return Ok(bin.to_path_buf());
        }

        let python = std::env::var_os("IAMTUI_PYTHON").unwrap_or_else(|| "python3".into());
        let py = python.to_string_lossy();
        match Command::new(&python).arg("--version").output() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "`{py}` is not on PATH: install python3 and python3-venv (the {} runs on \
                     Python), or set IAMTUI_PYTHON",
                    self.label
                ));
            }
            Err(e) => return Err(format!("cannot run `{py}`: {e}")),
            Ok(out) if !out.status.success() => {
                return Err(format!("`{py} --version` failed: {}", output_tail(&out)));
            }
            Ok(_) => {}
        }

        // Whatever is there is unfinished (no marker): start over.
        if venv.exists() {
            fs::remove_dir_all(venv)
                .map_err(|e| format!("cannot remove the unfinished {}: {e}", venv.display()))?;
        }
        eprintln!(
            "{} fixture: installing {requirement} into {} (once; up to a minute)",
            self.label,
            venv.display()
        );
        let started = Instant::now();
        let out = Command::new(&python)
            .args(["-m", "venv"])
            .arg(venv)
            .output()
            .map_err(|e| {
                format!(
                    "cannot run `{py} -m venv` (install python3 and python3-venv, or set \
                     IAMTUI_PYTHON): {e}"
                )
            })?;
        if !out.status.success() {
            return Err(format!(
                "`{py} -m venv {}` failed (on Debian/Ubuntu install python3-venv): {}",
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
                requirement,
            ])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", pip.display()))?;
        if !out.status.success() {
            return Err(format!(
                "`pip install '{requirement}'` failed: {}",
                output_tail(&out)
            ));
        }
        if !bin.is_file() {
            return Err(format!(
                "pip succeeded but {} does not exist: {}",
                bin.display(),
                output_tail(&out)
            ));
        }
        match (self.version_of)(venv, bin) {
            Some(v) if v == self.version => {}
            other => {
                return Err(format!(
                    "after pip install, the venv reports {} {other:?}, expected {}: {}",
                    self.label,
                    self.version,
                    output_tail(&out)
                ));
            }
        }
        self.write_marker()?;
        eprintln!(
            "{} fixture: installed in {:.1} s",
            self.label,
            started.elapsed().as_secs_f64()
        );
        Ok(bin.to_path_buf())
    }

    fn write_marker(&self) -> Result<(), String> {
        let marker = self.dir.join(self.marker);
        fs::write(&marker, format!("{}\n", self.requirement))
            .map_err(|e| format!("cannot write {}: {e}", marker.display()))
    }
}
