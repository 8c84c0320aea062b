//! Keymaps: which keys run which [commands](crate::commands::Command), per context.
//!
//! # Format
//!
//! ```toml
//! inherits = "default"     # optional: start from another keymap and merge over it
//!
//! [list]                   # one table per context: global, list, detail, prompt
//! keymap = [
//!     { on = ["g", "g"], run = "top" },                      # a chord: g, then g
//!     { on = ["ctrl-d"], run = "page_down", desc = "Half a page down" },
//!     { on = "j", run = "down" },                            # one key may be a bare string
//! ]
//! unbind = [["ctrl-d"], "x"]                                 # drop inherited bindings
//! ```
//!
//! A key is one character (`q`, `?`, `/`, `:`, `-`, `[`, `G`: capitals mean shift) or a name:
//! `enter`, `esc`, `tab`, `backtab`, `backspace`, `up`, `down`, `left`, `right`, `home`, `end`,
//! `pageup`, `pagedown`, `delete`, `insert`, `space`, `f1`…`f12`; with modifiers `ctrl-x`,
//! `alt-x`, `shift-tab` (which is `backtab`). `on` lists the keys pressed one after the other.
//! `run` names a command, which must be allowed in that context; `desc` replaces the command's
//! help in the help overlay. Names become [`Command`]s here, once, as the file loads.
//!
//! Within a section no sequence may be bound twice and none may be the start of another (`g`
//! and `g g` would leave `g g` unreachable). Sections are tried most specific first: in a detail
//! view `[detail]`, then `[global]`; a prompt uses `[prompt]` alone, and unbound keys are text.
//!
//! With `inherits`, each section of the file merges over the inherited one: `unbind` removes
//! inherited sequences (one that is not bound is ignored, so a keymap survives changes to the
//! presets), then each binding replaces the inherited binding of the same sequence in place or
//! is added at the end. Without `inherits` a file is a complete keymap on its own.
//!
//! The merged keymap must still quit from the list and detail views (see the `quit` module);
//! one that does not is refused like any other error, at the line that removed the last way.
//!
//! The presets are `default` (arrows and a few letters, after k9s) and `vim` (`default` plus
//! `j`/`k`/`h`/`l` and friends). A file `keymaps/NAME.toml` in the config directory is the keymap
//! `NAME`, found the same way as themes (see [`super::theme`]).
//!
//! The help overlay is generated from [`Keymap::bindings`], so it always shows the keys in use.

use std::fmt;
use std::str::FromStr;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    FileError, Kind, Layer, Location, Paths, Source, entries, hint, join_ticked, parse_layer,
};
use crate::commands::{Command, Context};

mod quit;

/// The preset used when nothing else is asked for.
pub const DEFAULT: &str = "default";

const KEYMAPS: Kind = Kind {
    noun: "keymap",
    dir: "keymaps",
    presets: &[
        ("default", include_str!("../../keymaps/default.toml")),
        ("vim", include_str!("../../keymaps/vim.toml")),
    ],
    names: &["default", "vim"],
};
const SECTION_KEYS: &[&str] = &["keymap", "unbind"];
const BINDING_KEYS: &[&str] = &["on", "run", "desc"];

/// The modifiers a key may carry, in the order they are written.
const MODIFIERS: &[(&str, KeyModifiers)] = &[
    ("ctrl", KeyModifiers::CONTROL),
    ("alt", KeyModifiers::ALT),
    ("shift", KeyModifiers::SHIFT),
    ("super", KeyModifiers::SUPER),
    ("hyper", KeyModifiers::HYPER),
    ("meta", KeyModifiers::META),
];

/// Key names, the canonical (displayed) one first for each code.
const NAMES: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("space", KeyCode::Char(' ')),
];

/// One key press as keymaps see it: a code and modifiers, normalised so that what the file says
/// and what the terminal sends compare equal (`G` is `G`, never `shift-g`; `shift-tab` is
/// `backtab`), and without the press/release kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let all = MODIFIERS
            .iter()
            .fold(KeyModifiers::NONE, |m, (_, x)| m | *x);
        let mut modifiers = modifiers & all;
        let shift = modifiers.contains(KeyModifiers::SHIFT);
        let code = match code {
            // Terminals differ on whether a capital comes with SHIFT; the character says it.
            KeyCode::Char(c) if shift => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(single_uppercase(c).unwrap_or(c))
            }
            KeyCode::Tab if shift => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// A press of this key, for tests and replays.
    pub fn to_event(self) -> KeyEvent {
        KeyEvent::new(self.code, self.modifiers)
    }
}

fn single_uppercase(c: char) -> Option<char> {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => Some(u),
        _ => None,
    }
}

impl From<KeyEvent> for Key {
    fn from(event: KeyEvent) -> Key {
        Key::from_event(&event)
    }
}

impl FromStr for Key {
    /// Why it is not a key, for the user.
    type Err = String;

    fn from_str(s: &str) -> Result<Key, String> {
        let mut rest = s;
        let mut modifiers = KeyModifiers::NONE;
        // `-` alone is the minus key, `ctrl--` is ctrl and minus.
        while let Some((m, after)) = MODIFIERS.iter().find_map(|(name, m)| {
            let after = rest.get(name.len()..)?.strip_prefix('-')?;
            rest[..name.len()]
                .eq_ignore_ascii_case(name)
                .then_some((*m, after))
        }) {
            if after.is_empty() {
                return Err(format!("a key must follow `{s}`"));
            }
            modifiers |= m;
            rest = after;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err("it is empty".into()),
            (Some(c), None) => {
                if modifiers.contains(KeyModifiers::SHIFT) && !c.is_alphabetic() {
                    return Err(
                        "`shift-` goes with letters and named keys; write the character \
                                itself, as `?` rather than `shift-/`"
                            .into(),
                    );
                }
                KeyCode::Char(c)
            }
            _ => name_code(rest)?,
        };
        Ok(Key::new(code, modifiers))
    }
}

/// A named key (`enter`, `f5`), or why the name is not one.
fn name_code(name: &str) -> Result<KeyCode, String> {
    let lower = name.to_ascii_lowercase();
    if let Some((_, code)) = NAMES.iter().find(|(n, _)| *n == lower) {
        return Ok(*code);
    }
    if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u32>().ok()) {
        return match u8::try_from(n) {
            Ok(n) if (1..=12).contains(&n) => Ok(KeyCode::F(n)),
            _ => Err("function keys are `f1` to `f12`".into()),
        };
    }
    let close = hint(&lower, NAMES.iter().map(|(n, _)| *n));
    if close.is_empty() && name.chars().count() <= 4 && !name.contains(char::is_whitespace) {
        let keys: Vec<String> = name.chars().map(|c| format!("\"{c}\"")).collect();
        return Err(format!(
            "keys pressed one after the other are listed apart: on = [{}]",
            keys.join(", ")
        ));
    }
    Err(format!(
        "use one character or a name ({}, `f1`…`f12`), perhaps after `ctrl-`, `alt-` or \
         `shift-`{close}",
        join_ticked(&canonical_names()),
    ))
}

fn canonical_names() -> Vec<&'static str> {
    let mut seen: Vec<KeyCode> = Vec::new();
    NAMES
        .iter()
        .filter(|(_, c)| {
            let first = !seen.contains(c);
            seen.push(*c);
            first
        })
        .map(|(n, _)| *n)
        .collect()
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, m) in MODIFIERS {
            if self.modifiers.contains(*m) {
                write!(f, "{name}-")?;
            }
        }
        if let Some((name, _)) = NAMES.iter().find(|(_, c)| *c == self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{}", format!("{other:?}").to_lowercase()),
        }
    }
}

/// A key sequence as the help overlay shows it: `g g`, `ctrl-d`.
pub fn display_keys(keys: &[Key]) -> String {
    let v: Vec<String> = keys.iter().map(Key::to_string).collect();
    v.join(" ")
}

/// What the keys pressed so far mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Run this command (and forget the pending keys).
    Run(Command),
    /// The start of a chord: keep the keys and wait for the next one.
    Pending,
    /// Nothing: forget the keys. A caller that had more than one pending may retry the last
    /// key alone, so a stray first key does not swallow a real binding.
    None,
}

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding<'a> {
    /// e.g. `g g` or `ctrl-d`.
    pub keys: String,
    /// The keys pressed one after the other.
    pub sequence: &'a [Key],
    pub command: Command,
    /// The keymap's `desc`, or the command's help.
    pub desc: &'a str,
}

#[derive(Debug, Clone)]
struct Entry {
    keys: Vec<Key>,
    command: Command,
    desc: Option<String>,
    /// Where `on` was written, for messages about later files.
    at: Location,
}

/// The loaded keymap: the bindings of each context in file order.
#[derive(Debug, Clone)]
pub struct Keymap {
    name: String,
    sections: [Vec<Entry>; Context::ALL.len()],
}

fn slot(c: Context) -> usize {
    Context::ALL
        .iter()
        .position(|x| *x == c)
        .expect("every context is in ALL")
}

/// A keymap problem, meant to be shown to the user (the console then uses the default).
#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("{at}: unknown section `[{name}]` (expected {expected}){hint}")]
    UnknownSection {
        at: Location,
        name: String,
        hint: String,
        expected: String,
    },
    #[error("{at}: unknown command `{name}`{hint}")]
    UnknownCommand {
        at: Location,
        name: String,
        hint: String,
    },
    #[error("{at}: `{command}` cannot be bound in `[{}]`; it works in {allowed}", section.name())]
    WrongContext {
        at: Location,
        command: &'static str,
        section: Context,
        allowed: String,
    },
    #[error("{at}: `{key}` is not a key: {reason}")]
    BadKey {
        at: Location,
        key: String,
        reason: String,
    },
    #[error("{at}: a binding needs `{key}`")]
    Missing { at: Location, key: &'static str },
    #[error("{at}: `{keys}` is bound twice in `[{}]` (first on line {})", section.name(), first.line)]
    Duplicate {
        at: Location,
        keys: String,
        section: Context,
        first: Location,
    },
    #[error(
        "{at}: `{keys}` and `{other}` ({other_at}) start alike in `[{}]`, so `{}` \
         could never run; choose another key, or `unbind` one of them",
        section.name(),
        if keys.len() > other.len() { keys } else { other }
    )]
    Ambiguous {
        at: Location,
        keys: String,
        other: String,
        other_at: Location,
        section: Context,
    },
    /// `place` is the line that removed the last way, or the file when no single line did.
    #[error(
        "{place}: this leaves no key that quits iamtui from the {view} view; keep a key for \
         `quit`, or for `command` (the command line, where `:q` quits) with `confirm` in \
         `[prompt]`"
    )]
    NoWayToQuit {
        place: String,
        location: Option<Location>,
        view: &'static str,
    },
}

impl KeymapError {
    /// The file position, when the problem is in a file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            KeymapError::File(e) => e.location(),
            KeymapError::NoWayToQuit { location, .. } => location.as_ref(),
            KeymapError::UnknownSection { at, .. }
            | KeymapError::UnknownCommand { at, .. }
            | KeymapError::WrongContext { at, .. }
            | KeymapError::BadKey { at, .. }
            | KeymapError::Missing { at, .. }
            | KeymapError::Duplicate { at, .. }
            | KeymapError::Ambiguous { at, .. } => Some(at),
        }
    }
}

impl Keymap {
    /// A preset by name.
    pub fn builtin(name: &str) -> Option<Keymap> {
        // The presets are tested to load; `None` rather than a panic if one ever did not.
        load_chain(KEYMAPS.preset(name)?, None).ok()
    }

    pub fn builtin_names() -> &'static [&'static str] {
        KEYMAPS.names
    }

    /// A keymap by name (the user's `keymaps/NAME.toml`, else a preset) or by file path.
    pub fn load(name_or_path: &str, paths: &Paths) -> Result<Keymap, KeymapError> {
        load_chain(KEYMAPS.find(name_or_path, paths)?, Some(paths))
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// What `pending` (the keys pressed so far, oldest first) means in `contexts`, tried most
    /// specific first: the first context where the keys run a command or start a chord wins.
    /// Read-only mode does not change this: a mutating command still resolves, so the console
    /// can say why it is refused instead of letting the key fall through to another binding.
    pub fn resolve(&self, contexts: &[Context], pending: &[KeyEvent]) -> Resolution {
        if pending.is_empty() {
            return Resolution::None;
        }
        let keys: Vec<Key> = pending.iter().map(Key::from_event).collect();
        for c in contexts {
            let mut starts_chord = false;
            for e in &self.sections[slot(*c)] {
                if e.keys == keys {
                    return Resolution::Run(e.command);
                }
                starts_chord |= e.keys.len() > keys.len() && e.keys.starts_with(&keys);
            }
            if starts_chord {
                return Resolution::Pending;
            }
        }
        Resolution::None
    }

    /// The bindings of one context in the keymap's order, for the help overlay; read-only mode
    /// leaves out the mutating commands.
    pub fn bindings(&self, context: Context, read_only: bool) -> Vec<Binding<'_>> {
        self.sections[slot(context)]
            .iter()
            .filter(|e| !(read_only && e.command.mutating()))
            .map(|e| Binding {
                keys: display_keys(&e.keys),
                sequence: &e.keys,
                command: e.command,
                desc: e.desc.as_deref().unwrap_or(e.command.help()),
            })
            .collect()
    }

    /// The first keys bound to the command named `name` in `context`, for hints such as
    /// "? help".
    pub fn key_for(&self, context: Context, name: &str) -> Option<String> {
        self.sections[slot(context)]
            .iter()
            .find(|e| e.command.name() == name)
            .map(|e| display_keys(&e.keys))
    }
}

/// One section of one file, checked but not yet merged.
#[derive(Default)]
struct RawSection {
    /// Each sequence to unbind, with where it was written.
    unbind: Vec<(Vec<Key>, Location)>,
    bindings: Vec<Entry>,
}

/// What one file of a keymap says: its sections, checked but not yet merged.
type RawKeymap = Layer<[Option<RawSection>; Context::ALL.len()]>;

/// Loads `root` and what it inherits, then merges from the oldest ancestor down. `paths` is
/// `None` for presets, which inherit only presets.
fn load_chain(root: Source, paths: Option<&Paths>) -> Result<Keymap, KeymapError> {
    let name = root.name.clone();
    let chain = KEYMAPS.chain(root, paths, parse)?;
    let mut sections: [Vec<Entry>; Context::ALL.len()] = Default::default();
    for file in chain.iter().rev() {
        for (i, raw) in file.body.iter().enumerate() {
            if let Some(raw) = raw {
                merge(&mut sections[i], raw, Context::ALL[i])?;
            }
        }
    }
    let keymap = Keymap { name, sections };
    quit::check(&keymap, &chain)?;
    Ok(keymap)
}

fn merge(into: &mut Vec<Entry>, raw: &RawSection, context: Context) -> Result<(), KeymapError> {
    for (keys, _) in &raw.unbind {
        unbind(into, keys);
    }
    // A file binds each sequence once, so its bindings replace only inherited ones.
    let own: Vec<usize> = raw
        .bindings
        .iter()
        .map(|entry| bind(into, entry.clone()))
        .collect();
    // What this file inherits was checked when it loaded; so only this file's bindings can
    // clash now, each with what came before it, which is where the user looks.
    for (k, &i) in own.iter().enumerate() {
        let e = &into[i];
        for (j, other) in into.iter().enumerate() {
            let prefix = |a: &[Key], b: &[Key]| a.len() < b.len() && b.starts_with(a);
            if i == j || own[k + 1..].contains(&j) {
                continue;
            }
            if prefix(&e.keys, &other.keys) || prefix(&other.keys, &e.keys) {
                return Err(KeymapError::Ambiguous {
                    at: e.at.clone(),
                    keys: display_keys(&e.keys),
                    other: display_keys(&other.keys),
                    other_at: other.at.clone(),
                    section: context,
                });
            }
        }
    }
    Ok(())
}

/// Drops an inherited binding; one that is not there is ignored.
fn unbind(section: &mut Vec<Entry>, keys: &[Key]) {
    section.retain(|e| e.keys != keys);
}

/// Replaces the binding of the same keys in place, or adds it at the end; returns its index.
fn bind(section: &mut Vec<Entry>, entry: Entry) -> usize {
    match section.iter().position(|e| e.keys == entry.keys) {
        Some(i) => {
            section[i] = entry;
            i
        }
        None => {
            section.push(entry);
            section.len() - 1
        }
    }
}

fn parse(src: Source) -> Result<RawKeymap, KeymapError> {
    parse_layer(
        src,
        |src, sections: &mut [Option<RawSection>; Context::ALL.len()], key, value| {
            let name = key.get_ref().as_ref();
            let section_names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            let Some(context) = Context::from_name(name) else {
                if value.get_ref().is_table() {
                    return Err(KeymapError::UnknownSection {
                        at: src.at(key.span().start),
                        name: name.to_owned(),
                        hint: hint(name, section_names.iter().copied()),
                        expected: join_ticked(&section_names),
                    });
                }
                let mut known = vec!["inherits"];
                known.extend(section_names);
                return Err(src.unknown_key(key, &known).into());
            };
            sections[slot(context)] = Some(parse_section(src, context, src.table(name, value)?)?);
            Ok(())
        },
    )
}

fn parse_section(
    src: &Source,
    context: Context,
    table: &DeTable<'_>,
) -> Result<RawSection, KeymapError> {
    let mut section = RawSection::default();
    for (key, value) in entries(table) {
        match key.get_ref().as_ref() {
            "keymap" => {
                for item in src.array("keymap", value, "a list of bindings")?.iter() {
                    let entry = parse_binding(src, context, item)?;
                    if let Some(first) = section.bindings.iter().find(|e| e.keys == entry.keys) {
                        return Err(KeymapError::Duplicate {
                            keys: display_keys(&entry.keys),
                            section: context,
                            first: first.at.clone(),
                            at: entry.at,
                        });
                    }
                    section.bindings.push(entry);
                }
            }
            "unbind" => {
                let list = src.array("unbind", value, "a list of key sequences")?;
                for item in list.iter() {
                    let keys = parse_keys(src, "unbind", item)?;
                    section.unbind.push((keys, src.at(item.span().start)));
                }
            }
            _ => return Err(src.unknown_key(key, SECTION_KEYS).into()),
        }
    }
    Ok(section)
}

fn parse_binding(
    src: &Source,
    context: Context,
    item: &Spanned<DeValue<'_>>,
) -> Result<Entry, KeymapError> {
    let table = item.get_ref().as_table().ok_or_else(|| {
        src.wrong_type(
            "keymap",
            item,
            "a list of tables like { on = [\"q\"], run = \"quit\" }",
        )
    })?;
    let (mut keys, mut run, mut desc) = (None, None, None);
    for (key, value) in entries(table) {
        match key.get_ref().as_ref() {
            "on" => keys = Some((parse_keys(src, "on", value)?, value.span().start)),
            "run" => run = Some(value),
            "desc" => desc = Some(src.string("desc", value)?.to_owned()),
            _ => return Err(src.unknown_key(key, BINDING_KEYS).into()),
        }
    }
    let missing = |key| KeymapError::Missing {
        at: src.at(item.span().start),
        key,
    };
    let (keys, on_offset) = keys.ok_or_else(|| missing("on"))?;
    let run = run.ok_or_else(|| missing("run"))?;
    let name = src.string("run", run)?;
    let run_at = src.at(run.span().start);
    let command = Command::from_name(name).ok_or_else(|| KeymapError::UnknownCommand {
        at: run_at.clone(),
        name: name.to_owned(),
        hint: hint(name, Command::ALL.iter().map(|c| c.name())),
    })?;
    if !command.contexts().contains(&context) {
        let allowed: Vec<String> = command
            .contexts()
            .iter()
            .map(|c| format!("`[{}]`", c.name()))
            .collect();
        return Err(KeymapError::WrongContext {
            at: run_at,
            command: command.name(),
            section: context,
            allowed: allowed.join(", "),
        });
    }
    Ok(Entry {
        keys,
        command,
        desc,
        at: src.at(on_offset),
    })
}

/// A key sequence: a list of keys, or one key as a bare string.
fn parse_keys(
    src: &Source,
    what: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Vec<Key>, KeymapError> {
    let one = |v: &Spanned<DeValue<'_>>| -> Result<Key, KeymapError> {
        let text = src.string(what, v)?;
        text.parse().map_err(|reason| KeymapError::BadKey {
            at: src.at(v.span().start),
            key: text.to_owned(),
            reason,
        })
    };
    match value.get_ref() {
        DeValue::String(_) => Ok(vec![one(value)?]),
        DeValue::Array(list) if list.is_empty() => Err(KeymapError::BadKey {
            at: src.at(value.span().start),
            key: "[]".into(),
            reason: "a binding needs at least one key".into(),
        }),
        DeValue::Array(list) => list.iter().map(one).collect(),
        _ => Err(src
            .wrong_type(what, value, "a key or a list of keys like [\"g\", \"g\"]")
            .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing;
    use super::*;
    use Context::{Detail, Global, List, Prompt};

    pub(super) fn load(files: &[(&str, &str)], name: &str) -> Result<Keymap, KeymapError> {
        let (_dir, p) = testing::config_dir("keymaps", files);
        Keymap::load(name, &p)
    }

    pub(super) fn at(e: &KeymapError) -> String {
        testing::line_column(e.location(), e)
    }

    fn keys(s: &str) -> Vec<KeyEvent> {
        s.split(' ')
            .map(|k| k.parse::<Key>().unwrap().to_event())
            .collect()
    }

    fn run(k: &Keymap, ctx: &[Context], s: &str) -> Option<&'static str> {
        match k.resolve(ctx, &keys(s)) {
            Resolution::Run(c) => Some(c.name()),
            _ => None,
        }
    }

    #[test]
    fn every_preset_loads_and_default_binds_every_action() {
        for name in Keymap::builtin_names() {
            let k =
                load_chain(KEYMAPS.preset(name).unwrap(), None).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(k.name(), *name);
            for c in Command::ALL {
                let bound = Context::ALL
                    .iter()
                    .any(|x| k.bindings(*x, false).iter().any(|b| b.command == *c));
                assert!(bound, "{name} does not bind `{}`", c.name());
            }
        }
    }

    /// The default table the README shows; a change here is a change users will notice.
    #[test]
    fn default_keys() {
        let k = Keymap::builtin("default").unwrap();
        let cases = [
            (&[List, Global][..], "q", "quit"),
            (&[List, Global], "ctrl-c", "quit"),
            (&[Detail, Global], "?", "help"),
            (&[List, Global], ":", "command"),
            (&[List, Global], "/", "filter"),
            (&[Detail, Global], "esc", "back"),
            (&[List, Global], "g g", "top"),
            (&[List, Global], "G", "bottom"),
            (&[List, Global], "ctrl-d", "delete"),
            (&[Detail, Global], "tab", "next_tab"),
            (&[Detail, Global], "shift-tab", "previous_tab"),
            (&[Detail, Global], "M", "remove_member"),
            (&[Prompt], "enter", "confirm"),
            (&[Prompt], "tab", "complete"),
        ];
        for (ctx, seq, action) in cases {
            assert_eq!(run(&k, ctx, seq), Some(action), "{seq}");
        }
        assert_eq!(run(&k, &[Prompt], "q"), None, "a prompt types q");
        assert_eq!(k.key_for(Global, "help").as_deref(), Some("?"));
    }

    #[test]
    fn vim_adds_letters_over_the_default() {
        let k = Keymap::builtin("vim").unwrap();
        assert_eq!(run(&k, &[List, Global], "j"), Some("down"));
        assert_eq!(run(&k, &[List, Global], "down"), Some("down"));
        assert_eq!(run(&k, &[Detail, Global], "l"), Some("next_tab"));
        assert_eq!(run(&k, &[List, Global], "ctrl-d"), Some("page_down"));
        assert_eq!(run(&k, &[List, Global], "d d"), Some("delete"));
        assert_eq!(run(&k, &[List, Global], "q"), Some("quit"));
    }

    #[test]
    fn key_names_round_trip() {
        for (text, code, mods) in [
            ("ctrl-d", KeyCode::Char('d'), KeyModifiers::CONTROL),
            ("G", KeyCode::Char('G'), KeyModifiers::NONE),
            ("-", KeyCode::Char('-'), KeyModifiers::NONE),
            ("ctrl--", KeyCode::Char('-'), KeyModifiers::CONTROL),
            ("space", KeyCode::Char(' '), KeyModifiers::NONE),
            ("backtab", KeyCode::BackTab, KeyModifiers::NONE),
            ("alt-enter", KeyCode::Enter, KeyModifiers::ALT),
            (
                "ctrl-alt-x",
                KeyCode::Char('x'),
                KeyModifiers::CONTROL | KeyModifiers::ALT,
            ),
            ("shift-up", KeyCode::Up, KeyModifiers::SHIFT),
            ("f12", KeyCode::F(12), KeyModifiers::NONE),
            ("pagedown", KeyCode::PageDown, KeyModifiers::NONE),
            ("[", KeyCode::Char('['), KeyModifiers::NONE),
        ] {
            let key: Key = text.parse().unwrap();
            assert_eq!(key.to_event(), KeyEvent::new(code, mods), "{text}");
            assert_eq!(Key::from_event(&KeyEvent::new(code, mods)), key, "{text}");
            assert_eq!(key.to_string(), text);
        }
        // Other spellings, shown the canonical way.
        for (text, shown) in [
            ("shift-tab", "backtab"),
            ("shift-g", "G"),
            ("Ctrl-d", "ctrl-d"),
            ("ctrl-D", "ctrl-D"),
            ("escape", "esc"),
            ("PgUp", "pageup"),
        ] {
            assert_eq!(text.parse::<Key>().unwrap().to_string(), shown);
        }
        // What terminals send for capitals and shift-tab matches what files say.
        let sent = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from(sent), "G".parse().unwrap());
        let sent = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from(sent), "shift-tab".parse().unwrap());
        for bad in ["", "gg", "ctrl-", "hyperspace", "f13", "shift-/"] {
            assert!(bad.parse::<Key>().is_err(), "{bad}");
        }
        assert!("gg".parse::<Key>().unwrap_err().contains("[\"g\", \"g\"]"));
    }

    #[test]
    fn chords_wait_and_specific_contexts_win() {
        let k = load(
            &[(
                "t",
                r#"
[global]
keymap = [{ on = ["g"], run = "refresh" }, { on = ["z", "z"], run = "help" }, { on = "q", run = "quit" }]
[list]
keymap = [{ on = ["g", "g"], run = "top" }, { on = "x", run = "sort_next" }]
"#,
            )],
            "t",
        )
        .unwrap();
        let both = [List, Global];
        assert_eq!(k.resolve(&both, &keys("g")), Resolution::Pending);
        assert_eq!(run(&k, &both, "g g"), Some("top"));
        assert_eq!(k.resolve(&both, &keys("g x")), Resolution::None);
        // Outside the list, `g` is the global binding.
        assert_eq!(run(&k, &[Detail, Global], "g"), Some("refresh"));
        assert_eq!(k.resolve(&both, &keys("z")), Resolution::Pending);
        assert_eq!(run(&k, &both, "z z"), Some("help"));
        assert_eq!(k.resolve(&both, &[]), Resolution::None);
    }

    #[test]
    fn read_only_hides_mutating_commands_from_help_but_still_resolves_them() {
        let k = Keymap::builtin("default").unwrap();
        let all = k.bindings(Detail, false);
        let ro = k.bindings(Detail, true);
        assert!(all.iter().any(|b| b.command.mutating()));
        assert!(ro.iter().all(|b| !b.command.mutating()));
        assert!(ro.len() < all.len() && ro.iter().any(|b| b.command.name() == "copy_arn"));

        // A chord that leads to a mutating command still waits and resolves: the console
        // refuses it and says why, rather than letting its keys do something else.
        let k = load(
            &[(
                "t",
                "[global]\nkeymap = [{ on = \"q\", run = \"quit\" }]\n\
                 [list]\nkeymap = [{ on = [\"d\", \"d\"], run = \"delete\" }]\n",
            )],
            "t",
        )
        .unwrap();
        assert_eq!(k.resolve(&[List], &keys("d")), Resolution::Pending);
        assert_eq!(run(&k, &[List], "d d"), Some("delete"));
    }

    #[test]
    fn user_files_merge_over_what_they_inherit() {
        let k = load(
            &[(
                "mine",
                r#"inherits = "default"
[list]
unbind = [["g", "g"], "pagedown", ["x", "x"]]
keymap = [
    { on = ["c"], run = "show_json", desc = "JSON!" },
    { on = ["g"], run = "top" },
]
"#,
            )],
            "mine",
        )
        .unwrap();
        let list = [List, Global];
        assert_eq!(run(&k, &list, "c"), Some("show_json"));
        assert_eq!(run(&k, &list, "g"), Some("top"));
        assert_eq!(run(&k, &list, "pagedown"), None);
        assert_eq!(
            run(&k, &list, "q"),
            Some("quit"),
            "other sections are inherited whole"
        );
        let b = k.bindings(List, false);
        let preset = Keymap::builtin("default").unwrap();
        let default = preset.bindings(List, false);
        // The replaced binding keeps its place; the new one goes at the end.
        let pos = |v: &[Binding<'_>], keys: &str| v.iter().position(|b| b.keys == keys);
        assert_eq!(
            pos(&b, "c").unwrap() + 2,
            pos(&default, "c").unwrap(),
            "g g and pagedown came out before it"
        );
        assert_eq!(b[pos(&b, "c").unwrap()].desc, "JSON!");
        assert_eq!(b.last().unwrap().keys, "g");

        // Without unbinding `g g`, `g` is ambiguous, and the message points at both.
        let e = load(
            &[(
                "m",
                "inherits = \"default\"\n[list]\nkeymap = [{ on = [\"g\"], run = \"top\" }]\n",
            )],
            "m",
        )
        .unwrap_err();
        assert!(
            matches!(&e, KeymapError::Ambiguous { other, other_at, .. } if other == "g g" && other_at.file.contains("default.toml")),
            "{e}"
        );
        assert_eq!(at(&e), "3:18");

        // A user `default.toml` extends the preset of that name.
        let k = load(
            &[(
                "default",
                "inherits = \"default\"\n[global]\nkeymap = [{ on = \"f1\", run = \"help\" }]\n",
            )],
            "default",
        )
        .unwrap();
        assert_eq!(run(&k, &[Global], "f1"), Some("help"));
        assert_eq!(run(&k, &[Global], "?"), Some("help"));
    }

    #[test]
    fn inheritance_cycles_are_reported() {
        let e = load(
            &[("a", "inherits = \"b\"\n"), ("b", "inherits = \"a\"\n")],
            "a",
        )
        .unwrap_err();
        assert!(
            matches!(&e, KeymapError::File(FileError::Cycle { chain, .. }) if chain == "a → b → a"),
            "{e}"
        );
        assert_eq!(at(&e), "1:12");
        let e = load(&[("a", "inherits = \"nope\"\n")], "a").unwrap_err();
        assert!(
            matches!(e, KeymapError::File(FileError::UnknownInherits { .. })),
            "{e}"
        );
    }

    #[test]
    fn each_error_names_the_file_and_position() {
        type Check = fn(&KeymapError) -> bool;
        let cases: &[(&str, &str, Check)] = &[
            ("[list\n", "1:6", |e| {
                matches!(e, KeymapError::File(FileError::Syntax { .. }))
            }),
            (
                "[lists]\nkeymap = []\n",
                "1:2",
                |e| matches!(e, KeymapError::UnknownSection { hint, .. } if hint.contains("list")),
            ),
            (
                "inherit = \"vim\"\n",
                "1:1",
                |e| matches!(e, KeymapError::File(FileError::UnknownKey { hint, .. }) if hint.contains("inherits")),
            ),
            (
                "[list]\nkeymap = [\n  { on = [\"q\"], run = \"quiet\" },\n]\n",
                "3:23",
                |e| matches!(e, KeymapError::UnknownCommand { hint, .. } if hint.contains("quit")),
            ),
            (
                "[list]\nkeymap = [{ on = [\"q\"], run = \"confirm\" }]\n",
                "2:31",
                |e| {
                    matches!(
                        e,
                        KeymapError::WrongContext {
                            command: "confirm",
                            ..
                        }
                    )
                },
            ),
            (
                "[global]\nkeymap = [{ on = [\"g\", \"ctrl-\"], run = \"quit\" }]\n",
                "2:24",
                |e| matches!(e, KeymapError::BadKey { key, .. } if key == "ctrl-"),
            ),
            (
                "[global]\nkeymap = [{ on = [], run = \"quit\" }]\n",
                "2:18",
                |e| matches!(e, KeymapError::BadKey { .. }),
            ),
            ("[global]\nkeymap = [{ run = \"quit\" }]\n", "2:11", |e| {
                matches!(e, KeymapError::Missing { key: "on", .. })
            }),
            (
                "[global]\nkeymap = [{ on = \"q\", run = \"quit\", descr = \"x\" }]\n",
                "2:37",
                |e| matches!(e, KeymapError::File(FileError::UnknownKey { .. })),
            ),
            (
                "[global]\nkeymap = [\n  { on = \"q\", run = \"quit\" },\n  { on = [\"q\"], run = \"help\" },\n]\n",
                "4:10",
                |e| matches!(e, KeymapError::Duplicate { first, .. } if first.line == 3),
            ),
            (
                "[global]\nkeymap = [\n  { on = [\"z\", \"z\"], run = \"quit\" },\n  { on = \"z\", run = \"help\" },\n]\n",
                "4:10",
                |e| {
                    matches!(e, KeymapError::Ambiguous { other, .. } if other == "z z")
                        && e.to_string().contains("so `z z` could")
                },
            ),
            ("[global]\nkeymap = { on = \"q\" }\n", "2:10", |e| {
                matches!(e, KeymapError::File(FileError::WrongType { .. }))
            }),
        ];
        for (text, pos, check) in cases {
            let e = load(&[("broken", text)], "broken").unwrap_err();
            assert!(check(&e), "{text:?}: {e}");
            assert_eq!(at(&e), *pos, "{text:?}: {e}");
            assert!(e.to_string().contains("broken.toml:"), "{e}");
        }
    }

    /// Falling back to the default is [`super::super::setup`]'s part.
    #[test]
    fn unknown_names_are_reported_with_a_hint() {
        let (_d, p) = testing::config_dir("keymaps", &[]);
        let e = Keymap::load("vmi", &p).unwrap_err();
        assert!(
            matches!(&e, KeymapError::File(FileError::NotFound { hint, .. }) if hint.contains("vim")),
            "{e}"
        );
        assert_eq!(Keymap::load("vim", &p).unwrap().name(), "vim");
    }
}
