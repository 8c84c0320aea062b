//! The settings, theme and keymap the console uses: the command line's choice, else
//! config.toml's, else the default; a choice that cannot be loaded falls back to the default
//! with the reason. The console and `iamtui info` both ask here, so they cannot disagree.

use super::{Keymap, Paths, Settings, Theme};
use crate::cli::GlobalOptions;

/// What the user asked for, before anything is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wanted<'a> {
    /// `--theme`.
    pub theme: Option<&'a str>,
    /// `--keymap`.
    pub keymap: Option<&'a str>,
    /// The AWS profile, whose `[profiles.NAME]` may choose a theme.
    pub profile: Option<&'a str>,
    /// `NO_COLOR`, which picks the monochrome theme when none is chosen.
    pub no_color: Option<&'a str>,
}

/// A theme or keymap in use, and the one asked for.
#[derive(Debug, Clone)]
pub struct Chosen<T> {
    pub value: T,
    /// The name or path asked for.
    pub asked: String,
    /// Why `asked` is not the one in use, as the status bar says it.
    pub problem: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Setup {
    pub settings: Settings,
    pub settings_problem: Option<String>,
    pub theme: Chosen<Theme>,
    pub keymap: Chosen<Keymap>,
}

impl Setup {
    /// For the command line's options and this process's `NO_COLOR`. Without `paths` (no config
    /// directory) only the built-in themes and keymaps can be found.
    pub fn for_options(options: &GlobalOptions, paths: Option<&Paths>) -> Setup {
        let no_color = std::env::var_os("NO_COLOR");
        // A value that is not UTF-8 is still set and non-empty.
        let no_color = no_color.as_deref().map(|v| v.to_str().unwrap_or("set"));
        let wanted = Wanted {
            theme: options.theme.as_deref(),
            keymap: options.keymap.as_deref(),
            profile: options.profile(),
            no_color,
        };
        Setup::resolve(&wanted, paths)
    }

    pub fn resolve(wanted: &Wanted<'_>, paths: Option<&Paths>) -> Setup {
        let (settings, settings_problem) = match paths {
            Some(p) => Settings::load(p),
            None => (Settings::default(), None),
        };
        let asked_theme = wanted
            .theme
            .unwrap_or_else(|| settings.theme_name_for(wanted.profile, wanted.no_color))
            .to_owned();
        let asked_keymap = wanted.keymap.unwrap_or(&settings.keymap).to_owned();
        let default_theme = || {
            let name = Theme::default_name(wanted.no_color);
            Theme::builtin(name).expect("the default themes are built in")
        };
        let default_keymap =
            || Keymap::builtin(super::keymap::DEFAULT).expect("the default keymap is built in");
        Setup {
            settings_problem: settings_problem.map(|e| e.to_string()),
            theme: choose(
                "theme",
                asked_theme,
                paths,
                Theme::load,
                Theme::builtin,
                default_theme,
            ),
            keymap: choose(
                "keymap",
                asked_keymap,
                paths,
                Keymap::load,
                Keymap::builtin,
                default_keymap,
            ),
            settings,
        }
    }

    /// Every problem, in the order the status bar shows them.
    pub fn problems(&self) -> Vec<&str> {
        [
            &self.settings_problem,
            &self.theme.problem,
            &self.keymap.problem,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
    }
}

/// `asked` loaded from the config directory (only the presets without one), or `default` and
/// why not.
fn choose<T, E: std::fmt::Display>(
    noun: &str,
    asked: String,
    paths: Option<&Paths>,
    load: impl Fn(&str, &Paths) -> Result<T, E>,
    builtin: impl Fn(&str) -> Option<T>,
    default: impl Fn() -> T,
) -> Chosen<T> {
    let (value, problem) = match paths {
        Some(p) => match load(&asked, p) {
            Ok(v) => (v, None),
            Err(e) => (default(), Some(e.to_string())),
        },
        None => match builtin(&asked) {
            Some(v) => (v, None),
            None => (
                default(),
                Some(format!(
                    "`{asked}` is not a built-in {noun}, and there is no config directory to \
                     find it in"
                )),
            ),
        },
    };
    Chosen {
        value,
        asked,
        problem: problem.map(|e| format!("{e}; using the default {noun}")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing;
    use super::*;

    #[test]
    fn a_choice_that_does_not_load_falls_back_with_the_reason() {
        let config = "theme = \"nosuch\"\nkeymap = \"vim\"\n";
        let (_dir, p) = testing::config_dir("", &[("config", config)]);
        let s = Setup::resolve(&Wanted::default(), Some(&p));
        assert_eq!(s.theme.asked, "nosuch");
        assert_eq!(s.theme.value.name(), "dark");
        let problem = s.theme.problem.as_deref().unwrap();
        assert!(
            problem.starts_with("no theme named `nosuch`")
                && problem.ends_with("; using the default theme"),
            "{problem}"
        );
        assert_eq!(s.keymap.value.name(), "vim");
        assert!(s.keymap.problem.is_none());
        assert_eq!(s.problems(), [problem]);

        // The command line wins, and the default under NO_COLOR is monochrome.
        let wanted = Wanted {
            theme: Some("light"),
            keymap: Some("emacs"),
            no_color: Some("1"),
            ..Wanted::default()
        };
        let s = Setup::resolve(&wanted, Some(&p));
        assert_eq!(s.theme.value.name(), "light");
        assert_eq!(s.keymap.value.name(), "default");
        assert!(s.problems()[0].ends_with("; using the default keymap"));
        let wanted = Wanted {
            theme: Some("nosuch"),
            no_color: Some("1"),
            ..Wanted::default()
        };
        assert_eq!(
            Setup::resolve(&wanted, Some(&p)).theme.value.name(),
            "monochrome"
        );
    }

    #[test]
    fn without_a_config_directory_only_presets_are_found() {
        let wanted = Wanted {
            theme: Some("light"),
            keymap: Some("mine"),
            ..Wanted::default()
        };
        let s = Setup::resolve(&wanted, None);
        assert_eq!(s.theme.value.name(), "light");
        assert_eq!(s.keymap.value.name(), "default");
        assert_eq!(
            s.problems(),
            [
                "`mine` is not a built-in keymap, and there is no config directory to find it in; \
              using the default keymap"
            ]
        );
    }
}
