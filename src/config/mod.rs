//! Configuration: where files live ([`paths`]), how the console looks ([`theme`]), which keys
//! run which actions ([`keymap`]) and the user's settings ([`settings`]).
//!
//! Themes and keymaps are TOML files with the same life: presets compiled in from `themes/` and
//! `keymaps/`, user files of the same shape in the config directory that may `inherits` from a
//! preset or from each other, and errors that name the file and the line:column so the user can
//! fix them while the console carries on with the built-in default. This module holds what they
//! share: finding a named file, reading a TOML document with the position of every key and value,
//! and the document-level errors.

pub mod keymap;
pub mod paths;
pub mod settings;
pub mod setup;
pub mod theme;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

pub use keymap::{Binding, Key, Keymap, KeymapError, Resolution};
pub use paths::{Paths, PathsError};
pub use settings::{ProfileSettings, Settings, SettingsError};
pub use theme::{Theme, ThemeError};

/// A place in a config file: `file:line:column`, both counted from 1, columns in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The path, or `built-in themes/dark.toml`; shared by every location in the file.
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

impl Location {
    fn in_text(file: &Arc<str>, text: &str, offset: usize) -> Self {
        let before = &text[..floor_char_boundary(text, offset)];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            file: Arc::clone(file),
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// What every config file can get wrong before its own rules apply.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not TOML (the parser's message).
    #[error("{at}: {message}")]
    Syntax { at: Location, message: String },
    #[error("{at}: unknown key `{key}` (expected {expected}){hint}")]
    UnknownKey {
        at: Location,
        key: String,
        /// "; did you mean `x`?" or empty.
        hint: String,
        expected: String,
    },
    #[error("{at}: `{key}` must be {expected}, not {found}")]
    WrongType {
        at: Location,
        key: String,
        expected: &'static str,
        found: &'static str,
    },
    /// `kind` is `theme` or `keymap`, as in [`Kind::noun`].
    #[error(
        "no {kind} named `{name}`{hint}; the built-in {kind}s are {builtin}, and your own go in {dir}"
    )]
    NotFound {
        kind: &'static str,
        name: String,
        hint: String,
        builtin: String,
        dir: String,
    },
    #[error("{at}: no {kind} named `{name}` to inherit from{hint}")]
    UnknownInherits {
        at: Location,
        kind: &'static str,
        name: String,
        hint: String,
    },
    #[error("{at}: {kind}s inherit from each other in a cycle: {chain}")]
    Cycle {
        at: Location,
        kind: &'static str,
        chain: String,
    },
}

impl FileError {
    pub fn location(&self) -> Option<&Location> {
        match self {
            FileError::Read { .. } | FileError::NotFound { .. } => None,
            FileError::Syntax { at, .. }
            | FileError::UnknownKey { at, .. }
            | FileError::WrongType { at, .. }
            | FileError::UnknownInherits { at, .. }
            | FileError::Cycle { at, .. } => Some(at),
        }
    }
}

/// Where a theme or keymap came from; two sources are the same file when these are equal, which
/// is how inheritance cycles are found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    Builtin(&'static str),
    User(PathBuf),
}

/// A config file's text, its name (what `inherits` and the settings call it) and a label for
/// messages (its path, or `built-in themes/dark.toml`).
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub name: String,
    pub label: Arc<str>,
    pub text: Cow<'static, str>,
    pub origin: Origin,
}

impl Source {
    pub fn builtin(dir: &str, name: &'static str, text: &'static str) -> Self {
        Source {
            name: name.to_owned(),
            label: format!("built-in {dir}/{name}.toml").into(),
            text: Cow::Borrowed(text),
            origin: Origin::Builtin(name),
        }
    }

    pub fn read(path: &Path) -> Result<Self, FileError> {
        let text = std::fs::read_to_string(path).map_err(|source| FileError::Read {
            path: path.to_owned(),
            source,
        })?;
        Ok(Source {
            name: path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
            label: path.display().to_string().into(),
            text: Cow::Owned(text),
            origin: Origin::User(canonical(path)),
        })
    }

    pub fn at(&self, offset: usize) -> Location {
        Location::in_text(&self.label, &self.text, offset)
    }

    pub fn parse(&self) -> Result<DeTable<'_>, FileError> {
        DeTable::parse(&self.text)
            .map(Spanned::into_inner)
            .map_err(|e| self.syntax(&e))
    }

    pub fn syntax(&self, e: &toml::de::Error) -> FileError {
        FileError::Syntax {
            at: self.at(e.span().map_or(0, |s| s.start)),
            message: e.message().trim_end().to_owned(),
        }
    }

    pub fn unknown_key(&self, key: &Spanned<DeString<'_>>, known: &[&str]) -> FileError {
        FileError::UnknownKey {
            at: self.at(key.span().start),
            key: key.get_ref().to_string(),
            hint: hint(key.get_ref(), known.iter().copied()),
            expected: join_ticked(known),
        }
    }

    pub fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &'static str,
    ) -> FileError {
        FileError::WrongType {
            at: self.at(value.span().start),
            key: key.to_owned(),
            expected,
            found: match value.get_ref() {
                DeValue::String(_) => "a string",
                DeValue::Integer(_) => "an integer",
                DeValue::Float(_) => "a number",
                DeValue::Boolean(_) => "`true` or `false`",
                DeValue::Datetime(_) => "a date",
                DeValue::Array(_) => "a list",
                DeValue::Table(_) => "a table",
            },
        }
    }

    /// A table value, or the error naming `key`.
    pub fn table<'a, 'i>(
        &self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Result<&'a DeTable<'i>, FileError> {
        value
            .get_ref()
            .as_table()
            .ok_or_else(|| self.wrong_type(key, value, "a table"))
    }

    /// A list value, or the error naming `key` and saying what the list holds.
    pub fn array<'a, 'i>(
        &self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
        expected: &'static str,
    ) -> Result<&'a toml::de::DeArray<'i>, FileError> {
        value
            .get_ref()
            .as_array()
            .ok_or_else(|| self.wrong_type(key, value, expected))
    }

    /// A string value, or the error naming `key`.
    pub fn string<'a>(
        &self,
        key: &str,
        value: &'a Spanned<DeValue<'_>>,
    ) -> Result<&'a str, FileError> {
        value
            .get_ref()
            .as_str()
            .ok_or_else(|| self.wrong_type(key, value, "a string"))
    }
}

/// Themes or keymaps: their presets, and the folder of the user's own in the config directory.
pub(crate) struct Kind {
    /// `theme` or `keymap`, for messages.
    pub noun: &'static str,
    /// `themes` or `keymaps`: the presets' folder in the source and the user's in the config
    /// directory.
    pub dir: &'static str,
    pub presets: &'static [(&'static str, &'static str)],
    pub names: &'static [&'static str],
}

/// One file of an inheritance chain, checked for shape but not yet merged.
pub(crate) struct Layer<T> {
    pub src: Source,
    /// The `inherits` value and where it was written.
    pub inherits: Option<(String, usize)>,
    pub body: T,
}

impl Kind {
    /// The folder of the user's files; none (an empty path) for presets.
    fn user_dir(&self, paths: Option<&Paths>) -> PathBuf {
        paths.map_or_else(PathBuf::new, |p| p.config_dir().join(self.dir))
    }

    /// A preset by name.
    pub fn preset(&self, name: &str) -> Option<Source> {
        let (name, text) = self.presets.iter().find(|(n, _)| *n == name)?;
        Some(Source::builtin(self.dir, name, text))
    }

    /// Every name there is, presets first then the user's own.
    pub fn available(&self, paths: Option<&Paths>) -> Vec<String> {
        let mut names: Vec<String> = self.names.iter().map(|s| s.to_string()).collect();
        for n in user_names(&self.user_dir(paths)) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    }

    /// The file a theme or keymap name (or path) asked for by the user stands for.
    pub fn find(&self, name_or_path: &str, paths: &Paths) -> Result<Source, FileError> {
        let dir = self.user_dir(Some(paths));
        self.source(name_or_path, &dir, None)?
            .ok_or_else(|| FileError::NotFound {
                kind: self.noun,
                name: name_or_path.to_owned(),
                hint: self.hint(name_or_path, Some(paths)),
                builtin: join_ticked(self.names),
                dir: dir.display().to_string(),
            })
    }

    fn hint(&self, name: &str, paths: Option<&Paths>) -> String {
        hint(name, self.available(paths).iter().map(String::as_str))
    }

    /// Parses `root` and what it inherits, root first. `paths` is `None` for presets, which
    /// inherit only presets.
    pub fn chain<T, E: From<FileError>>(
        &self,
        root: Source,
        paths: Option<&Paths>,
        parse: impl Fn(Source) -> Result<Layer<T>, E>,
    ) -> Result<Vec<Layer<T>>, E> {
        let dir = self.user_dir(paths);
        let mut chain = vec![parse(root)?];
        loop {
            let cur = chain.last().expect("the chain starts with the root");
            let Some((parent, offset)) = cur.inherits.clone() else {
                return Ok(chain);
            };
            let at = cur.src.at(offset);
            let Some(src) = self.source(&parent, &dir, Some(&cur.src))? else {
                return Err(FileError::UnknownInherits {
                    at,
                    kind: self.noun,
                    hint: self.hint(&parent, paths),
                    name: parent,
                }
                .into());
            };
            if chain.iter().any(|l| l.src.origin == src.origin) {
                let mut names: Vec<&str> = chain.iter().map(|l| l.src.name.as_str()).collect();
                names.push(&src.name);
                return Err(FileError::Cycle {
                    at,
                    kind: self.noun,
                    chain: names.join(" → "),
                }
                .into());
            }
            chain.push(parse(src)?);
        }
    }

    /// How a named theme or keymap is found. A name with a path separator or a `.toml` ending
    /// is a file path. Otherwise the user's `DIR/NAME.toml` wins over a preset of that name,
    /// except that a user file never inherits itself: `themes/dark.toml` saying
    /// `inherits = "dark"` means the preset, so a user can extend a preset under its own name.
    /// Presets inherit presets only, so what they mean does not depend on the user's files.
    fn source(
        &self,
        name_or_path: &str,
        user_dir: &Path,
        from: Option<&Source>,
    ) -> Result<Option<Source>, FileError> {
        if from.is_some_and(|s| matches!(s.origin, Origin::Builtin(_))) {
            return Ok(self.preset(name_or_path));
        }
        if looks_like_path(name_or_path) {
            // Relative to the inheriting file, as a user who moves a folder of themes expects.
            let path = match from.map(|s| &s.origin) {
                Some(Origin::User(file)) => file
                    .parent()
                    .map_or_else(|| PathBuf::from(name_or_path), |d| d.join(name_or_path)),
                _ => PathBuf::from(name_or_path),
            };
            return Source::read(&path).map(Some);
        }
        let user = user_dir.join(format!("{name_or_path}.toml"));
        let is_self = from.is_some_and(|s| s.origin == Origin::User(canonical(&user)));
        if !is_self && user.is_file() {
            return Source::read(&user).map(Some);
        }
        if let Some(p) = self.preset(name_or_path) {
            return Ok(Some(p));
        }
        // Only the file itself is left: the caller reports the cycle.
        if is_self {
            return Source::read(&user).map(Some);
        }
        Ok(None)
    }
}

/// Reads `src` as a table whose `inherits` key is the same for every kind; `entry` takes each
/// other top-level entry, in file order, into the layer's body.
pub(crate) fn parse_layer<T: Default, E: From<FileError>>(
    src: Source,
    mut entry: impl FnMut(
        &Source,
        &mut T,
        &Spanned<DeString<'_>>,
        &Spanned<DeValue<'_>>,
    ) -> Result<(), E>,
) -> Result<Layer<T>, E> {
    let doc = src.parse()?;
    let mut inherits = None;
    let mut body = T::default();
    for (key, value) in entries(&doc) {
        if key.get_ref() == "inherits" {
            let name = src.string("inherits", value)?.to_owned();
            inherits = Some((name, value.span().start));
        } else {
            entry(&src, &mut body, key, value)?;
        }
    }
    drop(doc);
    Ok(Layer {
        src,
        inherits,
        body,
    })
}

/// One spelling per file, so that `a.toml` and `./x/../a.toml` are seen as the same file when
/// looking for inheritance cycles.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

fn looks_like_path(s: &str) -> bool {
    s.contains(['/', '\\']) || s.ends_with(".toml")
}

/// The names of the user's files in `dir` (`NAME.toml`), sorted.
fn user_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension()? == "toml" && p.is_file())
                .then(|| Some(p.file_stem()?.to_string_lossy().into_owned()))?
        })
        .collect();
    names.sort();
    names
}

/// A table's entries in the order they appear in the file, so the first problem reported is the
/// first one the user sees (the TOML map itself may be sorted by key).
pub(crate) fn entries<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>)> {
    let mut v: Vec<_> = table.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

/// `; did you mean `x`?` when one candidate is close to `word`: a third of its letters may
/// differ, and swapping two neighbours counts as one (`ligth`, `vmi`), the commonest typo in
/// short names.
pub(crate) fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let word_lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (typo_distance(&word_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= limit && *c != word)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Edit distance counting a swap of neighbours as one edit (optimal string alignment).
fn typo_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

pub(crate) fn join_ticked(names: &[&str]) -> String {
    let v: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    v.join(", ")
}

/// What the tests of themes, keymaps and settings share.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A temporary config (and data) directory holding `files` as `SUBDIR/NAME.toml`.
    pub fn config_dir(subdir: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Paths) {
        let dir = tempfile::tempdir().unwrap();
        let p = Paths::resolve(Some(dir.path().into()), Some(dir.path().into()), None).unwrap();
        let sub = dir.path().join(subdir);
        std::fs::create_dir_all(&sub).unwrap();
        for (name, text) in files {
            std::fs::write(sub.join(format!("{name}.toml")), text).unwrap();
        }
        (dir, p)
    }

    /// `line:column` of an error's location, for comparing.
    pub fn line_column(at: Option<&Location>, e: &dyn fmt::Display) -> String {
        let l = at.unwrap_or_else(|| panic!("no location: {e}"));
        format!("{}:{}", l.line, l.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters_from_one() {
        let (f, text) = (Arc::from("f"), "a = 1\nbé = 2\n");
        assert_eq!(Location::in_text(&f, text, 0).to_string(), "f:1:1");
        let at = text.find('2').unwrap();
        assert_eq!(Location::in_text(&f, text, at).to_string(), "f:2:6");
        assert_eq!(Location::in_text(&f, text, 999).line, 3);
    }

    #[test]
    fn hints_forgive_one_typo_per_three_letters() {
        assert_eq!(hint("ligth", ["light", "dark"]), "; did you mean `light`?");
        assert_eq!(hint("vmi", ["default", "vim"]), "; did you mean `vim`?");
        assert_eq!(hint("solarized", ["light", "dark"]), "");
        assert_eq!(typo_distance("abc", "abc"), 0);
        assert_eq!(typo_distance("kitten", "sitting"), 3);
    }
}
