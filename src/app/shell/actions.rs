//! Keys to commands, and commands to the room that handles them; the shell's own commands,
//! prompts, pickers and confirmations. Keys resolve through the active keymap (never a
//! hard-coded key here), so the help overlay, generated from the same keymap, is never wrong.

use secrecy::ExposeSecret;

use crate::credentials::file::CredentialsFile;
use crate::iam::Credentials;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::calls::{Call, Reply};
use super::loads;
use super::message::Effect;
use super::nav::{DetailView, ListView, Location, Screen};
use super::overlay::{Creating, Input, Overlay, Pending, PickFor, Picker, Prompt, PromptKind};
use super::state::{App, Exit, ShellPurpose};
use crate::app::browse::filter::Filter;
use crate::app::browse::loading;
use crate::commands::palette::{self, PaletteCommand, ViewKind};
use crate::commands::{
    AssumeCommand, BrowseCommand, Command, Context, EditorCommand, PromptCommand, ShellCommand,
};
use crate::config::keymap::{Key, Resolution, display_keys};
use crate::iam::BackendError;

/// What a room made of a command.
#[derive(Debug)]
pub enum Outcome {
    /// It ran; these effects start.
    Done(Vec<Effect>),
    /// It does not apply here: why, naming where it works (shown after the keys pressed).
    NotHere(String),
}

impl From<Vec<Effect>> for Outcome {
    fn from(effects: Vec<Effect>) -> Outcome {
        Outcome::Done(effects)
    }
}

pub fn not_here(why: impl Into<String>) -> Outcome {
    Outcome::NotHere(why.into())
}

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    // Terminals that report releases (kitty protocol) would otherwise act twice.
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if app.prompt.is_some() {
        return prompt_key(app, key);
    }
    if app.editor.is_some() {
        return crate::app::editor::keys::on_key(app, key);
    }
    match &app.overlay {
        Some(Overlay::Picker(_)) => return picker_key(app, key),
        Some(Overlay::Confirm(_)) => return confirm_key(app, key),
        Some(Overlay::Help { .. } | Overlay::Text { .. }) => return text_overlay_key(app, key),
        Some(
            Overlay::NewKey(_) | Overlay::Rotation(_) | Overlay::Mfa(_) | Overlay::Password(_),
        ) => {
            return crate::app::keys::on_key(app, key);
        }
        Some(Overlay::Assume(_) | Overlay::Export(_)) => {
            return crate::app::assume::on_key(app, key);
        }
        Some(Overlay::Form(d)) => {
            let action = dialog_action(app, key);
            return match d.purpose {
                super::overlay::FormFor::Roles(_) => {
                    crate::app::roles::on_form_key(app, key, action)
                }
                super::overlay::FormFor::Account(_) => {
                    crate::app::account::on_form_key(app, key, action)
                }
                super::overlay::FormFor::Editor(_) => {
                    crate::app::editor::templates_ui::on_form_key(app, key, action)
                }
                super::overlay::FormFor::Providers(_) => {
                    crate::app::providers::on_form_key(app, key, action)
                }
            };
        }
        Some(Overlay::VersionDiff(_)) => return crate::app::versions::on_key(app, key),
        Some(Overlay::Bulk(_)) => return crate::app::bulk::on_key(app, key),
        Some(Overlay::Cascade(_)) => return crate::app::cascade::on_key(app, key),
        None => {}
    }
    let context = match app.nav.current() {
        Screen::List(_) => Context::List,
        Screen::Detail(_) => Context::Detail,
    };
    match resolve(app, &[context, Context::Global], key) {
        Some((command, keys)) => run_keyed(app, command, &keys),
        None => {
            bound_elsewhere(app, key);
            Vec::new()
        }
    }
}

/// A key this view does not bind but the other view does: say where it works.
fn bound_elsewhere(app: &mut App, key: KeyEvent) {
    if !app.pending_keys.is_empty() {
        return; // the start of a chord
    }
    let other = match app.nav.current() {
        Screen::List(_) => Context::Detail,
        Screen::Detail(_) => Context::List,
    };
    if let Resolution::Run(c) = app.keymap.resolve(&[other], &[key]) {
        app.set_error(format!(
            "`{}` runs `{}`, which works in {}",
            Key::from(key),
            c.name(),
            c.places()
        ));
    }
}

/// Looks a key up in the keymap, keeping chord state between keys: the command and the keys
/// that ran it.
pub(crate) fn resolve(
    app: &mut App,
    contexts: &[Context],
    key: KeyEvent,
) -> Option<(Command, String)> {
    app.pending_keys.push(key);
    match app.keymap.resolve(contexts, &app.pending_keys) {
        Resolution::Run(c) => {
            let keys: Vec<Key> = app.pending_keys.drain(..).map(Key::from).collect();
            Some((c, display_keys(&keys)))
        }
        Resolution::Pending => None,
        Resolution::None => {
            // A chord that went nowhere: try the last key on its own.
            let retry = app.pending_keys.len() > 1;
            app.pending_keys.clear();
            if retry {
                resolve(app, contexts, key)
            } else {
                None
            }
        }
    }
}

/// Commands on the view rather than on its selected row.
const VIEW_COMMANDS: &[Command] = &[
    Command::Browse(BrowseCommand::Filter),
    Command::Browse(BrowseCommand::SortNext),
    Command::Browse(BrowseCommand::SortReverse),
    Command::Browse(BrowseCommand::Create),
    Command::Editor(EditorCommand::NewPolicy),
    Command::Assume(AssumeCommand::ReturnIdentity),
];

/// Runs a command the keys `keys` resolved to; a refusal is said in the status bar.
fn run_keyed(app: &mut App, command: Command, keys: &str) -> Vec<Effect> {
    match run(app, command) {
        Outcome::Done(effects) => effects,
        Outcome::NotHere(why) => {
            app.set_error(format!("`{keys}` {why}"));
            Vec::new()
        }
    }
}

/// Runs a command on the current screen.
pub fn run(app: &mut App, command: Command) -> Outcome {
    if command.mutating() && app.read_only() {
        // The help leaves these out in read-only mode; a key pressed anyway says why.
        app.set_error(format!(
            "`{}` changes the account; refused: {}",
            command.name(),
            app.read_only_reason()
        ));
        return Outcome::Done(Vec::new());
    }
    let on_row = !matches!(command, Command::Shell(_)) && !VIEW_COMMANDS.contains(&command);
    // A command on a row that has not streamed in yet waits for the list to load.
    if on_row && let Some(out) = crate::app::browse::commands::defer(app, command) {
        return out;
    }
    // Any command on the selected row pins it (see `ListView::chosen`).
    if on_row && let Screen::List(l) = app.nav.current_mut() {
        l.chosen = true;
    }
    match command {
        // A policy version marked as a diff's base: Esc forgets it first.
        Command::Shell(ShellCommand::Back) if crate::app::versions::forget_base(app) => {
            Outcome::Done(Vec::new())
        }
        Command::Shell(c) => shell_command(app, c),
        // Prompts and dialogs take these keys themselves (see `prompt_key`).
        Command::Prompt(_) => not_here(format!("works in {}", command.places())),
        // Rows marked: the bulk room's.
        Command::Browse(c) if let Some(out) = crate::app::bulk::on_command(app, c) => out,
        // An access key or an MFA device selected: delete is the keys room's.
        Command::Browse(BrowseCommand::Delete)
            if let Some(out) = crate::app::keys::delete_credential(app) =>
        {
            out.into()
        }
        // A policy version selected: delete is the versions room's (never the policy).
        Command::Browse(BrowseCommand::Delete)
            if let Some(out) = crate::app::versions::delete_version(app) =>
        {
            out.into()
        }
        // Deleting a user, group, role or policy is the cascade room's.
        Command::Browse(BrowseCommand::Delete) => crate::app::cascade::on_command(app),
        Command::Browse(c) => crate::app::browse::commands::on_command(app, c),
        Command::Keys(c) => crate::app::keys::on_command(app, c),
        Command::Assume(c) => crate::app::assume::on_command(app, c),
        Command::Account(c) => crate::app::account::on_command(app, c),
        Command::Editor(c) => crate::app::editor::on_command(app, c),
        Command::Versions(c) => crate::app::versions::on_command(app, c),
    }
}

fn shell_command(app: &mut App, command: ShellCommand) -> Outcome {
    match command {
        ShellCommand::Quit => app.exit = Some(Exit::Normal),
        ShellCommand::Help => app.overlay = Some(Overlay::help()),
        ShellCommand::CommandLine => app.prompt = Some(Prompt::new(PromptKind::Command, "")),
        ShellCommand::Back => return back(app),
        ShellCommand::PreviousView => match app.nav.back_location().cloned() {
            Some(loc) => return go_to(app, loc, true).into(),
            None => return not_here("returns to the view before this one: this is the first"),
        },
        ShellCommand::HistoryBack => return walk(app, -1),
        ShellCommand::HistoryForward => return walk(app, 1),
        ShellCommand::Refresh => {
            app.set_status("reloading…");
            return loads::reload(app).into();
        }
        ShellCommand::NextTheme => next_theme(app, None),
    }
    Outcome::Done(Vec::new())
}

// --- navigation -------------------------------------------------------------------------------

/// Opens a top-level view (from `:` or the history), recording it.
pub fn open_view(app: &mut App, kind: ViewKind, filter: Option<String>) -> Vec<Effect> {
    let mut out = loading::cancel_details(app, None);
    app.nav.crumbs = vec![Screen::List(Box::new(ListView::new(kind, filter)))];
    app.nav.record();
    out.extend(loading::ensure(app));
    out
}

fn go_to(app: &mut App, loc: Location, record: bool) -> Vec<Effect> {
    let mut out = loading::cancel_details(app, None);
    match loc {
        Location::List { kind, filter } => {
            app.nav.crumbs = vec![Screen::List(Box::new(ListView::new(kind, Some(filter))))];
        }
        Location::Detail { target } => {
            let list = ListView::new(target.view(), None);
            app.nav.crumbs = vec![
                Screen::List(Box::new(list)),
                Screen::Detail(Box::new(DetailView::new(target, 0))),
            ];
            out.extend(loading::reload_detail(app));
        }
    }
    if record {
        app.nav.record();
    }
    out.extend(loading::ensure(app));
    out
}

fn walk(app: &mut App, delta: isize) -> Outcome {
    let loc = if delta < 0 {
        app.nav.back_location().cloned()
    } else {
        app.nav.forward_location().cloned()
    };
    match loc {
        Some(loc) => {
            app.nav.step(delta);
            go_to(app, loc, false).into()
        }
        None if delta < 0 => not_here("walks back in the view history: this is its first view"),
        None => not_here("walks forward in the view history: this is its last view"),
    }
}

fn back(app: &mut App) -> Outcome {
    let said = app.status.take().is_some();
    match app.nav.current_mut() {
        Screen::List(l) if !l.filter.is_empty() => {
            l.filter.clear();
            Outcome::Done(Vec::new())
        }
        // Clearing the status line was what it did.
        Screen::List(_) if said => Outcome::Done(Vec::new()),
        Screen::List(_) => {
            not_here("closes an overlay, a detail view or a filter: there is none; quit with `:q`")
        }
        Screen::Detail(_) => {
            let mut out = loading::cancel_details(app, None);
            app.nav.crumbs.pop();
            app.nav.record();
            if let Screen::Detail(d) = app.nav.current()
                && d.detail.pending > 0
            {
                // It was interrupted when we drilled further in.
                out.extend(loading::reload_detail(app));
            }
            out.extend(loading::ensure(app));
            out.into()
        }
    }
}

/// A policy document indented for reading, in IAM's key order.
pub fn pretty(doc: &str) -> String {
    crate::policy::format::pretty(doc)
}

pub fn next_theme(app: &mut App, name: Option<&str>) {
    use crate::config::theme::Theme;
    let names = Theme::builtin_names();
    let next = match name {
        Some(n) => n.to_string(),
        None => {
            let i = names
                .iter()
                .position(|n| *n == app.theme.name())
                .unwrap_or(0);
            names[(i + 1) % names.len()].to_string()
        }
    };
    match Theme::builtin(&next) {
        Some(t) => {
            app.theme = t;
            app.set_status(format!("theme {next}"));
        }
        None => app.set_error(format!("no theme `{next}`; built in: {}", names.join(", "))),
    }
}

// --- changes ----------------------------------------------------------------------------------

/// Sends the confirmed calls, one after another.
pub fn perform(app: &mut App, pending: Pending) -> Vec<Effect> {
    if app.read_only() && pending.calls.iter().any(Call::mutates) {
        app.set_error(format!(
            "refused: {}; no change was made",
            app.read_only_reason()
        ));
        return Vec::new();
    }
    let mut calls = pending.calls.into_iter();
    let Some(first) = calls.next() else {
        return Vec::new();
    };
    // The rest run after the first succeeds (see `change_done`).
    let rest: Vec<Call> = calls.collect();
    // Not `what`: it says the change is done, which it is not until IAM answers.
    app.set_status(format!("sending {}…", first.label()));
    let what = pending.what.clone();
    let out = loads::issue(
        app,
        ShellPurpose::Change {
            what: what.clone(),
            leave_detail: pending.leave_detail,
        },
        first,
    );
    app.queued_changes = rest;
    out
}

/// A change finished: report it, run the next queued one, then reload what it affected.
pub fn change_done(
    app: &mut App,
    what: String,
    leave_detail: bool,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    match result {
        Err(e) => {
            app.queued_changes.clear();
            let text = crate::ui::error_text(&e);
            if let Some(p) = app.refusable_prompt.take() {
                app.prompt = Some(Prompt {
                    error: Some(text.clone()),
                    ..p
                });
            }
            app.set_error(text);
            loads::reload(app)
        }
        Ok(_) => {
            app.refusable_prompt = None;
            if !app.queued_changes.is_empty() {
                let next = app.queued_changes.remove(0);
                return loads::issue(app, ShellPurpose::Change { what, leave_detail }, next);
            }
            let mut out = Vec::new();
            if leave_detail && matches!(app.nav.current(), Screen::Detail(_)) {
                out.extend(loading::cancel_details(app, None));
                app.nav.crumbs.pop();
            }
            out.extend(loads::reload(app));
            app.set_status(what);
            out
        }
    }
}

// --- keys in prompts and overlays ---------------------------------------------------------------

/// Editing keys every text field shares; `true` when the key was one.
pub fn edit_input(input: &mut Input, key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('w') if ctrl => input.delete_word(),
        KeyCode::Char('u') if ctrl => *input = Input::default(),
        KeyCode::Char('a') if ctrl => input.home(),
        KeyCode::Char('e') if ctrl => input.end(),
        KeyCode::Char(c) if !ctrl => input.insert(c),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Delete => input.delete(),
        KeyCode::Left => input.left(),
        KeyCode::Right => input.right(),
        KeyCode::Home => input.home(),
        KeyCode::End => input.end(),
        _ => return false,
    }
    true
}

/// What a key did to a dialog's one-line input (a profile name, a path).
pub enum Field {
    /// Edited, or a key it ignores; the input stays open.
    Typed,
    /// Esc: the input closed.
    Closed,
    /// Enter, with the text typed (trimmed); the caller closes the input or keeps it open.
    Entered(String),
}

/// Feeds a key to a dialog's open one-line input; `None` when no input is open.
pub fn field_key(
    slot: &mut Option<Input>,
    key: KeyEvent,
    action: Option<PromptCommand>,
) -> Option<Field> {
    let input = slot.as_mut()?;
    Some(match action {
        Some(PromptCommand::Cancel) => {
            *slot = None;
            Field::Closed
        }
        Some(PromptCommand::Confirm) => Field::Entered(input.text.trim().to_string()),
        _ => {
            edit_input(input, key);
            Field::Typed
        }
    })
}

/// Writes credentials into a profile of the shared credentials file (atomically, with a
/// backup); says what happened, never the secret.
pub fn write_profile(profile: &str, c: &Credentials) -> String {
    if profile.is_empty() || profile.contains(['[', ']', '\n']) {
        return "type a profile name".into();
    }
    let Some(path) = CredentialsFile::default_path() else {
        return "no credentials file: set AWS_SHARED_CREDENTIALS_FILE or HOME".into();
    };
    let (id, secret) = (&c.access_key_id, c.secret_access_key.expose_secret());
    let result = CredentialsFile::load(&path).and_then(|f| {
        f.write(&match &c.session_token {
            Some(token) => f.with_session(profile, id, secret, token.expose_secret()),
            None => f.with_keys(profile, id, secret),
        })
    });
    match result {
        Ok(_) => format!("written to profile [{profile}] in {}", path.display()),
        Err(e) => e.to_string(),
    }
}

/// confirm / cancel / complete, from the keymap's prompt section.
fn prompt_action(app: &mut App, key: KeyEvent) -> Option<PromptCommand> {
    app.pending_keys.clear();
    dialog_action(app, key)
}

/// The prompt-section command a key runs in a prompt, picker or dialog (single keys: dialogs
/// have no chords).
pub(crate) fn dialog_action(app: &App, key: KeyEvent) -> Option<PromptCommand> {
    match app.keymap.resolve(&[Context::Prompt], &[key]) {
        Resolution::Run(Command::Prompt(c)) => Some(c),
        _ => None,
    }
}

fn prompt_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match prompt_action(app, key) {
        Some(PromptCommand::Confirm) => return submit_prompt(app),
        Some(PromptCommand::Cancel) => {
            if let Some(Prompt {
                kind: PromptKind::Filter { before },
                ..
            }) = app.prompt.take()
                && let Screen::List(l) = app.nav.current_mut()
            {
                l.filter = before;
            }
            return Vec::new();
        }
        Some(PromptCommand::Complete) => {
            if let Some(p) = &mut app.prompt
                && p.kind == PromptKind::Command
            {
                let options = palette::complete(&p.input.text);
                match options.first() {
                    Some(first) => {
                        p.input = Input::with(&format!("{first} "));
                        p.error = (options.len() > 1).then(|| options.join(" "));
                    }
                    None => p.error = Some("no command starts so".into()),
                }
            }
            return Vec::new();
        }
        Some(PromptCommand::EditField) => {
            if let Some(p) = &mut app.prompt {
                p.error = Some(format!(
                    "`{}` edits a field in the policy editor: it works on the assume dialog's \
                     session policy",
                    Key::from(key)
                ));
            }
            return Vec::new();
        }
        None => {}
    }
    let Some(p) = &mut app.prompt else {
        return Vec::new();
    };
    if edit_input(&mut p.input, key) {
        p.error = None;
        if let PromptKind::Filter { .. } = p.kind {
            // The filter narrows as you type.
            let text = p.input.text.clone();
            if let Screen::List(l) = app.nav.current_mut() {
                l.filter = text;
                l.selected = 0;
                l.wanted = None;
                l.chosen = false;
                l.offset.set(0);
            }
        }
    }
    Vec::new()
}

fn submit_prompt(app: &mut App) -> Vec<Effect> {
    let Some(p) = app.prompt.take() else {
        return Vec::new();
    };
    let text = p.input.text.trim().to_string();
    match p.kind {
        PromptKind::Filter { .. } => {}
        PromptKind::Command => match palette::parse(&text) {
            Ok(PaletteCommand::Open { view, filter }) => return open_view(app, view, filter),
            Ok(PaletteCommand::Theme(name)) => next_theme(app, name.as_deref()),
            Ok(PaletteCommand::Assume(role)) => return crate::app::assume::open(app, role),
            Ok(PaletteCommand::Contexts) => return crate::app::assume::contexts(app),
            Ok(PaletteCommand::Help) => app.overlay = Some(Overlay::help()),
            Ok(PaletteCommand::Messages) => {
                app.overlay = Some(Overlay::Text {
                    title: "Messages".into(),
                    text: app.message_log(),
                    scroll: super::overlay::TextScroll::wrapped(),
                });
                // The newest at the bottom, in view.
                if let Some(Overlay::Text { scroll, .. }) = &app.overlay {
                    scroll.end();
                }
            }
            Ok(PaletteCommand::Quit) => app.exit = Some(Exit::Normal),
            Err(e) => {
                app.prompt = Some(Prompt {
                    error: Some(e),
                    ..p
                });
            }
        },
        PromptKind::PolicyName { template, purpose } => {
            let name = text.trim().to_string();
            if let Some(problem) = crate::app::editor::templates_ui::name_problem(&name) {
                app.prompt = Some(Prompt {
                    error: Some(problem),
                    kind: PromptKind::PolicyName { template, purpose },
                    ..p
                });
                return Vec::new();
            }
            return crate::app::editor::templates_ui::named(app, &template, purpose, name);
        }
        PromptKind::CreateName { what } => {
            let (path, name) = match text.rfind('/') {
                Some(i) => (Some(text[..=i].to_string()), text[i + 1..].to_string()),
                None => (None, text.clone()),
            };
            if name.is_empty() {
                app.prompt = Some(Prompt {
                    error: Some("type a name".into()),
                    ..p
                });
                return Vec::new();
            }
            let (call, label) = match what {
                Creating::User => (
                    Call::CreateUser {
                        name: name.clone(),
                        path,
                    },
                    "user",
                ),
                Creating::Group => (
                    Call::CreateGroup {
                        name: name.clone(),
                        path,
                    },
                    "group",
                ),
                Creating::InstanceProfile => (
                    Call::CreateInstanceProfile {
                        name: name.clone(),
                        path,
                    },
                    "instance profile",
                ),
            };
            // Re-opened with the text and the error if the backend refuses the name.
            app.refusable_prompt = Some(Prompt { error: None, ..p });
            let out = perform(
                app,
                Pending::new(format!("Created {label} {name}"), vec![call]),
            );
            if out.is_empty() {
                app.refusable_prompt = None;
            }
            return out;
        }
        PromptKind::Tags { target, before } => {
            crate::app::browse::submit_tags(app, target, before, p.input, &text);
        }
    }
    Vec::new()
}

fn text_overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    use BrowseCommand::{Bottom, Down, PageDown, PageUp, ShowJson, Top, Up};
    use ShellCommand::{Back, Help, Quit};
    let resolved = resolve(app, &[Context::List, Context::Global], key);
    let Some(Overlay::Help { scroll } | Overlay::Text { scroll, .. }) = &mut app.overlay else {
        return Vec::new();
    };
    match (resolved, key.code) {
        (Some((Command::Shell(Back | Help | Quit) | Command::Browse(ShowJson), _)), _) => {
            app.overlay = None
        }
        (Some((Command::Browse(Up), _)), _) => scroll.by(-1),
        (Some((Command::Browse(Down), _)), _) => scroll.by(1),
        (Some((Command::Browse(PageUp), _)), _) => scroll.pages(-1),
        (Some((Command::Browse(PageDown), _)), _) => scroll.pages(1),
        (Some((Command::Browse(Top), _)), _) => scroll.home(),
        (Some((Command::Browse(Bottom), _)), _) => scroll.end(),
        // Sideways by a few columns; `w` wraps long lines instead.
        (_, KeyCode::Left) => scroll.sideways(-8),
        (_, KeyCode::Right) => scroll.sideways(8),
        (_, KeyCode::Char('w')) => {
            scroll.wrap = !scroll.wrap;
            scroll.left.set(0);
        }
        (Some((_, keys)), _) => app.set_error(format!(
            "`{keys}` does not work over this text; Esc closes it"
        )),
        (None, _) => {}
    }
    Vec::new()
}

/// Everything the picker offers, as `(label, value)`, from the loaded data.
pub fn picker_items(app: &App, p: &Picker) -> Vec<(String, String)> {
    match &p.purpose {
        PickFor::Attach(_) | PickFor::Boundary(_) => app.data.policy_choices(),
        PickFor::MemberOf(_) => app
            .data
            .users
            .items
            .iter()
            .map(|u| (u.name.clone(), u.name.clone()))
            .collect(),
        PickFor::ProfileRole(_) => app
            .data
            .roles
            .items
            .iter()
            .map(|r| (r.name.clone(), r.name.clone()))
            .collect(),
        PickFor::JoinGroup(_) => app.data.group_choices(),
        PickFor::Assume => app
            .assume
            .recent_roles
            .iter()
            .map(|r| (r.clone(), r.clone()))
            .collect(),
        PickFor::Template(purpose) => crate::app::editor::templates_ui::items(purpose),
        PickFor::Roles(pick) => crate::app::roles::picker_items(pick),
        PickFor::Providers(pick) => crate::app::providers::picker_items(pick),
        PickFor::Bulk(picked) => crate::app::bulk::picker_items(app, picked),
    }
}

/// The picker's items that match what was typed, best first.
pub fn picker_matches(app: &App, p: &Picker) -> Vec<(String, String)> {
    let rows: Vec<crate::app::model::table::Row> = picker_items(app, p)
        .into_iter()
        .map(|(label, value)| crate::app::model::table::Row {
            target: None,
            arn: Some(value),
            cells: vec![label],
            numbers: vec![None],
            mark: crate::app::model::table::Mark::Normal,
            json: None,
            access_key: None,
        })
        .collect();
    Filter::new(&p.input.text)
        .apply(rows)
        .into_iter()
        .map(|r| (r.cells[0].clone(), r.arn.unwrap_or_default()))
        .collect()
}

fn picker_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = dialog_action(app, key);
    let Some(Overlay::Picker(p)) = &app.overlay else {
        return Vec::new();
    };
    let matches = picker_matches(app, p);
    let Some(Overlay::Picker(p)) = &mut app.overlay else {
        return Vec::new();
    };
    match (action, key.code) {
        (Some(PromptCommand::Cancel), _) => app.overlay = None,
        (Some(PromptCommand::Confirm), _) => {
            let Some((label, value)) = matches
                .get(p.selected.min(matches.len().saturating_sub(1)))
                .cloned()
            else {
                // Never silent: the choices may still be loading.
                let p = p.clone();
                app.set_error(if picker_items(app, &p).is_empty() {
                    "nothing to choose yet: the list is still loading"
                } else {
                    "nothing matches what is typed"
                });
                return Vec::new();
            };
            let purpose = p.purpose.clone();
            app.overlay = None;
            let (what, call) = match purpose {
                PickFor::Attach(entity) => (
                    format!(
                        "Attached {} to {} {}",
                        label.split("  (").next().unwrap_or(&label),
                        entity.kind.as_str(),
                        entity.name
                    ),
                    Call::Attach { entity, arn: value },
                ),
                PickFor::Boundary(entity) => (
                    format!(
                        "Set {} as the permissions boundary of {} {}",
                        label.split("  (").next().unwrap_or(&label),
                        entity.kind.as_str(),
                        entity.name
                    ),
                    Call::PutBoundary { entity, arn: value },
                ),
                PickFor::MemberOf(group) => (
                    format!("Added {value} to {group}"),
                    Call::AddMember { group, user: value },
                ),
                PickFor::JoinGroup(user) => (
                    format!("Added {user} to {value}"),
                    Call::AddMember { group: value, user },
                ),
                PickFor::ProfileRole(profile) => (
                    format!("Added role {value} to instance profile {profile}"),
                    Call::AddRoleToInstanceProfile {
                        profile,
                        role: value,
                    },
                ),
                PickFor::Assume => return crate::app::assume::open(app, Some(value)),
                PickFor::Template(purpose) => {
                    return crate::app::editor::templates_ui::chosen(app, purpose, &value);
                }
                PickFor::Roles(pick) => return crate::app::roles::picked(app, pick, value),
                PickFor::Bulk(picked) => return crate::app::bulk::picked(app, picked, value),
                PickFor::Providers(pick) => {
                    return crate::app::providers::picked(app, pick, value);
                }
            };
            let calls = vec![call];
            return perform(app, Pending::new(what, calls));
        }
        (_, KeyCode::Up) => p.selected = p.selected.saturating_sub(1),
        (_, KeyCode::Down) => p.selected = (p.selected + 1).min(matches.len().saturating_sub(1)),
        _ => {
            if edit_input(&mut p.input, key) {
                p.selected = 0;
            }
        }
    }
    Vec::new()
}

fn confirm_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = dialog_action(app, key);
    let Some(Overlay::Confirm(c)) = &mut app.overlay else {
        return Vec::new();
    };
    let yes = match action {
        Some(PromptCommand::Cancel) => {
            app.overlay = None;
            return Vec::new();
        }
        Some(PromptCommand::Confirm) => {
            let ready = !c.blocked
                && c.checking.is_none()
                && c.expect.as_ref().is_none_or(|e| c.input.text == *e);
            if !ready && c.expect.is_some() && !c.blocked {
                c.lines.retain(|l| !l.starts_with("that is not"));
                c.lines.push(format!(
                    "that is not `{}`",
                    c.expect.clone().unwrap_or_default()
                ));
            }
            ready
        }
        _ if c.expect.is_none() => {
            if matches!(key.code, KeyCode::Char('n' | 'N')) {
                app.overlay = None;
                return Vec::new();
            }
            matches!(key.code, KeyCode::Char('y' | 'Y')) && !c.blocked
        }
        _ => {
            if !c.blocked {
                edit_input(&mut c.input, key);
            }
            false
        }
    };
    if !yes {
        return Vec::new();
    }
    let pending = c.pending.clone();
    app.overlay = None;
    perform(app, pending)
}

#[cfg(test)]
mod console_tests {
    use ratatui::crossterm::event::KeyCode;

    use crate::app::harness::{Harness, demo_at};
    use crate::app::shell::nav::Screen;
    use crate::commands::Context;
    use crate::config::Keymap;

    /// Puts the console in `context` on the demo account, nothing open, a row below the first
    /// selected (so up, top and the rest have somewhere to go).
    async fn enter(h: &mut Harness, context: Context) {
        h.app.overlay = None;
        h.app.prompt = None;
        h.app.editor = None;
        h.app.exit = None;
        match context {
            Context::Global | Context::List | Context::Prompt => h.command("users").await,
            Context::Detail => {
                h.command("users alice.nguyen").await;
                h.key(KeyCode::Enter).await;
            }
            Context::Editor => {
                h.command("policies DeveloperAccess").await;
                h.key(KeyCode::Char('e')).await;
                assert!(h.app.editor.is_some(), "{}", h.screen(120, 40));
            }
        }
        match h.app.nav.current_mut() {
            Screen::List(l) => l.selected = 1,
            Screen::Detail(d) => d.selected = 1,
        }
        if context == Context::Prompt {
            h.key(KeyCode::Char(':')).await;
            h.type_text("ro").await;
        }
        h.app.status = None;
    }

    /// Every key of the keymap `name`, pressed where it is bound: each one changes the screen,
    /// puts something on the clipboard or quits. A command that did nothing and said nothing
    /// fails.
    async fn no_key_is_silent(mut h: Harness, name: &str) {
        let keymap = Keymap::builtin(name).unwrap();
        h.app.keymap = keymap.clone();
        for context in Context::ALL {
            for b in keymap.bindings(context, false) {
                enter(&mut h, context).await;
                // Styles included: a moved selection changes only a style.
                let before = h.drawn(120, 40);
                let copied = h.clipboard.len();
                for k in b.sequence {
                    let e = k.to_event();
                    h.key_with(e.code, e.modifiers).await;
                }
                assert!(
                    h.drawn(120, 40) != before
                        || h.clipboard.len() > copied
                        || h.app.exit.is_some(),
                    "{name} [{}] `{}` ({}) did nothing and said nothing:\n{}",
                    context.name(),
                    b.keys,
                    b.command.name(),
                    h.screen(120, 40)
                );
            }
        }
    }

    #[test]
    fn every_shipped_keymap_is_a_preset() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut presets: Vec<&str> = Keymap::builtin_names().to_vec();
        presets.sort();
        assert_eq!(files, presets);
    }

    #[tokio::test]
    async fn every_bound_command_reaches_a_handler_and_says_something() {
        for name in Keymap::builtin_names() {
            no_key_is_silent(Harness::demo().await, name).await;
        }
    }

    #[tokio::test]
    async fn in_a_read_only_console_every_key_still_says_something() {
        no_key_is_silent(Harness::second_console(None).await, "vim").await;
    }

    #[tokio::test]
    async fn a_refused_chord_says_why_instead_of_falling_through() {
        // vim binds delete to `d d`: refused in a second console, it used to do nothing at all.
        let mut h = Harness::second_console(None).await;
        h.app.keymap = Keymap::builtin("vim").unwrap();
        h.command("users").await;
        h.app.status = None;
        h.type_text("dd").await;
        let status = h.app.status.clone().expect("a refusal").text;
        assert!(
            status.starts_with("`delete` changes the account; refused: ")
                && status.contains("is open in another iamtui"),
            "{status}"
        );
        assert!(h.app.overlay.is_none() && h.app.prompt.is_none());
    }

    #[tokio::test]
    async fn a_command_that_does_not_apply_here_names_where_it_works() {
        let mut h = demo_at("groups").await;
        h.key(KeyCode::Char('t')).await;
        let status = h.app.status.clone().expect("a reason").text;
        assert_eq!(
            status,
            "`t` edits the tags of a user, role, customer-managed policy or identity provider: \
             IAM does not tag groups"
        );
        h.command("users").await;
        // A key of the detail view pressed on a list.
        h.app.status = None;
        h.key(KeyCode::Tab).await;
        let status = h.app.status.clone().expect("a reason").text;
        assert_eq!(
            status,
            "`tab` runs `next_tab`, which works in a detail view"
        );
    }
}
