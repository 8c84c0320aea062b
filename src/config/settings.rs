//! The user's settings: `config.toml` in the config directory.
//!
//! ```toml
//! theme = "dark"              # a theme name or file; unset: dark, or monochrome under NO_COLOR
//! keymap = "default"          # a keymap name or file
//! read_only = false           # hide and refuse every action that changes the account
//! key_age_warn_days = 90      # access keys older than this are shown as a warning
//! rotation_wait_seconds = 120 # the limit of a whole key rotation (`R`), 1 to 3600
//!
//! [profiles.prod]             # per AWS profile, over the settings above
//! read_only = true
//! theme = "high-contrast"
//! ```
//!
//! Every key is optional and a missing file is no error. A file that is not TOML leaves every
//! setting at its default; a bad key or value leaves only that setting at its default. Either
//! way the first problem comes back with its file:line:column to be shown to the user.

use std::collections::BTreeMap;
use std::mem::take;
use std::path::PathBuf;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{FileError, Location, Paths, Source, entries};
use crate::config::theme::Theme;

pub const FILE_NAME: &str = "config.toml";

const TOP_KEYS: &[&str] = &[
    "theme",
    "keymap",
    "read_only",
    "key_age_warn_days",
    "rotation_wait_seconds",
    "profiles",
];
const PROFILE_KEYS: &[&str] = &["theme", "read_only"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `None` when the user has not chosen: see [`Settings::theme_name_for`].
    pub theme: Option<String>,
    pub keymap: String,
    pub read_only: bool,
    pub key_age_warn_days: u32,
    /// The limit of a whole key rotation started in the console.
    pub rotation_wait_seconds: u32,
    /// By AWS profile name.
    pub profiles: BTreeMap<String, ProfileSettings>,
}

/// What one profile changes; `None` keeps the top-level setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSettings {
    pub read_only: Option<bool>,
    pub theme: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: None,
            keymap: super::keymap::DEFAULT.to_owned(),
            read_only: false,
            key_age_warn_days: 90,
            rotation_wait_seconds: 120,
            profiles: BTreeMap::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("{at}: `{key}` {message}")]
    Invalid {
        at: Location,
        key: String,
        message: &'static str,
    },
}

impl SettingsError {
    pub fn location(&self) -> Option<&Location> {
        match self {
            SettingsError::File(e) => e.location(),
            SettingsError::Invalid { at, .. } => Some(at),
        }
    }
}

impl Settings {
    pub fn path(paths: &Paths) -> PathBuf {
        paths.config_dir().join(FILE_NAME)
    }

    /// The settings, and the first problem with the file if it has one.
    pub fn load(paths: &Paths) -> (Settings, Option<SettingsError>) {
        let path = Self::path(paths);
        let src = match Source::read(&path) {
            Ok(src) => src,
            Err(FileError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return (Settings::default(), None);
            }
            Err(e) => return (Settings::default(), Some(e.into())),
        };
        let doc = match src.parse() {
            Ok(doc) => doc,
            Err(e) => return (Settings::default(), Some(e.into())),
        };
        let mut settings = Settings::default();
        let mut reader = Reader {
            src: &src,
            first: None,
        };
        reader.top(&doc, &mut settings);
        (settings, reader.first)
    }

    /// Whether the console runs read-only for this AWS profile.
    pub fn read_only_for(&self, profile: Option<&str>) -> bool {
        self.profile(profile)
            .and_then(|p| p.read_only)
            .unwrap_or(self.read_only)
    }

    /// The theme the user chose for this profile, if any.
    pub fn theme_for(&self, profile: Option<&str>) -> Option<&str> {
        self.profile(profile)
            .and_then(|p| p.theme.as_deref())
            .or(self.theme.as_deref())
    }

    /// The theme to load: the user's choice, else the default for `NO_COLOR` (a configured theme
    /// wins over `NO_COLOR`, as no-color.org asks).
    pub fn theme_name_for<'a>(&'a self, profile: Option<&str>, no_color: Option<&str>) -> &'a str {
        self.theme_for(profile)
            .unwrap_or_else(|| Theme::default_name(no_color))
    }

    fn profile(&self, profile: Option<&str>) -> Option<&ProfileSettings> {
        self.profiles.get(profile?)
    }
}

/// Applies what it can and keeps the first problem.
struct Reader<'s> {
    src: &'s Source,
    first: Option<SettingsError>,
}

impl Reader<'_> {
    fn note(&mut self, e: impl Into<SettingsError>) {
        self.first.get_or_insert(e.into());
    }

    fn top(&mut self, doc: &DeTable<'_>, s: &mut Settings) {
        for (key, value) in entries(doc) {
            match key.get_ref().as_ref() {
                "theme" => s.theme = self.string("theme", value).or(s.theme.take()),
                "keymap" => s.keymap = self.string("keymap", value).unwrap_or(take(&mut s.keymap)),
                "read_only" => s.read_only = self.bool("read_only", value).unwrap_or(s.read_only),
                "key_age_warn_days" => {
                    let days = self.whole("key_age_warn_days", value, "days", u32::MAX);
                    s.key_age_warn_days = days.unwrap_or(s.key_age_warn_days);
                }
                "rotation_wait_seconds" => {
                    let secs = self.whole("rotation_wait_seconds", value, "seconds", 3600);
                    s.rotation_wait_seconds = secs.unwrap_or(s.rotation_wait_seconds);
                }
                "profiles" => {
                    if let Some(t) = self.ok(self.src.table("profiles", value)) {
                        self.profiles(t, s);
                    }
                }
                _ => self.note(self.src.unknown_key(key, TOP_KEYS)),
            }
        }
    }

    fn profiles(&mut self, table: &DeTable<'_>, s: &mut Settings) {
        for (name, value) in entries(table) {
            let name = name.get_ref().to_string();
            let Some(t) = self.ok(self.src.table(&format!("profiles.{name}"), value)) else {
                continue;
            };
            let mut p = ProfileSettings::default();
            for (key, v) in entries(t) {
                match key.get_ref().as_ref() {
                    "read_only" => p.read_only = self.bool("read_only", v),
                    "theme" => p.theme = self.string("theme", v),
                    _ => self.note(self.src.unknown_key(key, PROFILE_KEYS)),
                }
            }
            s.profiles.insert(name, p);
        }
    }

    /// The value, or `None` after noting the problem.
    fn ok<T, E: Into<SettingsError>>(&mut self, r: Result<T, E>) -> Option<T> {
        r.map_err(|e| self.note(e)).ok()
    }

    fn string(&mut self, key: &str, v: &Spanned<DeValue<'_>>) -> Option<String> {
        let text = self.ok(self.src.string(key, v))?;
        if text.is_empty() {
            self.note(SettingsError::Invalid {
                at: self.src.at(v.span().start),
                key: key.to_owned(),
                message: "must not be empty",
            });
            return None;
        }
        Some(text.to_owned())
    }

    fn bool(&mut self, key: &str, v: &Spanned<DeValue<'_>>) -> Option<bool> {
        let b = v.get_ref().as_bool();
        self.ok(b.ok_or_else(|| self.src.wrong_type(key, v, "`true` or `false`")))
    }

    /// A whole number from 1 to `max` of `unit` (days, seconds).
    fn whole(
        &mut self,
        key: &'static str,
        v: &Spanned<DeValue<'_>>,
        unit: &'static str,
        max: u32,
    ) -> Option<u32> {
        let what = if unit == "days" {
            "a number of days"
        } else {
            "a number of seconds"
        };
        let int = v.get_ref().as_integer();
        let int = self.ok(int.ok_or_else(|| self.src.wrong_type(key, v, what)))?;
        match u32::from_str_radix(&int.as_str().replace('_', ""), int.radix()) {
            Ok(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                self.note(SettingsError::Invalid {
                    at: self.src.at(v.span().start),
                    key: key.into(),
                    message: if unit == "days" {
                        "must be a whole number of days from 1"
                    } else {
                        "must be a whole number of seconds from 1 to 3600"
                    },
                });
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: Option<&str>) -> (Settings, Option<SettingsError>) {
        let files: Vec<_> = text.map(|t| ("config", t)).into_iter().collect();
        let (_dir, p) = super::super::testing::config_dir("", &files);
        Settings::load(&p)
    }

    fn at(e: &SettingsError) -> String {
        super::super::testing::line_column(e.location(), e)
    }

    #[test]
    fn a_missing_file_is_the_defaults_without_error() {
        let (s, e) = load(None);
        assert!(e.is_none());
        assert_eq!(s, Settings::default());
        assert_eq!(s.keymap, "default");
        assert_eq!(s.key_age_warn_days, 90);
        assert!(!s.read_only_for(None));
        assert_eq!(s.theme_name_for(None, None), "dark");
        assert_eq!(s.theme_name_for(None, Some("1")), "monochrome");
    }

    #[test]
    fn profiles_override_the_top_level() {
        let (s, e) = load(Some(
            r#"
theme = "light"
keymap = "vim"
key_age_warn_days = 30

[profiles.prod]
read_only = true
theme = "high-contrast"

[profiles.dev]
read_only = false
"#,
        ));
        assert!(e.is_none(), "{e:?}");
        assert_eq!((s.keymap.as_str(), s.key_age_warn_days), ("vim", 30));
        assert_eq!(s.rotation_wait_seconds, 120);
        assert!(s.read_only_for(Some("prod")));
        assert!(!s.read_only_for(Some("dev")));
        assert!(!s.read_only_for(Some("other")));
        assert!(!s.read_only_for(None));
        assert_eq!(s.theme_name_for(Some("prod"), Some("1")), "high-contrast");
        assert_eq!(
            s.theme_name_for(Some("dev"), Some("1")),
            "light",
            "a chosen theme beats NO_COLOR"
        );

        let (s, _) = load(Some(
            "read_only = true\n[profiles.sandbox]\nread_only = false\n",
        ));
        assert!(s.read_only_for(Some("prod")));
        assert!(!s.read_only_for(Some("sandbox")));
    }

    #[test]
    fn errors_name_the_position_and_keep_the_rest() {
        let (s, e) = load(Some("read_only = true\ntheme = dark\n"));
        let e = e.unwrap();
        assert!(
            matches!(e, SettingsError::File(FileError::Syntax { .. })),
            "{e}"
        );
        assert_eq!(at(&e), "2:9");
        assert!(e.to_string().contains("config.toml:2:9"), "{e}");
        assert_eq!(s, Settings::default(), "not TOML: all defaults");

        let cases: &[(&str, &str)] = &[
            ("read_only = true\nthem = \"x\"\n", "2:1"),
            ("read_only = true\nkey_age_warn_days = -3\n", "2:21"),
            ("read_only = true\nkey_age_warn_days = \"90\"\n", "2:21"),
            (
                "read_only = true\n[profiles.x]\nread_only = \"yes\"\n",
                "3:13",
            ),
            ("read_only = true\n[profiles.x]\nreadonly = true\n", "3:1"),
            ("read_only = true\nkeymap = \"\"\n", "2:10"),
        ];
        for (text, pos) in cases {
            let (s, e) = load(Some(text));
            let e = e.unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(at(&e), *pos, "{text:?}: {e}");
            assert!(s.read_only, "{text:?}: the good keys still apply");
        }
        let (_, e) = load(Some("them = 1\n"));
        assert!(e.unwrap().to_string().contains("did you mean `theme`?"));
    }
}
