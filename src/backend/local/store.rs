//! The account file on disk: never lose a write, never clobber another iamtui, never write
//! where the user said not to.
//!
//! - `--account` may name a symbolic link: it is followed, and the file it leads to is the
//!   account (written in place, its lock beside it, so every name of one account shares one
//!   lock). Anything that is not a regular file (a FIFO, a directory, a socket, a device) is
//!   refused from its metadata alone, never opened.
//! - Writes are atomic: the new state goes to a temporary file in the same directory, is
//!   fsynced, renamed over the old file, and the directory is fsynced. A crash or kill at any
//!   moment leaves either the old or the new file.
//! - A second iamtui on the same file cannot write: `FILE.lock` beside the account is held with
//!   an exclusive OS lock (released by the kernel when the holder dies) and names its holder;
//!   whoever finds it taken opens the account read-only and says who holds it.
//! - A write-protected file (no write permission, or on a read-only file system) opens
//!   read-only: the rename would replace it regardless of its mode, so it is never attempted.
//!   So does a file opened read-only on request; neither takes the lock, so they never keep a
//!   writer out.
//! - A file that is not an account, or is damaged, is reported with its path and never
//!   overwritten; a lock file made for it is removed again.
//! - Files are created 0600 (they hold secret keys and MFA seeds), directories 0700.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use thiserror::Error;

use super::model::{Account, FORMAT, FORMAT_VERSION};
use crate::credentials::file::{create_private_dir, parent_dir};

#[derive(Debug, Error)]
pub enum StoreError {
    // The OS error is part of the message and deliberately not a `source`: a report that
    // prints the whole chain would print it twice.
    #[error("cannot {action} `{}`: {error}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        error: io::Error,
    },
    #[error(
        "`{}` is {kind}, not a regular file; pass an account file with --account",
        path.display()
    )]
    NotAFile { path: PathBuf, kind: &'static str },
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
    /// A write this store may not make; `reason` says why, as refusals say it.
    #[error("refused: {reason}")]
    ReadOnly { reason: String },
    #[error(
        "the account file `{}` does not exist and was not created: {reason}",
        path.display()
    )]
    Missing { path: PathBuf, reason: String },
    #[error(
        "another iamtui is creating the account file `{}` ({holder}); try again in a moment",
        path.display()
    )]
    Busy { path: PathBuf, holder: String },
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
    move |error| StoreError::Io {
        action,
        path: path.to_path_buf(),
        error,
    }
}

/// Whether this store may write, and if not, why.
#[derive(Debug)]
enum Access {
    /// This process holds the lock (the file is kept open for it). `created`: this process
    /// made the lock file, so it removes it again if the open fails.
    Writer { _lock: File, created: bool },
    /// Refusals say `reason`; `holder` is the lock's holder when that is the reason.
    ReadOnly {
        reason: String,
        holder: Option<String>,
    },
}

/// An open account file.
#[derive(Debug)]
pub struct Store {
    /// The account file itself, links followed.
    path: PathBuf,
    access: Access,
    /// Modification time and length of the file as last read or written, to notice another
    /// process's write when this one is read-only.
    seen: Option<(SystemTime, u64)>,
}

impl Store {
    /// Opens `path` to read and write, creating it from `init` when it does not exist. Returns
    /// the store and the account read from (or written to) the file. The store is read-only
    /// when another iamtui holds the file or the file is write-protected (see
    /// [`Store::read_only_reason`]).
    pub fn open(
        path: &Path,
        init: impl FnOnce() -> Account,
    ) -> Result<(Store, Account), StoreError> {
        let target = follow_links(path)?;
        match regular_file(&target)? {
            Some(meta) => {
                if let Some((what, how)) = write_protection(&target, &meta) {
                    let reason = format!("{what}; this iamtui is read-only — {how}");
                    return Self::open_without_lock(target, reason, None);
                }
            }
            None => {
                if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
                    create_private_dir(dir).map_err(io_error("create", dir))?;
                }
            }
        }
        let access = take_lock(&target)?;
        if matches!(access, Access::Writer { .. }) {
            remove_stale_temporaries(&target);
        }
        let mut store = Store {
            path: target,
            access,
            seen: None,
        };
        match store.first_read(init) {
            Ok(account) => Ok((store, account)),
            Err(e) => {
                store.remove_lock_it_created();
                Err(e)
            }
        }
    }

    /// Opens an existing `path` without ever writing it (nor its lock): writes are refused
    /// with `reason`.
    pub fn open_read_only(path: &Path, reason: String) -> Result<(Store, Account), StoreError> {
        let target = follow_links(path)?;
        if regular_file(&target)?.is_none() {
            return Err(StoreError::Missing {
                path: target,
                reason,
            });
        }
        Self::open_without_lock(target, reason, None)
    }

    fn open_without_lock(
        target: PathBuf,
        reason: String,
        holder: Option<String>,
    ) -> Result<(Store, Account), StoreError> {
        let mut store = Store {
            path: target,
            access: Access::ReadOnly { reason, holder },
            seen: None,
        };
        let account = store.read()?;
        Ok((store, account))
    }

    /// The account in the file, or `init`'s written to it when there is none yet.
    fn first_read(&mut self, init: impl FnOnce() -> Account) -> Result<Account, StoreError> {
        if regular_file(&self.path)?.is_some() {
            return self.read();
        }
        if let Access::ReadOnly { holder, .. } = &self.access {
            // Another iamtui is creating it right now: do not race it.
            return Err(StoreError::Busy {
                path: self.path.clone(),
                holder: holder.clone().unwrap_or_default(),
            });
        }
        let account = init();
        self.save(&account)?;
        Ok(account)
    }

    /// After a failed open: a lock file this process created for nothing is removed (while
    /// still held, so no other process is holding it).
    fn remove_lock_it_created(&mut self) {
        if let Access::Writer { created: true, .. } = self.access {
            let _ = fs::remove_file(lock_path(&self.path));
        }
    }

    /// The account file, links followed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `Some(holder)` when another process holds the lock and this store cannot write.
    pub fn locked_by(&self) -> Option<&str> {
        match &self.access {
            Access::ReadOnly {
                holder: Some(h), ..
            } => Some(h),
            _ => None,
        }
    }

    /// Whether this store may write (it holds the lock and the file was not write-protected).
    pub fn writable(&self) -> bool {
        matches!(self.access, Access::Writer { .. })
    }

    /// Why this store refuses to write, `None` when it may.
    pub fn read_only_reason(&self) -> Option<String> {
        match &self.access {
            Access::Writer { .. } => None,
            Access::ReadOnly { reason, .. } => Some(reason.clone()),
        }
    }

    /// Reads and checks the file.
    pub fn read(&mut self) -> Result<Account, StoreError> {
        if regular_file(&self.path)?.is_none() {
            return Err(io_error("open", &self.path)(io::ErrorKind::NotFound.into()));
        }
        let mut file = File::open(&self.path).map_err(io_error("open", &self.path))?;
        let meta = file.metadata().map_err(io_error("read", &self.path))?;
        if !meta.is_file() {
            // Replaced since it was looked at.
            return Err(StoreError::NotAFile {
                path: self.path.clone(),
                kind: kind_of(&meta),
            });
        }
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

    /// Writes the account atomically. Refused when this store is read-only, or the file has
    /// become write-protected or something other than a file since it was opened.
    pub fn save(&mut self, account: &Account) -> Result<(), StoreError> {
        if let Access::ReadOnly { reason, .. } = &self.access {
            return Err(StoreError::ReadOnly {
                reason: reason.clone(),
            });
        }
        if let Some(meta) = regular_file(&self.path)?
            && let Some((what, how)) = write_protection(&self.path, &meta)
        {
            return Err(StoreError::ReadOnly {
                reason: format!("{what} — {how}"),
            });
        }
        let mut text = serde_json::to_vec_pretty(account).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            reason: format!("cannot serialise the account: {e}"),
        })?;
        text.push(b'\n');
        let dir = parent_dir(&self.path);
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
    let corrupt = |reason: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let version = match value.get("format_version") {
        None => return Err(corrupt("\"format_version\" is missing".into())),
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(v) if v >= 1 => v,
            _ => {
                return Err(corrupt(format!(
                    "\"format_version\" `{n}` is not a version (a whole number from 1)"
                )));
            }
        },
        Some(other) => {
            return Err(corrupt(format!(
                "\"format_version\" must be a number, not `{other}`"
            )));
        }
    };
    if version > u64::from(FORMAT_VERSION) {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
        });
    }
    let account: Account = serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))?;
    if account.account_id.len() != 12 || !account.account_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(corrupt(format!(
            "the account id `{}` is not twelve digits",
            account.account_id
        )));
    }
    Ok(account)
}

/// How many links `--account` may lead through (Linux's own limit).
const MAX_LINKS: usize = 40;

/// The file `path` leads to: symbolic links followed (a relative link from its own directory),
/// the last one possibly to a file that does not exist yet.
fn follow_links(path: &Path) -> Result<PathBuf, StoreError> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&at).map_err(io_error("follow the link", &at))?;
                at = parent_dir(&at).join(to);
            }
            _ => return Ok(at),
        }
    }
    Err(io_error("follow the links of", path)(io::Error::other(
        "too many levels of symbolic links",
    )))
}

/// The metadata of `path` when it is a regular file, `None` when nothing is there, and an
/// error for anything else. Never opens it: opening a FIFO would block.
fn regular_file(path: &Path) -> Result<Option<Metadata>, StoreError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => Ok(Some(m)),
        Ok(m) => Err(StoreError::NotAFile {
            path: path.to_path_buf(),
            kind: kind_of(&m),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("read", path)(e)),
    }
}

fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "something else"
    }
}

/// Why the file must not be written, when it must not, and what would allow it: no write
/// permission in its mode (which the rename would ignore, and root's writes too), none for this
/// user, or a read-only file system.
fn write_protection(path: &Path, meta: &Metadata) -> Option<(String, &'static str)> {
    let file = path.display();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o222 == 0 {
            return Some((
                format!("the account file `{file}` is not writable (mode {mode:04o})"),
                "`chmod u+w` the file to make changes",
            ));
        }
    }
    #[cfg(not(unix))]
    if meta.permissions().readonly() {
        return Some((
            format!("the account file `{file}` is marked read-only"),
            "clear its read-only attribute to make changes",
        ));
    }
    // Opening for writing (without truncating) changes nothing, and asks the OS whether this
    // user may write it at all (ownership, ACLs, the mount).
    match OpenOptions::new().write(true).open(path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => Some((
            format!("the account file `{file}` is not writable by this user"),
            "ask for write access to it to make changes",
        )),
        Err(e) if e.kind() == io::ErrorKind::ReadOnlyFilesystem => Some((
            format!("the account file `{file}` is on a read-only file system"),
            "copy it elsewhere to make changes",
        )),
        _ => None,
    }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Takes `FILE.lock`, or finds who holds it. Its content names the holder as refusals show
/// it: `iamtui (pid …, host …, since …)`.
fn take_lock(path: &Path) -> Result<Access, StoreError> {
    let lock_path = lock_path(path);
    let mut open = OpenOptions::new();
    open.read(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let (mut file, created) = match open.clone().create_new(true).open(&lock_path) {
        Ok(f) => (f, true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => (
            open.open(&lock_path)
                .map_err(io_error("open", &lock_path))?,
            false,
        ),
        Err(e) => return Err(io_error("create", &lock_path)(e)),
    };
    match file.try_lock() {
        Ok(()) => {
            let me = format!(
                "iamtui (pid {}, host {}, since {})",
                std::process::id(),
                hostname(),
                chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
            );
            file.set_len(0)
                .and_then(|()| file.write_all(me.as_bytes()))
                .and_then(|()| file.sync_all())
                .map_err(io_error("write", &lock_path))?;
            Ok(Access::Writer {
                _lock: file,
                created,
            })
        }
        Err(fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim().to_string();
            let file = path.display();
            let reason = if holder.is_empty() {
                format!(
                    "the account file `{file}` is locked by another process (`{}`); this one is read-only",
                    lock_path.display()
                )
            } else if holder.starts_with("iamtui (") {
                format!(
                    "the account file `{file}` is open in another {holder}; this one is read-only"
                )
            } else {
                format!(
                    "the account file `{file}` is open in another iamtui ({holder}); this one is read-only"
                )
            };
            Ok(Access::ReadOnly {
                reason,
                holder: Some(holder),
            })
        }
        Err(fs::TryLockError::Error(e)) => Err(io_error("lock", &lock_path)(e)),
    }
}

/// Removes temporary files a killed writer left beside the account. Safe while holding the
/// lock: no other process writes this account's temporaries.
fn remove_stale_temporaries(path: &Path) {
    let Ok(entries) = fs::read_dir(parent_dir(path)) else {
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

/// Makes the rename durable. Best effort: some file systems refuse to fsync a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::file::tests::names_in;
    #[cfg(unix)]
    use crate::credentials::file::tests::{is_symlink, mode};

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
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));
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
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
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
        assert_eq!(names_in(dir.path()), ["account.json", "account.json.lock"]);
        assert_eq!(store.read().unwrap().aliases, ["a4"]);
    }

    // What the account file may be: a link, write-protected, not a file at all, from a newer
    // writer; and what a refused open leaves behind.

    #[test]
    fn a_format_version_that_is_not_a_whole_number_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (r#""1""#, "\"format_version\" must be a number"),
            ("-1", "\"format_version\" `-1` is not a version"),
            ("1.5", "\"format_version\" `1.5` is not a version"),
            ("0", "\"format_version\" `0` is not a version"),
            ("null", "\"format_version\" must be a number"),
        ];
        for (version, expect) in cases {
            let path = dir.path().join("account.json");
            let text = format!(
                r#"{{"format": "iamtui-local-account", "format_version": {version}, "account_id": "123456789012", "created": "2026-01-01T00:00:00Z"}}"#
            );
            let err = parse_account(&path, &text).unwrap_err().to_string();
            assert!(err.contains(expect), "{version}: {err}");
            assert!(!err.contains("missing"), "{version}: {err}");
        }
        let text = r#"{"format": "iamtui-local-account", "account_id": "123456789012"}"#;
        let err = parse_account(&dir.path().join("a.json"), text).unwrap_err();
        assert!(
            err.to_string().contains("\"format_version\" is missing"),
            "{err}"
        );
    }

    #[test]
    fn unknown_top_level_fields_survive_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let mut value = serde_json::to_value(sample()).unwrap();
        value["from_a_newer_minor"] = serde_json::json!({"kept": [1, 2, 3]});
        value["note"] = serde_json::json!("hello");
        fs::write(&path, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
        let (mut store, mut account) = Store::open(&path, || panic!("exists")).unwrap();
        account.aliases.push("changed".into());
        store.save(&account).unwrap();
        let back: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(back["from_a_newer_minor"], value["from_a_newer_minor"]);
        assert_eq!(back["note"], "hello");
        assert_eq!(back["aliases"], serde_json::json!(["changed"]));
        assert_eq!(store.read().unwrap(), account);
    }

    #[test]
    fn a_refused_open_removes_the_lock_it_created_and_only_that() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.json");
        fs::write(&path, "not json").unwrap();
        Store::open(&path, sample).unwrap_err();
        assert_eq!(names_in(dir.path()), ["damaged.json"]);
        // A lock file that was there before (left by an earlier run) stays.
        let lock = dir.path().join("damaged.json.lock");
        fs::write(&lock, "").unwrap();
        Store::open(&path, sample).unwrap_err();
        assert!(lock.exists());
        // So does one a live iamtui holds, with its content.
        fs::remove_file(&lock).unwrap();
        let other = dir.path().join("other.json");
        let (_holder, _) = Store::open(&other, sample).unwrap();
        let held = fs::read(dir.path().join("other.json.lock")).unwrap();
        fs::write(&other, "damaged meanwhile").unwrap();
        Store::open(&other, sample).unwrap_err();
        assert_eq!(fs::read(dir.path().join("other.json.lock")).unwrap(), held);
        fs::remove_file(&other).unwrap();
        fs::remove_file(dir.path().join("other.json.lock")).unwrap();
        // A newer file is refused the same way.
        fs::write(
            &path,
            r#"{"format": "iamtui-local-account", "format_version": 99}"#,
        )
        .unwrap();
        Store::open(&path, sample).unwrap_err();
        assert_eq!(names_in(dir.path()), ["damaged.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_a_directory_a_socket_or_a_device_is_refused_without_blocking() {
        use std::os::unix::net::UnixListener;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let directory = dir.path().join("dir.json");
        fs::create_dir(&directory).unwrap();
        let socket = dir.path().join("socket.json");
        let _listener = UnixListener::bind(&socket).unwrap();
        let device = dir.path().join("device.json");
        std::os::unix::fs::symlink("/dev/null", &device).unwrap();
        let cases = [
            (&fifo, "a FIFO"),
            (&directory, "a directory"),
            (&socket, "a socket"),
            (&device, "a device"),
        ];
        // On a thread, so a blocking open fails the test instead of hanging it.
        let (tx, rx) = std::sync::mpsc::channel();
        let paths: Vec<(PathBuf, &str)> = cases.iter().map(|(p, k)| ((*p).clone(), *k)).collect();
        std::thread::spawn(move || {
            for (path, _) in &paths {
                let ro = Store::open_read_only(path, "asked".into()).map(|_| ());
                let rw = Store::open(path, sample).map(|_| ());
                tx.send((ro.unwrap_err().to_string(), rw.unwrap_err().to_string()))
                    .unwrap();
            }
        });
        for (path, kind) in cases {
            let (ro, rw) = rx
                .recv_timeout(std::time::Duration::from_secs(5))
                .unwrap_or_else(|_| panic!("opening {} blocked", path.display()));
            for err in [ro, rw] {
                assert!(
                    err.contains(kind) && err.contains("not a regular file"),
                    "{kind}: {err}"
                );
            }
        }
        // Nothing was created beside them.
        assert_eq!(
            names_in(dir.path()),
            ["device.json", "dir.json", "fifo.json", "socket.json"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_and_the_target_written_in_place() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        fs::create_dir(&real_dir).unwrap();
        let target = real_dir.join("account.json");
        drop(Store::open(&target, sample).unwrap());
        let links = dir.path().join("links");
        fs::create_dir(&links).unwrap();
        let link = links.join("mine.json");
        symlink("../real/account.json", &link).unwrap();

        let (mut store, mut account) = Store::open(&link, || panic!("exists")).unwrap();
        assert_eq!(store.locked_by(), None);
        account.aliases.push("through-the-link".into());
        store.save(&account).unwrap();
        assert!(is_symlink(&link));
        let on_disk = parse_account(&target, &fs::read_to_string(&target).unwrap()).unwrap();
        assert_eq!(on_disk.aliases, ["through-the-link"]);
        // The lock and the temporaries live beside the target, not the link.
        assert_eq!(names_in(&links), ["mine.json"]);
        assert_eq!(names_in(&real_dir), ["account.json", "account.json.lock"]);
        // Both names lead to the same lock.
        let (other, _) = Store::open(&target, || panic!("exists")).unwrap();
        assert!(other.locked_by().is_some());
        // A link to a file not there yet creates the target.
        let dangling = links.join("new.json");
        symlink("../real/new.json", &dangling).unwrap();
        drop(Store::open(&dangling, sample).unwrap());
        assert!(is_symlink(&dangling));
        assert!(real_dir.join("new.json").is_file());
    }

    #[cfg(unix)]
    #[test]
    fn a_write_protected_file_opens_read_only_and_is_never_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let (store, mut account) = Store::open(&path, sample).unwrap();
        drop(store);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
        let before = fs::read(&path).unwrap();
        let (mut store, _) = Store::open(&path, || panic!("exists")).unwrap();
        let why = store.read_only_reason().expect("read-only");
        assert!(
            why.contains("not writable") && why.contains("0400"),
            "{why}"
        );
        account.aliases.push("x".into());
        let err = store.save(&account).unwrap_err().to_string();
        assert!(err.contains("not writable"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), before);
        assert_eq!(mode(&path), 0o400);
        // It took no lock: a writer after `chmod u+w` is not kept out by this reader.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let (mut writer, _) = Store::open(&path, || panic!("exists")).unwrap();
        assert_eq!(writer.read_only_reason(), None);
        drop(store);
        // Made read-only while open: the next write is refused too.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = writer.save(&account).unwrap_err().to_string();
        assert!(err.contains("not writable"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_read_only_opener_takes_no_lock_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let err = Store::open_read_only(&path, "iamtui runs read-only (--read-only)".into())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("does not exist") && err.contains("--read-only"),
            "{err}"
        );
        assert!(names_in(dir.path()).is_empty());
        let (writer, account) = Store::open(&path, sample).unwrap();
        drop(writer);
        let (mut reader, read) = Store::open_read_only(&path, "asked".into()).unwrap();
        assert_eq!(read, account);
        assert_eq!(reader.read_only_reason().as_deref(), Some("asked"));
        assert!(reader.save(&account).is_err());
        // A writer still gets the lock while the reader is open.
        let (writer, _) = Store::open(&path, || panic!("exists")).unwrap();
        assert_eq!(writer.read_only_reason(), None);
    }
}
