//! The AWS shared credentials file (`~/.aws/credentials`), edited line by line.
//!
//! Ini crates drop comments and normalise spacing when they write, and this file is hand-kept:
//! [`CredentialsFile::with_keys`] changes only the lines holding a profile's keys and keeps every
//! other byte.
//!
//! - [`CredentialsFile::default_path`] is `AWS_SHARED_CREDENTIALS_FILE` (non-empty, `~/`
//!   expanded) else `$HOME/.aws/credentials`.
//! - [`CredentialsFile::load`] keeps the text byte for byte; a missing file loads as empty text.
//! - [`CredentialsFile::profiles`] and [`CredentialsFile::access_key_id`] answer as a reader
//!   would (with duplicate sections, the last value wins).
//! - [`CredentialsFile::with_keys`] returns the new text, with the profile's `aws_access_key_id`
//!   and `aws_secret_access_key` set and its session-token lines removed.
//! - [`CredentialsFile::write`] replaces the file atomically, mode 0600, after backing the
//!   current file up to `<file>.iamtui-backup`, which [`CredentialsFile::restore_backup`] puts
//!   back. It refuses when the file changed on disk since it was loaded.
//!
//! The syntax understood: a section header is a line `[name]` (inner spaces trimmed;
//! `[profile name]` is taken as `name`, as people paste config-file syntax; a `#`/`;` comment may
//! follow the `]`); full-line comments start with `#` or `;`; a key line is `key = value` with a
//! case-insensitive key, any indentation and spacing. Anything else is kept as it is.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const ACCESS_KEY_ID: &str = "aws_access_key_id";
const SECRET_ACCESS_KEY: &str = "aws_secret_access_key";
/// Keys of temporary credentials: stale once long-term keys are written.
const TOKEN_KEYS: [&str; 2] = ["aws_session_token", "aws_security_token"];
const BACKUP_SUFFIX: &str = ".iamtui-backup";

/// Why the credentials file could not be read or written. Never carries the file's text.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsFileError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot create the directory {}: {source}", path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot rename a temporary file over {}: {source}", path.display())]
    Rename { path: PathBuf, source: io::Error },
    #[error("cannot back {} up to {}: {source}", path.display(), backup.display())]
    Backup {
        path: PathBuf,
        backup: PathBuf,
        source: io::Error,
    },
    #[error("{} changed since it was read; not overwriting it", path.display())]
    Changed { path: PathBuf },
    #[error(
        "{} is read-only (mode {mode:04o}) and iamtui does not replace a file you protected: make it writable (chmod 600 {}) and run again",
        path.display(),
        path.display()
    )]
    ReadOnly { path: PathBuf, mode: u32 },
    #[error("{} is not a regular file; iamtui writes credentials only into a regular file", path.display())]
    NotAFile { path: PathBuf },
}

/// A shared credentials file as read from disk.
pub struct CredentialsFile {
    path: PathBuf,
    /// As read, byte for byte.
    text: String,
}

// By hand: the text holds secrets.
impl fmt::Debug for CredentialsFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsFile")
            .field("path", &self.path)
            .field("bytes", &self.text.len())
            .field("profiles", &self.profiles())
            .finish_non_exhaustive()
    }
}

impl CredentialsFile {
    /// `AWS_SHARED_CREDENTIALS_FILE` (non-empty) else `$HOME/.aws/credentials`.
    pub fn default_path() -> Option<PathBuf> {
        default_path_from(|name| std::env::var_os(name))
    }

    /// Reads the file; a missing file loads as empty text (writing creates it).
    pub fn load(path: &Path) -> Result<Self, CredentialsFileError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(CredentialsFileError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            text,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The key id the profile holds (`aws_access_key_id`), if any.
    pub fn access_key_id(&self, profile: &str) -> Option<String> {
        self.value(profile, ACCESS_KEY_ID)
    }

    /// The value of `key` (case-insensitive) in the profile, if any: the last one, as readers
    /// merge duplicate sections with later values winning. An empty value is none. Also reads
    /// the config file (`[profile name]` headers), e.g. a profile's `mfa_serial`.
    pub fn value(&self, profile: &str, key: &str) -> Option<String> {
        let mut section: Option<&str> = None;
        let mut found = None;
        for line in parse(&self.text) {
            match line.kind {
                Kind::Header(name) => section = Some(name),
                Kind::Pair { key: k, ref value }
                    if section == Some(profile) && k.eq_ignore_ascii_case(key) =>
                {
                    found = Some(&line.content[value.clone()]);
                }
                _ => {}
            }
        }
        found.filter(|v| !v.is_empty()).map(str::to_string)
    }

    /// The profile names, each once, in order of first appearance.
    pub fn profiles(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for line in parse(&self.text) {
            if let Kind::Header(name) = line.kind
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_string());
            }
        }
        names
    }

    /// Sets the profile's `aws_access_key_id` and `aws_secret_access_key` (and removes its
    /// `aws_session_token` / `aws_security_token` lines, which belong to temporary
    /// credentials); returns the new text. Every byte outside those lines is kept.
    ///
    /// With duplicate sections of the profile, every occurrence is updated (whichever one a
    /// reader takes, it gets the new key); a key no occurrence has goes into the last one, after
    /// its last key line. A missing profile is appended.
    pub fn with_keys(&self, profile: &str, key_id: &str, secret: &str) -> String {
        set_values(
            &self.text,
            profile,
            &[(ACCESS_KEY_ID, key_id), (SECRET_ACCESS_KEY, secret)],
        )
    }

    /// Like [`CredentialsFile::with_keys`], for temporary credentials: the session token is set
    /// too (an `aws_security_token` line, the old name, is removed).
    pub fn with_session(&self, profile: &str, key_id: &str, secret: &str, token: &str) -> String {
        set_values(
            &self.text,
            profile,
            &[
                (ACCESS_KEY_ID, key_id),
                (SECRET_ACCESS_KEY, secret),
                ("aws_session_token", token),
            ],
        )
    }

    /// Writes `text` atomically (temporary file in the same directory, fsync, rename, fsync of
    /// the directory) with mode 0600, after copying the current file to `<file>.iamtui-backup`
    /// (0600) when it exists; returns the backup's path when one was made. Creates the
    /// directory (0700) when missing.
    ///
    /// Refuses when the file changed on disk since it was loaded: `text` was derived from the
    /// old content, and writing it would lose the other change.
    pub fn write(&self, text: &str) -> Result<Option<PathBuf>, CredentialsFileError> {
        self.check_writable()?;
        let target = resolve(&self.path);
        let current = match fs::read(&target) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(CredentialsFileError::Read {
                    path: target,
                    source,
                });
            }
        };
        if current.as_deref().unwrap_or_default() != self.text.as_bytes() {
            return Err(CredentialsFileError::Changed {
                path: self.path.clone(),
            });
        }
        let dir = parent_dir(&target);
        if !dir.exists() {
            create_private_dir(dir).map_err(|source| CredentialsFileError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let backup = match current {
            Some(bytes) => {
                let backup = backup_path(&self.path);
                // Atomic too, so a crash never leaves a half backup over an older good one.
                atomic_write(&backup, &bytes).map_err(|(_, source)| {
                    CredentialsFileError::Backup {
                        path: self.path.clone(),
                        backup: backup.clone(),
                        source,
                    }
                })?;
                Some(backup)
            }
            None => None,
        };
        replace(&target, text.as_bytes())?;
        Ok(backup)
    }

    /// Refuses, before anything changes, a file [`CredentialsFile::write`] must not replace: one
    /// the user made read-only (0400: the atomic rename would replace it whatever its mode,
    /// silently undoing that choice) or one that is not a regular file. A missing file is fine.
    pub fn check_writable(&self) -> Result<(), CredentialsFileError> {
        let target = resolve(&self.path);
        match fs::metadata(&target) {
            Ok(m) if !m.is_file() => Err(CredentialsFileError::NotAFile {
                path: self.path.clone(),
            }),
            Ok(m) if m.permissions().readonly() => Err(CredentialsFileError::ReadOnly {
                path: self.path.clone(),
                mode: file_mode(&m),
            }),
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(CredentialsFileError::Read {
                path: self.path.clone(),
                source,
            }),
        }
    }

    /// Puts `<path>.iamtui-backup` back over `path` (atomically, 0600), for rollback. The
    /// backup stays.
    pub fn restore_backup(path: &Path) -> Result<(), CredentialsFileError> {
        let backup = backup_path(path);
        let bytes = fs::read(&backup).map_err(|source| CredentialsFileError::Read {
            path: backup.clone(),
            source,
        })?;
        replace(&resolve(path), &bytes)
    }
}

/// [`CredentialsFile::default_path`] with the environment as a parameter, for tests.
fn default_path_from(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let home = || {
        env("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
    };
    if let Some(file) = env("AWS_SHARED_CREDENTIALS_FILE").filter(|f| !f.is_empty()) {
        // The SDKs expand a leading `~/` in this variable; so does this.
        if let Some(rest) = file.to_str().and_then(|f| f.strip_prefix("~/"))
            && let Some(home) = home()
        {
            return Some(home.join(rest));
        }
        return Some(PathBuf::from(file));
    }
    home().map(|h| h.join(".aws").join("credentials"))
}

fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(BACKUP_SUFFIX);
    PathBuf::from(name)
}

/// The file a symlinked path points to: renaming over the link would replace it with a plain
/// file (dotfile managers link `~/.aws/credentials`).
fn resolve(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

fn file_mode(m: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        if m.permissions().readonly() {
            0o444
        } else {
            0o644
        }
    }
}

/// The directory of `path` (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

enum Step {
    Write,
    Rename,
}

/// [`atomic_write`] of the credentials file, its failure named by the step that failed.
fn replace(target: &Path, bytes: &[u8]) -> Result<(), CredentialsFileError> {
    atomic_write(target, bytes).map_err(|(step, source)| {
        let path = target.to_path_buf();
        match step {
            Step::Write => CredentialsFileError::Write { path, source },
            Step::Rename => CredentialsFileError::Rename { path, source },
        }
    })
}

/// [`atomic_write`] for files of iamtui's own (the rotation's recovery file).
pub(crate) fn atomic_write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_write(path, bytes).map_err(|(_, e)| e)
}

/// Temporary file in the target's directory, 0600, fsync, rename over the target, fsync of the
/// directory.
fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), (Step, io::Error)> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // tempfile creates the file 0600 and removes it if anything below fails.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| (Step::Write, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Explicit, whatever mode the file had before: it holds secrets.
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(|e| (Step::Write, e))?;
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| (Step::Write, e))?;
    tmp.persist(path).map_err(|e| (Step::Rename, e.error))?;
    // Best effort: the new file is in place, and an error now would make a caller roll back
    // a key that the file already holds. Some filesystems cannot sync a directory.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// One line of the file: its content without the line ending, and the ending (`\n`, `\r\n`,
/// or empty for a last line without one).
struct Line<'a> {
    content: &'a str,
    eol: &'a str,
    kind: Kind<'a>,
}

enum Kind<'a> {
    Header(&'a str),
    /// `key = value`: the trimmed key, and the value's byte range in the content (empty and at
    /// the end of the line when there is no value), so that a replacement keeps the spacing.
    Pair {
        key: &'a str,
        value: std::ops::Range<usize>,
    },
    /// Blank lines, comments and anything unrecognised: kept as they are.
    Other,
}

fn parse(text: &str) -> Vec<Line<'_>> {
    text.split_inclusive('\n')
        .map(|raw| {
            let (content, eol) = if let Some(c) = raw.strip_suffix("\r\n") {
                (c, "\r\n")
            } else if let Some(c) = raw.strip_suffix('\n') {
                (c, "\n")
            } else {
                (raw, "")
            };
            Line {
                content,
                eol,
                kind: classify(content),
            }
        })
        .collect()
}

fn classify(content: &str) -> Kind<'_> {
    let trimmed = content.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
        return Kind::Other;
    }
    if let Some(inner) = trimmed.strip_prefix('[') {
        if let Some((name, rest)) = inner.split_once(']') {
            let rest = rest.trim_start();
            if rest.is_empty() || rest.starts_with('#') || rest.starts_with(';') {
                let name = name.trim();
                let name = match name.strip_prefix("profile") {
                    Some(n) if n.starts_with(char::is_whitespace) => n.trim(),
                    _ => name,
                };
                return Kind::Header(name);
            }
        }
        return Kind::Other;
    }
    let Some(eq) = content.find('=') else {
        return Kind::Other;
    };
    let key = content[..eq].trim();
    if key.is_empty() {
        return Kind::Other;
    }
    let after = &content[eq + 1..];
    let start = eq + 1 + (after.len() - after.trim_start().len());
    let end = (eq + 1 + after.trim_end().len()).max(start);
    Kind::Pair {
        key,
        value: start..end,
    }
}

/// The text's line ending: that of its first line, `\n` when it has none.
fn line_ending(lines: &[Line<'_>]) -> &'static str {
    match lines.iter().map(|l| l.eol).find(|e| !e.is_empty()) {
        Some("\r\n") => "\r\n",
        _ => "\n",
    }
}

fn set_values(text: &str, profile: &str, wanted: &[(&str, &str)]) -> String {
    let lines = parse(text);
    let eol = line_ending(&lines);
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| matches!(lines[i].kind, Kind::Header(_)))
        .collect();
    let sections: Vec<std::ops::Range<usize>> = headers
        .iter()
        .enumerate()
        .filter(|&(_, &h)| matches!(lines[h].kind, Kind::Header(n) if n == profile))
        .map(|(n, &h)| h..headers.get(n + 1).copied().unwrap_or(lines.len()))
        .collect();
    if sections.is_empty() {
        return append_profile(text, &lines, eol, profile, wanted);
    }

    let mut replaced: Vec<Option<String>> = vec![None; lines.len()];
    let mut removed = vec![false; lines.len()];
    let mut found = vec![false; wanted.len()];
    // Where missing keys go: after the last kept key line of the last occurrence.
    let mut anchor = 0;
    for range in &sections {
        anchor = range.start;
        for i in range.clone() {
            let Kind::Pair { key, ref value } = lines[i].kind else {
                continue;
            };
            let set_here = wanted.iter().any(|(k, _)| key.eq_ignore_ascii_case(k));
            if !set_here && TOKEN_KEYS.iter().any(|t| key.eq_ignore_ascii_case(t)) {
                removed[i] = true;
                continue;
            }
            anchor = i;
            if let Some(w) = wanted.iter().position(|(k, _)| key.eq_ignore_ascii_case(k)) {
                let c = lines[i].content;
                replaced[i] = Some(format!(
                    "{}{}{}",
                    &c[..value.start],
                    wanted[w].1,
                    &c[value.end..]
                ));
                found[w] = true;
            }
        }
    }
    let inserted: Vec<String> = wanted
        .iter()
        .zip(found.iter().copied())
        .filter(|&(_, f)| !f)
        .map(|((k, v), _)| format!("{k} = {v}"))
        .collect();

    let mut out = String::with_capacity(text.len() + 128);
    for (i, line) in lines.iter().enumerate() {
        if !removed[i] {
            out.push_str(replaced[i].as_deref().unwrap_or(line.content));
            // A last line without an ending gets one when lines follow it.
            let more = i == anchor && !inserted.is_empty();
            out.push_str(if line.eol.is_empty() && more {
                eol
            } else {
                line.eol
            });
        }
        if i == anchor {
            for l in &inserted {
                out.push_str(l);
                out.push_str(eol);
            }
        }
    }
    out
}

fn append_profile(
    text: &str,
    lines: &[Line<'_>],
    eol: &str,
    profile: &str,
    wanted: &[(&str, &str)],
) -> String {
    let mut out = text.to_string();
    if let Some(last) = lines.last() {
        if last.eol.is_empty() {
            out.push_str(eol);
        }
        // Separated by a blank line, unless the file already ends with one.
        if !last.content.trim().is_empty() {
            out.push_str(eol);
        }
    }
    out.push_str(&format!("[{profile}]"));
    out.push_str(eol);
    for (k, v) in wanted {
        out.push_str(&format!("{k} = {v}"));
        out.push_str(eol);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    fn file(text: &str) -> CredentialsFile {
        CredentialsFile {
            path: PathBuf::from("/nonexistent/credentials"),
            text: text.to_string(),
        }
    }

    fn keys(text: &str, profile: &str) -> String {
        file(text).with_keys(profile, "AKIANEW", "SECRETNEW")
    }

    #[cfg(unix)]
    #[test]
    fn a_protected_file_is_refused_and_left_as_it_was() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        fs::write(&path, "[a]\naws_access_key_id = X\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
        let f = CredentialsFile::load(&path).unwrap();
        let text = f.with_keys("a", "AKIANEW", "SECRETNEW");
        let e = f.write(&text).unwrap_err();
        assert!(
            matches!(e, CredentialsFileError::ReadOnly { mode: 0o400, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("chmod 600"), "{e}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[a]\naws_access_key_id = X\n"
        );
        assert_eq!(mode(&path), 0o400);
        // A directory where the file should be is no file to write either.
        let not_a_file = CredentialsFile {
            path: dir.path().into(),
            text: String::new(),
        };
        assert!(matches!(
            not_a_file.check_writable(),
            Err(CredentialsFileError::NotAFile { .. })
        ));
    }

    #[test]
    fn replaces_values_and_keeps_comments_and_other_sections() {
        let text = "\
# my credentials
; managed by hand

[default]
# the old key
aws_access_key_id = AKIAOLD
aws_secret_access_key = SECRETOLD
region = eu-west-1

[other]
aws_access_key_id = AKIAOTHER
aws_secret_access_key = SECRETOTHER
";
        let out = keys(text, "default");
        assert_eq!(
            out,
            text.replace("AKIAOLD", "AKIANEW")
                .replace("SECRETOLD", "SECRETNEW")
        );
        assert_eq!(
            file(&out).access_key_id("default").as_deref(),
            Some("AKIANEW")
        );
        assert_eq!(
            file(&out).access_key_id("other").as_deref(),
            Some("AKIAOTHER")
        );
        assert_eq!(file(text).profiles(), ["default", "other"]);
    }

    #[test]
    fn keeps_odd_spacing_and_key_case() {
        let text =
            "[a]\naws_access_key_id=X\n  AWS_Secret_Access_Key   =   Y  \n\tregion\t=\teu\t\n";
        assert_eq!(
            keys(text, "a"),
            "[a]\naws_access_key_id=AKIANEW\n  AWS_Secret_Access_Key   =   SECRETNEW  \n\tregion\t=\teu\t\n"
        );
        let text = "[a]\n\tAWS_ACCESS_KEY_ID\t=\tX\t\naws_secret_access_key =\n";
        assert_eq!(
            keys(text, "a"),
            "[a]\n\tAWS_ACCESS_KEY_ID\t=\tAKIANEW\t\naws_secret_access_key =SECRETNEW\n"
        );
        assert_eq!(file(text).access_key_id("a").as_deref(), Some("X"));
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let text = "; c\r\n[a]\r\naws_access_key_id = X\r\nregion = eu\r\n\r\n[b]\r\nx = 1\r\n";
        assert_eq!(
            keys(text, "a"),
            "; c\r\n[a]\r\naws_access_key_id = AKIANEW\r\nregion = eu\r\n\
             aws_secret_access_key = SECRETNEW\r\n\r\n[b]\r\nx = 1\r\n"
        );
        assert_eq!(
            keys("[x]\r\ny = 1\r\n", "new"),
            "[x]\r\ny = 1\r\n\r\n[new]\r\naws_access_key_id = AKIANEW\r\naws_secret_access_key = SECRETNEW\r\n"
        );
    }

    #[test]
    fn missing_keys_go_after_the_last_key_line_or_the_header() {
        let text = "[a]\nregion = eu\n# trailing comment\n\n[b]\n";
        assert_eq!(
            keys(text, "a"),
            "[a]\nregion = eu\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n\
             # trailing comment\n\n[b]\n"
        );
        assert_eq!(
            keys("[a]\n# only a comment\n[b]\n", "a"),
            "[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n# only a comment\n[b]\n"
        );
        assert_eq!(
            keys("[a]", "a"),
            "[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n"
        );
    }

    #[test]
    fn duplicate_sections_are_all_updated() {
        let text = "[a]\naws_access_key_id = X1\n[b]\nk = v\n[a]\naws_access_key_id = X2\n";
        assert_eq!(
            keys(text, "a"),
            "[a]\naws_access_key_id = AKIANEW\n[b]\nk = v\n[a]\naws_access_key_id = AKIANEW\n\
             aws_secret_access_key = SECRETNEW\n"
        );
        assert_eq!(file(text).access_key_id("a").as_deref(), Some("X2"));
        assert_eq!(file(text).profiles(), ["a", "b"]);
        // Only the first occurrence holds the secret: it is updated there, not added.
        let text = "[a]\naws_secret_access_key = S\n[a]\nregion = eu\n";
        assert_eq!(
            keys(text, "a"),
            "[a]\naws_secret_access_key = SECRETNEW\n[a]\nregion = eu\naws_access_key_id = AKIANEW\n"
        );
    }

    #[test]
    fn no_trailing_newline() {
        assert_eq!(
            keys("[a]\naws_access_key_id = X", "a"),
            "[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n"
        );
        assert_eq!(
            keys("[a]\naws_access_key_id = X\naws_secret_access_key = Y", "a"),
            "[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW"
        );
        assert_eq!(
            keys("[x]\ny = 1", "a"),
            "[x]\ny = 1\n\n[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n"
        );
    }

    #[test]
    fn empty_file_and_missing_profile() {
        let new = "[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n";
        assert_eq!(keys("", "a"), new);
        assert_eq!(keys("[x]\ny = 1\n", "a"), format!("[x]\ny = 1\n\n{new}"));
        // Already ends with a blank line: no second one.
        assert_eq!(keys("[x]\ny = 1\n\n", "a"), format!("[x]\ny = 1\n\n{new}"));
        assert_eq!(keys("# c\n  \n", "a"), format!("# c\n  \n{new}"));
        assert_eq!(file("").access_key_id("a"), None);
        assert!(file("").profiles().is_empty());
        assert_eq!(file("[a]\naws_access_key_id =\n").access_key_id("a"), None);
        let config = file("[default]\nregion = eu\n[profile dev]\nMFA_Serial = arn:x\n");
        assert_eq!(config.value("dev", "mfa_serial").as_deref(), Some("arn:x"));
        assert_eq!(config.value("default", "mfa_serial"), None);
    }

    #[test]
    fn profile_prefixed_headers_and_spaced_names() {
        let text =
            "[profile a]\naws_access_key_id = X\n[ b ]\naws_access_key_id = Y\n[profile]\nk=v\n";
        let f = file(text);
        assert_eq!(f.profiles(), ["a", "b", "profile"]);
        assert_eq!(f.access_key_id("a").as_deref(), Some("X"));
        assert_eq!(f.access_key_id("b").as_deref(), Some("Y"));
        let out = keys(text, "b");
        assert!(out.starts_with(
            "[profile a]\naws_access_key_id = X\n[ b ]\naws_access_key_id = AKIANEW\n"
        ));
        assert_eq!(
            keys("[ a ] # main\nk = v\n", "a").lines().nth(2),
            Some("aws_access_key_id = AKIANEW")
        );
        // A comment that looks like a header or a key is not one.
        let f = file("# [a]\n; aws_access_key_id = X\n");
        assert!(f.profiles().is_empty());
    }

    #[test]
    fn session_tokens_are_removed_only_from_the_profile() {
        let text = "[a]\naws_access_key_id = ASIA\naws_secret_access_key = S\nAWS_Session_Token = T\n\
                    aws_security_token = T2\n[b]\naws_session_token = TB\n";
        assert_eq!(
            keys(text, "a"),
            "[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n[b]\naws_session_token = TB\n"
        );
        // Keys missing and only a token: inserted after the header.
        assert_eq!(
            keys("[a]\naws_session_token = T\n# c\n", "a"),
            "[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n# c\n"
        );
        // The token was the last line, without an ending.
        assert_eq!(
            keys(
                "[a]\naws_access_key_id = X\naws_secret_access_key = Y\naws_session_token = T",
                "a"
            ),
            "[a]\naws_access_key_id = AKIANEW\naws_secret_access_key = SECRETNEW\n"
        );
    }

    #[test]
    fn temporary_credentials_keep_their_token() {
        let text =
            "[x]\naws_access_key_id = A\naws_session_token = OLD\naws_security_token = OLDER\n";
        let out = file(text).with_session("x", "ASIA1", "S", "TOKEN");
        assert_eq!(
            out,
            "[x]\naws_access_key_id = ASIA1\naws_session_token = TOKEN\naws_secret_access_key = S\n"
        );
        let out = file("").with_session("new", "ASIA1", "S", "T");
        assert_eq!(
            out,
            "[new]\naws_access_key_id = ASIA1\naws_secret_access_key = S\naws_session_token = T\n"
        );
    }

    #[test]
    fn debug_and_errors_do_not_show_secrets() {
        let f = file("[a]\naws_access_key_id = AKIAX\naws_secret_access_key = TOPSECRET\n");
        let debug = format!("{f:?}");
        assert!(
            !debug.contains("TOPSECRET") && !debug.contains("AKIAX"),
            "{debug}"
        );
        assert!(debug.contains("\"a\""), "{debug}");
    }

    #[test]
    fn default_path_prefers_the_environment() {
        for (file, want) in [
            ("/x/creds", "/x/creds"),
            ("~/c", "/h/c"),
            ("", "/h/.aws/credentials"),
        ] {
            let env = |name: &str| match name {
                "AWS_SHARED_CREDENTIALS_FILE" => Some(file.into()),
                "HOME" => Some("/h".into()),
                _ => None,
            };
            assert_eq!(default_path_from(env), Some(PathBuf::from(want)), "{file}");
        }
    }

    /// The permission bits of `path`.
    #[cfg(unix)]
    pub(crate) fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    pub(crate) fn is_symlink(path: &Path) -> bool {
        fs::symlink_metadata(path).unwrap().file_type().is_symlink()
    }

    /// The names in `dir`, sorted.
    pub(crate) fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn write_backs_up_replaces_with_0600_and_restores() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        let old = "# keep me\n[a]\naws_access_key_id = OLD\naws_secret_access_key = S\n";
        fs::write(&path, old).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();

        let f = CredentialsFile::load(&path).unwrap();
        assert_eq!(f.text(), old);
        let new = f.with_keys("a", "AKIANEW", "SECRETNEW");
        let backup = f.write(&new).unwrap().expect("a backup");
        assert_eq!(backup, dir.path().join("credentials.iamtui-backup"));
        assert_eq!(fs::read_to_string(&path).unwrap(), new);
        assert_eq!(fs::read_to_string(&backup).unwrap(), old);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&backup), 0o600);
        // No temporary files left behind.
        assert_eq!(
            names_in(dir.path()),
            ["credentials", "credentials.iamtui-backup"]
        );

        CredentialsFile::restore_backup(&path).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), old);
        assert_eq!(mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn write_creates_a_missing_file_and_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aws").join("credentials");
        let f = CredentialsFile::load(&path).unwrap();
        assert_eq!(f.text(), "");
        let new = f.with_keys("default", "AKIANEW", "SECRETNEW");
        assert_eq!(f.write(&new).unwrap(), None);
        assert_eq!(fs::read_to_string(&path).unwrap(), new);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let err = CredentialsFile::restore_backup(&path).unwrap_err();
        assert!(matches!(err, CredentialsFileError::Read { .. }), "{err}");
        assert!(
            err.to_string().contains("credentials.iamtui-backup"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn write_refuses_a_file_changed_since_it_was_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        fs::write(&path, "[a]\naws_access_key_id = OLD\n").unwrap();
        let f = CredentialsFile::load(&path).unwrap();
        fs::write(&path, "[a]\naws_access_key_id = OTHER\n").unwrap();
        let err = f.write(&f.with_keys("a", "N", "S")).unwrap_err();
        assert!(matches!(err, CredentialsFileError::Changed { .. }), "{err}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[a]\naws_access_key_id = OTHER\n"
        );
        assert!(!backup_path(&path).exists());
    }

    #[cfg(unix)]
    #[test]
    fn write_follows_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let link = dir.path().join("credentials");
        fs::write(&real, "[a]\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let f = CredentialsFile::load(&link).unwrap();
        f.write(&f.with_keys("a", "N", "S")).unwrap();
        assert!(is_symlink(&link));
        assert_eq!(
            CredentialsFile::load(&real)
                .unwrap()
                .access_key_id("a")
                .as_deref(),
            Some("N")
        );
        CredentialsFile::restore_backup(&link).unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "[a]\n");
        assert!(is_symlink(&link));
    }

    // Property test: random files, with the generator knowing what each line is, so the checks
    // do not rely on the parser under test.

    const TARGET: &str = "target";

    #[derive(Debug, Clone)]
    enum Body {
        Blank(String),
        Comment(String),
        /// indentation, key, spacing before `=`, spacing after `=`, value, trailing spacing
        Pair(String, String, String, String, String, String),
    }

    #[derive(Debug, Clone)]
    struct Section {
        name: &'static str,
        header: String,
        body: Vec<Body>,
    }

    #[derive(Debug, Clone)]
    struct Generated {
        preamble: Vec<Body>,
        sections: Vec<Section>,
        crlf: bool,
        trailing_newline: bool,
    }

    /// A rendered line and what it is.
    #[derive(Debug, Clone, PartialEq)]
    struct Rendered {
        text: String,
        in_target: bool,
        /// `aws_access_key_id` or `aws_secret_access_key`, lowercased.
        key: Option<String>,
        token: bool,
    }

    fn spaces() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["", " ", "  ", "\t", " \t "]).prop_map(str::to_string)
    }

    fn random_case(word: &'static str) -> impl Strategy<Value = String> {
        prop::collection::vec(any::<bool>(), word.len()).prop_map(move |upper| {
            word.chars()
                .zip(upper)
                .map(|(c, u)| if u { c.to_ascii_uppercase() } else { c })
                .collect()
        })
    }

    fn key_name() -> impl Strategy<Value = String> {
        prop_oneof![
            random_case("aws_access_key_id"),
            random_case("aws_secret_access_key"),
            random_case("aws_session_token"),
            random_case("aws_security_token"),
            Just("region".to_string()),
            "[a-z_]{1,12}",
        ]
    }

    fn body() -> impl Strategy<Value = Body> {
        prop_oneof![
            spaces().prop_map(Body::Blank),
            (
                prop::sample::select(vec!["#", ";", "  #", "\t;"]),
                "[ a-zA-Z0-9=\\[\\]_]{0,20}"
            )
                .prop_map(|(p, t)| Body::Comment(format!("{p}{t}"))),
            (
                spaces(),
                key_name(),
                spaces(),
                spaces(),
                "[A-Za-z0-9/+]{0,12}",
                spaces()
            )
                .prop_map(|(a, k, b, c, v, d)| Body::Pair(a, k, b, c, v, d)),
        ]
    }

    fn section() -> impl Strategy<Value = Section> {
        (
            prop::sample::select(vec![TARGET, "default", "dev"]),
            0..5usize,
            prop::collection::vec(body(), 0..6),
        )
            .prop_map(|(name, style, body)| Section {
                name,
                header: match style {
                    0 => format!("[{name}]"),
                    1 => format!("[ {name} ]"),
                    2 => format!("[profile {name}]"),
                    3 => format!("  [{name}]\t"),
                    _ => format!("[{name}] # note"),
                },
                body,
            })
    }

    fn generated() -> impl Strategy<Value = Generated> {
        (
            prop::collection::vec(body(), 0..3),
            prop::collection::vec(section(), 0..6),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(preamble, sections, crlf, trailing_newline)| Generated {
                preamble,
                sections,
                crlf,
                trailing_newline,
            })
    }

    fn render_body(b: &Body, in_target: bool) -> Rendered {
        let (text, key) = match b {
            Body::Blank(s) => (s.clone(), None),
            Body::Comment(s) => (s.clone(), None),
            Body::Pair(a, k, b, c, v, d) => {
                (format!("{a}{k}{b}={c}{v}{d}"), Some(k.to_ascii_lowercase()))
            }
        };
        let token = key.as_deref().is_some_and(|k| TOKEN_KEYS.contains(&k));
        let key = key.filter(|k| k == ACCESS_KEY_ID || k == SECRET_ACCESS_KEY);
        Rendered {
            text,
            in_target,
            key,
            token,
        }
    }

    impl Generated {
        fn eol(&self) -> &'static str {
            if self.crlf { "\r\n" } else { "\n" }
        }

        /// The lines, and whether the text ends with a line ending. A last blank line
        /// without an ending is no line at all: such a text ends with one instead.
        fn lines(&self) -> (Vec<Rendered>, bool) {
            let mut out: Vec<Rendered> = self
                .preamble
                .iter()
                .map(|b| render_body(b, false))
                .collect();
            for s in &self.sections {
                let t = s.name == TARGET;
                out.push(Rendered {
                    text: s.header.clone(),
                    in_target: t,
                    key: None,
                    token: false,
                });
                out.extend(s.body.iter().map(|b| render_body(b, t)));
            }
            let mut trailing = self.trailing_newline;
            if !trailing && out.last().is_some_and(|l| l.text.is_empty()) {
                out.pop();
                trailing = true;
            }
            (out, trailing)
        }

        fn text(&self) -> String {
            let (lines, trailing) = self.lines();
            let mut text = lines
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(self.eol());
            if trailing && !lines.is_empty() {
                text.push_str(self.eol());
            }
            text
        }
    }

    /// The result's lines classified with the generator's vocabulary: headers are the only
    /// lines whose trimmed text starts with `[`, and keys are whatever precedes the first `=`
    /// of a line that is not a comment.
    fn classify_result(text: &str) -> Vec<Rendered> {
        let mut in_target = false;
        let mut parts: Vec<&str> = text.split('\n').collect();
        if parts.last() == Some(&"") {
            parts.pop();
        }
        parts
            .into_iter()
            .map(|l| {
                let l = l.strip_suffix('\r').unwrap_or(l);
                let t = l.trim();
                if t.starts_with('[') {
                    in_target =
                        t.contains(&format!(" {TARGET}")) || t.starts_with(&format!("[{TARGET}]"));
                    return Rendered {
                        text: l.to_string(),
                        in_target,
                        key: None,
                        token: false,
                    };
                }
                let key = (!t.starts_with('#') && !t.starts_with(';'))
                    .then(|| {
                        l.split_once('=')
                            .map(|(k, _)| k.trim().to_ascii_lowercase())
                    })
                    .flatten();
                let token = key.as_deref().is_some_and(|k| TOKEN_KEYS.contains(&k));
                Rendered {
                    text: l.to_string(),
                    in_target,
                    key: key.filter(|k| k == ACCESS_KEY_ID || k == SECRET_ACCESS_KEY),
                    token,
                }
            })
            .collect()
    }

    fn value_of(line: &str) -> &str {
        line.split_once('=')
            .map(|(_, v)| v.trim())
            .unwrap_or_default()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn with_keys_changes_only_the_profiles_key_lines(
            g in generated(),
            new_id in "AKIA[A-Z0-9]{4,16}",
            new_secret in "[A-Za-z0-9/+]{8,40}",
        ) {
            let text = g.text();
            let (before, _) = g.lines();
            let after_text = file(&text).with_keys(TARGET, &new_id, &new_secret);
            let after = classify_result(&after_text);
            // A text without any line ending gets `\n` for the lines added to it.
            let eol = if text.contains('\n') { g.eol() } else { "\n" };

            // Line endings: all the file's own, and a trailing one unless the input lacked it
            // and nothing was inserted after its last line.
            for (i, piece) in after_text.split_inclusive('\n').enumerate() {
                prop_assert!(piece.ends_with(eol) || i == after.len() - 1, "{:?}", piece);
                prop_assert!(eol == "\r\n" || !piece.ends_with("\r\n"), "{:?}", piece);
            }

            // (1) Everything outside the target's sections: same lines, same order. (When
            // the profile is appended, a separating blank line may precede it: the exact text is
            // checked below.)
            let outside = |ls: &[Rendered]| -> Vec<String> {
                ls.iter().filter(|l| !l.in_target).map(|l| l.text.clone()).collect()
            };
            let mut outside_after = outside(&after);
            if !before.iter().any(|l| l.in_target)
                && outside_after.len() == before.len() + 1
                && outside_after.last().is_some_and(|l| l.is_empty())
            {
                outside_after.pop();
            }
            prop_assert_eq!(outside(&before), outside_after);

            // (2) The reader sees the new key, and applying the same keys again changes nothing.
            let result = file(&after_text);
            prop_assert_eq!(result.access_key_id(TARGET), Some(new_id.clone()));
            prop_assert_eq!(result.with_keys(TARGET, &new_id, &new_secret), after_text.clone());

            let target_before: Vec<&Rendered> = before.iter().filter(|l| l.in_target).collect();
            let target_after: Vec<&Rendered> = after.iter().filter(|l| l.in_target).collect();
            if target_before.is_empty() {
                // Appended, separated by one blank line (unless there is one already).
                let mut expected = text.clone();
                if let Some(last) = before.last() {
                    if !text.ends_with('\n') {
                        expected.push_str(eol);
                    }
                    if !last.text.trim().is_empty() {
                        expected.push_str(eol);
                    }
                }
                expected.push_str(&format!(
                    "[{TARGET}]{eol}aws_access_key_id = {new_id}{eol}aws_secret_access_key = {new_secret}{eol}"
                ));
                prop_assert_eq!(after_text, expected);
            } else {
                // (3) Inside the target's sections, all but key and token lines unchanged.
                let rest = |ls: &[&Rendered]| -> Vec<String> {
                    ls.iter().filter(|l| l.key.is_none() && !l.token).map(|l| l.text.clone()).collect()
                };
                prop_assert_eq!(rest(&target_before), rest(&target_after));
                prop_assert!(target_after.iter().all(|l| !l.token));
                // Every key line holds the new value; kept ones keep their spacing.
                for l in target_after.iter().filter(|l| l.key.is_some()) {
                    let want = if l.key.as_deref() == Some(ACCESS_KEY_ID) { &new_id } else { &new_secret };
                    prop_assert_eq!(value_of(&l.text), want.as_str());
                }
                let kept: Vec<String> = target_before
                    .iter()
                    .filter(|l| l.key.is_some())
                    .map(|l| {
                        let (k, v) = l.text.split_once('=').unwrap();
                        let value = v.trim();
                        let want = if l.key.as_deref() == Some(ACCESS_KEY_ID) { &new_id } else { &new_secret };
                        let v = if value.is_empty() {
                            let ws = v.len() - v.trim_start().len();
                            format!("{}{want}", &v[..ws])
                        } else {
                            v.replacen(value, want, 1)
                        };
                        format!("{k}={v}")
                    })
                    .collect();
                let after_keys: Vec<String> =
                    target_after.iter().filter(|l| l.key.is_some()).map(|l| l.text.clone()).collect();
                // The kept key lines come first in order; any inserted ones are the canonical form.
                for (i, line) in after_keys.iter().enumerate() {
                    match kept.get(i) {
                        Some(k) => prop_assert_eq!(line, k),
                        None => prop_assert!(
                            line == &format!("aws_access_key_id = {new_id}")
                                || line == &format!("aws_secret_access_key = {new_secret}"),
                            "{:?}", line
                        ),
                    }
                }
            }
        }
    }
}
