//! The account file on disk: never lose a write, never clobber another iamtui.
//!
//! - Writes are atomic: the new state goes to a temporary file in the same directory, is
//!   fsynced, renamed over the old file, and the directory is fsynced. A crash or kill at any
//!   moment leaves either the old or the new file.
//! - A second iamtui on the same file cannot write: `FILE.lock` beside the account is held with
//!   an exclusive OS lock (released by the kernel when the holder dies) and names its holder;
//!   whoever finds it taken opens the account read-only and says who holds it.
//! - A file that is not an account, or is damaged, is reported with its path and never
//!   overwritten.
//! - Files are created 0600 (they hold secret keys and MFA seeds), directories 0700.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use thiserror::Error;

use super::model::{Account, FORMAT, FORMAT_VERSION};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "`{}` is not an iamtui account file ({reason}); it was left untouched — pass another file with --account",
        path.display()
    )]
    Foreign { path: PathBuf, reason: String },
    #[error(
        "`{}` is a damaged iamtui account file: {reason}; it was left untouched — restore it or pass another file with --account",
        path.display()
    )]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "`{}` was written by a newer iamtui (format version {found}; this one reads up to {FORMAT_VERSION}); it was left untouched",
        path.display()
    )]
    Newer { path: PathBuf, found: u64 },
    #[error("the account file `{}` is open read-only: {holder}", path.display())]
    Locked { path: PathBuf, holder: String },
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Who holds the lock, or `None` when this process does.
#[derive(Debug)]
enum LockState {
    Held(#[allow(dead_code)] File),
    Taken { holder: String },
}

/// An open account file.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    lock: LockState,
    /// Modification time and length of the file as last read or written, to notice another
    /// process's write when this one is read-only.
    seen: Option<(SystemTime, u64)>,
}

impl Store {
    /// Opens `path`, creating it from `init` when it does not exist. Returns the store and the
    /// account read from (or written to) the file.
    pub fn open(
        path: &Path,
        init: impl FnOnce() -> Account,
    ) -> Result<(Store, Account), StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        let lock = take_lock(path)?;
        if matches!(lock, LockState::Held(_)) {
            remove_stale_temporaries(path);
        }
        let mut store = Store {
            path: path.to_path_buf(),
            lock,
            seen: None,
        };
        match fs::symlink_metadata(path) {
            Ok(_) => {
                let account = store.read()?;
                Ok((store, account))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let account = init();
                if let LockState::Taken { holder } = &store.lock {
                    // Another iamtui is creating it right now: do not race it.
                    return Err(StoreError::Locked {
                        path: path.to_path_buf(),
                        holder: holder.clone(),
                    });
                }
                store.save(&account)?;
                Ok((store, account))
            }
            Err(e) => Err(io_error("read", path)(e)),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `Some(holder)` when another process holds the lock and this store cannot write.
    pub fn locked_by(&self) -> Option<&str> {
        match &self.lock {
            LockState::Held(_) => None,
            LockState::Taken { holder } => Some(holder),
        }
    }

    /// Reads and checks the file.
    pub fn read(&mut self) -> Result<Account, StoreError> {
        let mut file = File::open(&self.path).map_err(io_error("open", &self.path))?;
        let meta = file.metadata().map_err(io_error("read", &self.path))?;
        let mut text = String::new();
        file.read_to_string(&mut text).map_err(|e| match e.kind() {
            io::ErrorKind::InvalidData => StoreError::Foreign {
                path: self.path.clone(),
                reason: "it is not UTF-8 text".into(),
            },
            _ => io_error("read", &self.path)(e),
        })?;
        let account = parse_account(&self.path, &text)?;
        self.seen = meta.modified().ok().map(|m| (m, meta.len()));
        Ok(account)
    }

    /// Whether the file changed since this store last read or wrote it (another process wrote).
    pub fn changed_on_disk(&self) -> bool {
        let now = fs::metadata(&self.path)
            .ok()
            .and_then(|m| m.modified().ok().map(|t| (t, m.len())));
        now != self.seen
    }

    /// Writes the account atomically. Refused when another process holds the lock.
    pub fn save(&mut self, account: &Account) -> Result<(), StoreError> {
        if let LockState::Taken { holder } = &self.lock {
            return Err(StoreError::Locked {
                path: self.path.clone(),
                holder: holder.clone(),
            });
        }
        let mut text = serde_json::to_vec_pretty(account).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            reason: format!("cannot serialise the account: {e}"),
        })?;
        text.push(b'\n');
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // tempfile creates the file 0600 and removes it if anything below fails.
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(dir)
            .map_err(io_error("create a temporary file in", dir))?;
        tmp.write_all(&text)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(io_error("write", tmp.path()))?;
        tmp.persist(&self.path)
            .map_err(|e| io_error("replace", &self.path)(e.error))?;
        sync_dir(dir);
        let meta = fs::metadata(&self.path).map_err(io_error("read", &self.path))?;
        self.seen = meta.modified().ok().map(|m| (m, meta.len()));
        Ok(())
    }
}

/// The file's text as an account, or why not. Checks the marker and version before the rest,
/// so a foreign JSON file is named as such rather than as a damaged account.
pub fn parse_account(path: &Path, text: &str) -> Result<Account, StoreError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| StoreError::Foreign {
        path: path.to_path_buf(),
        reason: if text.trim().is_empty() {
            "it is empty".to_string()
        } else {
            format!("it is not JSON: {e}")
        },
    })?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(FORMAT) {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            reason: format!("it has no \"format\": \"{FORMAT}\""),
        });
    }
    let version = value
        .get("format_version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| StoreError::Corrupt {
            path: path.to_path_buf(),
            reason: "\"format_version\" is missing".into(),
        })?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
        });
    }
    let account: Account = serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if account.account_id.len() != 12 || !account.account_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            reason: format!(
                "the account id `{}` is not twelve digits",
                account.account_id
            ),
        });
    }
    Ok(account)
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

fn take_lock(path: &Path) -> Result<LockState, StoreError> {
    let lock_path = lock_path(path);
    let mut open = OpenOptions::new();
    open.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut file = open
        .open(&lock_path)
        .map_err(io_error("open", &lock_path))?;
    match file.try_lock() {
        Ok(()) => {
            let me = format!(
                "held by iamtui (pid {}) on {} since {}",
                std::process::id(),
                hostname(),
                chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
            );
            file.set_len(0)
                .and_then(|()| file.write_all(me.as_bytes()))
                .and_then(|()| file.sync_all())
                .map_err(io_error("write", &lock_path))?;
            Ok(LockState::Held(file))
        }
        Err(fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            Ok(LockState::Taken {
                holder: if holder.is_empty() {
                    format!("another process holds `{}`", lock_path.display())
                } else {
                    format!("another iamtui has it open ({holder})")
                },
            })
        }
        Err(fs::TryLockError::Error(e)) => Err(io_error("lock", &lock_path)(e)),
    }
}

/// Removes temporary files a killed writer left beside the account. Safe while holding the
/// lock: no other process writes this account's temporaries.
fn remove_stale_temporaries(path: &Path) {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(e.path());
        }
    }
}

const TEMP_PREFIX: &str = ".iamtui-account-";
const TEMP_SUFFIX: &str = ".tmp";

fn hostname() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this host".into())
}

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(io_error("create", dir))
}

/// Makes the rename durable. Best effort: some file systems refuse to fsync a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Account {
        Account::empty("123456789012", chrono::Utc::now())
    }

    #[test]
    fn creates_then_reopens_with_private_modes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/account.json");
        let (store, a) = Store::open(&path, sample).unwrap();
        assert_eq!(store.locked_by(), None);
        drop(store);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let mode = fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o700);
        }
        let (_store, b) = Store::open(&path, || panic!("must not re-create")).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn a_second_opener_is_read_only_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let (mut first, mut account) = Store::open(&path, sample).unwrap();
        let (mut second, _) = Store::open(&path, sample).unwrap();
        let holder = second.locked_by().expect("locked").to_string();
        assert!(
            holder.contains(&format!("pid {}", std::process::id())),
            "{holder}"
        );
        let err = second.save(&account).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("account.json"), "{err}");
        // The reader notices the writer's change.
        assert!(!second.changed_on_disk());
        account.aliases.push("changed".into());
        std::thread::sleep(std::time::Duration::from_millis(20));
        first.save(&account).unwrap();
        assert!(second.changed_on_disk());
        assert_eq!(second.read().unwrap().aliases, ["changed"]);
        // Once the holder is gone, the lock is free.
        drop(first);
        drop(second);
        let (third, _) = Store::open(&path, sample).unwrap();
        assert_eq!(third.locked_by(), None);
    }

    #[test]
    fn foreign_and_damaged_files_are_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[u8], &str); 6] = [
            ("empty.json", b"", "is empty"),
            ("text.json", b"hello", "not JSON"),
            ("other.json", br#"{"users": []}"#, "no \"format\""),
            ("binary.json", &[0xff, 0xfe, 0x00], "not UTF-8"),
            (
                "newer.json",
                br#"{"format": "iamtui-local-account", "format_version": 99}"#,
                "newer iamtui",
            ),
            (
                "damaged.json",
                br#"{"format": "iamtui-local-account", "format_version": 1, "account_id": "1"}"#,
                "damaged",
            ),
        ];
        for (name, bytes, expect) in cases {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            let err = Store::open(&path, sample).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(expect), "{name}: {msg}");
            assert!(
                msg.contains(name),
                "{name}: the message names the file: {msg}"
            );
            assert_eq!(fs::read(&path).unwrap(), bytes, "{name} was modified");
        }
    }

    #[test]
    fn opening_removes_temporaries_a_killed_writer_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        drop(Store::open(&path, sample).unwrap());
        let stray = dir.path().join(".iamtui-account-abc123.tmp");
        let other = dir.path().join("unrelated.tmp");
        fs::write(&stray, "half a write").unwrap();
        fs::write(&other, "not ours").unwrap();
        let (_held, _) = Store::open(&path, sample).unwrap();
        assert!(!stray.exists());
        assert!(other.exists());
        // A reader that does not hold the lock leaves them alone (the holder may be writing).
        fs::write(&stray, "in progress").unwrap();
        let (_reader, _) = Store::open(&path, sample).unwrap();
        assert!(stray.exists());
    }

    #[test]
    fn save_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let (mut store, mut account) = Store::open(&path, sample).unwrap();
        for i in 0..5 {
            account.aliases = vec![format!("a{i}")];
            store.save(&account).unwrap();
        }
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["account.json", "account.json.lock"]);
        assert_eq!(store.read().unwrap().aliases, ["a4"]);
    }
}
