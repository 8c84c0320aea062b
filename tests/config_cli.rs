//! `iamtui info` as a person runs it, with the config and data directories of a temporary
//! home: it must name the theme and keymap the console really uses, and why an asked-for one
//! is not.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_iamtui");

/// `iamtui info ARGS` with its config directory in `dir/config` and data in `dir/data`.
fn info(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("info")
        .args(args)
        .env("IAMTUI_CONFIG_DIR", dir.join("config"))
        .env("IAMTUI_DATA_DIR", dir.join("data"))
        .env_remove("NO_COLOR")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .expect("run iamtui")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The value of an `info` line, e.g. `theme in use`.
fn line<'a>(stdout: &'a str, label: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no `{label}` line in:\n{stdout}"))
        .trim()
}

fn problems(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("problem"))
        .map(str::trim)
        .collect()
}

#[test]
fn a_theme_that_does_not_exist_is_reported_with_the_default_in_use() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("config/config.toml"),
        "theme = \"nosuch\"\n",
    );
    for args in [&[][..], &["--theme", "nosuch2"]] {
        let asked = args.last().copied().unwrap_or("nosuch");
        let out = info(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            line(&stdout, "theme in use"),
            format!("dark, because `{asked}` could not be used (see the problem below)"),
            "{stdout}"
        );
        let p = problems(&stdout);
        assert_eq!(p.len(), 1, "{stdout}");
        assert!(
            p[0].starts_with(&format!("no theme named `{asked}`"))
                && p[0].ends_with("; using the default theme"),
            "{stdout}"
        );
        assert_eq!(line(&stdout, "keymap in use"), "default", "{stdout}");
    }

    // A theme that loads is named as before.
    let out = info(dir.path(), &["--theme", "light"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(line(&stdout, "theme in use"), "light", "{stdout}");
    assert!(problems(&stdout).is_empty(), "{stdout}");
}

/// A user keymap that unbinds every way to quit is refused at the line that removed the last
/// one, and the default keymap is used.
#[test]
fn a_keymap_without_a_way_to_quit_is_refused_and_the_default_used() {
    let dir = tempfile::tempdir().unwrap();
    let text = "inherits = \"default\"\n[global]\nunbind = [\"q\", \"ctrl-c\", \":\"]\n";
    let file = dir.path().join("config/keymaps/noquit.toml");
    write(&file, text);
    let out = info(dir.path(), &["--keymap", "noquit"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        line(&stdout, "keymap in use"),
        "default, because `noquit` could not be used (see the problem below)",
        "{stdout}"
    );
    let column = text.lines().nth(2).unwrap().find("\":\"").unwrap() + 1;
    let p = problems(&stdout);
    assert_eq!(p.len(), 1, "{stdout}");
    assert!(
        p[0].starts_with(&format!(
            "{}:3:{column}: this leaves no key that quits iamtui from the list view",
            file.display()
        )) && p[0].ends_with("; using the default keymap"),
        "{stdout}"
    );
    assert_eq!(line(&stdout, "theme in use"), "dark", "{stdout}");
}
