//! `iamtui info`: where everything lives, and what the console would use.

use std::io::Write;
use std::path::Path;

use crate::cli::GlobalOptions;
use crate::config::Paths;
use crate::config::keymap::Keymap;
use crate::config::paths::{CONFIG_DIR_ENV, DATA_DIR_ENV};
use crate::config::settings::Settings;
use crate::config::setup::{Chosen, Setup};
use crate::config::theme::Theme;

fn describe(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => format!("{}", path.display()),
        Ok(m) => format!("{} ({} bytes)", path.display(), m.len()),
        Err(_) => format!("{} (not there yet)", path.display()),
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    out.sort();
    out
}

pub fn run(options: &GlobalOptions, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let paths = match Paths::from_env() {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "iamtui: {e}");
            return 2;
        }
    };
    let setup = Setup::for_options(options, Some(&paths));
    let account = options
        .local
        .account
        .clone()
        .unwrap_or_else(|| paths.account_file());
    let log = options.log_file.clone().unwrap_or_else(|| paths.log_file());
    let mut lines = vec![
        format!(
            "config directory  {}  (override: {CONFIG_DIR_ENV})",
            describe(paths.config_dir())
        ),
        format!("config file       {}", describe(&Settings::path(&paths))),
        format!(
            "themes            {}  user: {}",
            describe(&paths.themes_dir()),
            list(&names_in(&paths.themes_dir()))
        ),
        format!(
            "keymaps           {}  user: {}",
            describe(&paths.keymaps_dir()),
            list(&names_in(&paths.keymaps_dir()))
        ),
        format!(
            "data directory    {}  (override: {DATA_DIR_ENV})",
            describe(paths.data_dir())
        ),
        format!("log file          {}", describe(&log)),
        format!("local account     {}", describe(&account)),
        format!("built-in themes   {}", Theme::builtin_names().join(", ")),
        format!("built-in keymaps  {}", Keymap::builtin_names().join(", ")),
    ];
    lines.push(format!(
        "theme in use      {}",
        in_use(&setup.theme, setup.theme.value.name())
    ));
    lines.push(format!(
        "keymap in use     {}",
        in_use(&setup.keymap, setup.keymap.value.name())
    ));
    // Worded as the console's status bar words them.
    for problem in setup.problems() {
        lines.push(format!("problem           {problem}"));
    }
    for l in lines {
        if writeln!(out, "{l}").is_err() {
            return 2;
        }
    }
    0
}

/// What was asked for when it loaded; else what is used instead, and that the choice was not.
fn in_use<T>(chosen: &Chosen<T>, name: &str) -> String {
    match chosen.problem {
        None => chosen.asked.clone(),
        Some(_) => format!(
            "{name}, because `{}` could not be used (see the problem below)",
            chosen.asked
        ),
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}
