//! A keymap must leave a way to quit: otherwise the console can only be killed from outside,
//! and raw mode takes ctrl-c away from the terminal.
//!
//! What quits is decided by actions, not key names: `quit`, or `command` (the command line,
//! where `:q` quits) when `[prompt]` lets `q` be typed and binds `confirm` to submit it. `back`
//! (esc) never quits. Both main views (a list, a detail view) must offer one, with `[global]`
//! behind them as when the console resolves keys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Entry, Key, Keymap, KeymapError, RawKeymap, Resolution, bind, slot, unbind};
use crate::commands::{Command, Context, PromptCommand, ShellCommand};
use crate::config::Location;

/// The views the console opens on; every one of them must have a way out.
const MAIN_VIEWS: [Context; 2] = [Context::List, Context::Detail];

/// Fails when `keymap` (merged from `chain`, root first) has a main view without a way to quit,
/// naming the line that took the last one away, or the root file when no single line did.
pub(super) fn check(keymap: &Keymap, chain: &[RawKeymap]) -> Result<(), KeymapError> {
    let Some(view) = view_without_quit(keymap) else {
        return Ok(());
    };
    let root = &chain.first().expect("the chain starts with the root").src;
    let (place, location) = match last_to_remove_quit(chain) {
        Some(at) => (at.to_string(), Some(at)),
        None => (root.label.to_string(), None),
    };
    Err(KeymapError::NoWayToQuit {
        place,
        location,
        view: view.name(),
    })
}

/// The first main view in which no key quits.
fn view_without_quit(keymap: &Keymap) -> Option<Context> {
    MAIN_VIEWS.into_iter().find(|v| !quits_from(keymap, *v))
}

/// Whether a key in `view` (or `[global]`, when `view` does not take it) quits.
fn quits_from(keymap: &Keymap, view: Context) -> bool {
    let runs = |command: Command| {
        [view, Context::Global].iter().any(|c| {
            keymap.sections[slot(*c)].iter().any(|e| {
                e.command == command
                    && keymap.resolve(&[view, Context::Global], &events(e))
                        == Resolution::Run(command)
            })
        })
    };
    runs(ShellCommand::Quit.into())
        || (runs(ShellCommand::CommandLine.into()) && command_line_quits(keymap))
}

/// Whether `:q` can be typed and submitted: prompts take single keys, and a bound key is not
/// typed.
fn command_line_quits(keymap: &Keymap) -> bool {
    let prompt = &keymap.sections[slot(Context::Prompt)];
    let q = Key::new(KeyCode::Char('q'), KeyModifiers::NONE);
    let q_types = !prompt.iter().any(|e| e.keys == [q]);
    let confirms = prompt
        .iter()
        .any(|e| e.keys.len() == 1 && e.command == PromptCommand::Confirm.into());
    q_types && confirms
}

fn events(e: &Entry) -> Vec<KeyEvent> {
    e.keys.iter().map(|k| k.to_event()).collect()
}

/// Replays the merge one unbinding or binding at a time, oldest file first, and returns where
/// the console last went from having a way to quit to having none.
fn last_to_remove_quit(chain: &[RawKeymap]) -> Option<Location> {
    let mut keymap = Keymap {
        name: String::new(),
        sections: Default::default(),
    };
    let mut could_quit = false;
    let mut culprit = None;
    let mut step = |keymap: &Keymap, at: &Location| {
        let can_quit = view_without_quit(keymap).is_none();
        if could_quit && !can_quit {
            culprit = Some(at.clone());
        }
        could_quit = can_quit;
    };
    for file in chain.iter().rev() {
        for (i, raw) in file.body.iter().enumerate() {
            let Some(raw) = raw else { continue };
            for (keys, at) in &raw.unbind {
                unbind(&mut keymap.sections[i], keys);
                step(&keymap, at);
            }
            for entry in &raw.bindings {
                bind(&mut keymap.sections[i], entry.clone());
                step(&keymap, &entry.at);
            }
        }
    }
    culprit
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, load};
    use super::*;

    fn no_quit(files: &[(&str, &str)], name: &str) -> KeymapError {
        let e = load(files, name).unwrap_err();
        assert!(matches!(e, KeymapError::NoWayToQuit { .. }), "{e}");
        e
    }

    /// `line:column` of the last occurrence of `needle` in `text`.
    fn pos(text: &str, needle: &str) -> String {
        let offset = text.rfind(needle).expect("the needle is in the text");
        let l = Location::in_text(&"".into(), text, offset);
        format!("{}:{}", l.line, l.column)
    }

    #[test]
    fn unbinding_every_way_to_quit_points_at_the_last_one_removed() {
        let text =
            "inherits = \"default\"\n[global]\nunbind = [\"q\", \":\", \"esc\", \"ctrl-c\"]\n";
        let e = no_quit(&[("mine", text)], "mine");
        assert_eq!(at(&e), pos(text, "\"ctrl-c\""), "{e}");
        let message = e.to_string();
        assert!(
            message.contains(&format!("mine.toml:{}: ", pos(text, "\"ctrl-c\""))),
            "{message}"
        );
        assert!(
            message.contains("`quit`") && message.contains("`command`") && message.contains(":q"),
            "it says which actions quit: {message}"
        );

        // Any one of them left is enough; esc (`back`) never was one.
        for keep in ["q", ":", "ctrl-c"] {
            let others: Vec<String> = ["q", ":", "ctrl-c", "esc"]
                .iter()
                .filter(|k| **k != keep)
                .map(|k| format!("{k:?}"))
                .collect();
            let text = format!(
                "inherits = \"default\"\n[global]\nunbind = [{}]\n",
                others.join(", ")
            );
            load(&[("mine", &text)], "mine").unwrap_or_else(|e| panic!("keeping {keep}: {e}"));
        }
    }

    #[test]
    fn rebinding_or_shadowing_the_last_way_counts_as_removing_it() {
        // ctrl-c now runs something else: its binding took the last way away.
        let text = "inherits = \"default\"\n[global]\nunbind = [\"q\", \":\"]\n\
                    keymap = [{ on = \"ctrl-c\", run = \"help\" }]\n";
        assert_eq!(
            at(&no_quit(&[("mine", text)], "mine")),
            pos(text, "\"ctrl-c\"")
        );

        // `[list]` takes `q` before `[global]` sees it; the detail view would still quit.
        let text = "inherits = \"default\"\n[global]\nunbind = [\"ctrl-c\", \":\"]\n\
                    [list]\nkeymap = [{ on = [\"q\", \"q\"], run = \"top\" }]\n";
        let e = no_quit(&[("mine", text)], "mine");
        assert_eq!(at(&e), pos(text, "[\"q\", \"q\"]"));
        assert!(e.to_string().contains("the list view"), "{e}");
    }

    #[test]
    fn the_command_line_quits_only_if_q_can_be_typed_and_submitted() {
        let base = "inherits = \"default\"\n[global]\nunbind = [\"q\", \"ctrl-c\"]\n[prompt]\n";
        let no_enter = format!("{base}unbind = [\"enter\"]\n");
        assert_eq!(
            at(&no_quit(&[("mine", &no_enter)], "mine")),
            pos(&no_enter, "\"enter\"")
        );
        let q_cancels = format!("{base}keymap = [{{ on = \"q\", run = \"cancel\" }}]\n");
        assert_eq!(
            at(&no_quit(&[("mine", &q_cancels)], "mine")),
            pos(&q_cancels, "\"q\"")
        );
        let other_confirm = format!(
            "{base}unbind = [\"enter\"]\nkeymap = [{{ on = \"f2\", run = \"confirm\" }}]\n"
        );
        load(&[("mine", &other_confirm)], "mine").unwrap();
    }

    #[test]
    fn a_keymap_that_never_quits_names_its_file() {
        let text = "[list]\nkeymap = [{ on = \"j\", run = \"down\" }]\n";
        let e = no_quit(&[("mine", text)], "mine");
        assert!(e.location().is_none(), "{e}");
        let message = e.to_string();
        let (place, _) = message.split_once(": ").unwrap();
        assert!(place.ends_with("mine.toml"), "{message}");

        // Through a parent of the user's: the parent's line is the one that removed it.
        let parent = "inherits = \"default\"\n[global]\nunbind = [\"q\", \"ctrl-c\", \":\"]\n";
        let child = "inherits = \"parent\"\n[list]\nkeymap = [{ on = \"j\", run = \"down\" }]\n";
        let e = no_quit(&[("parent", parent), ("child", child)], "child");
        let expected = format!("parent.toml:{}: ", pos(parent, "\":\""));
        assert!(e.to_string().contains(&expected), "{e}");
        // A child that puts one back is fine.
        let child =
            "inherits = \"parent\"\n[global]\nkeymap = [{ on = \"f10\", run = \"quit\" }]\n";
        load(&[("parent", parent), ("child", child)], "child").unwrap();
    }
}
