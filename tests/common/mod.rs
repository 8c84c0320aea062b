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
