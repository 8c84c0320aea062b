//! Keys to actions, and what each action does. Keys resolve through the active keymap (never a
//! hard-coded key here), so the help overlay, generated from the same keymap, is never wrong.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::calls::{Call, Reply};
use super::detail::{self, RowRef, Tab, tabs};
use super::filter::Filter;
use super::loads;
use super::message::Effect;
use super::nav::{DetailView, ListView, Location, Screen};
use super::overlay::{
    Confirm, Creating, Input, Overlay, Pending, PickFor, Picker, Prompt, PromptKind,
};
use super::state::{App, Exit, Purpose};
use super::table::Target;
use crate::commands::palette::{self, PaletteCommand, ViewKind};
use crate::commands::{Action, Context};
use crate::config::keymap::Resolution;
#[cfg(test)]
use crate::iam::EntityKind;
use crate::iam::{BackendError, EntityRef, Tag, TagTarget, is_aws_managed_arn};

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    // Terminals that report releases (kitty protocol) would otherwise act twice.
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if app.prompt.is_some() {
        return prompt_key(app, key);
    }
    if app.editor.is_some() {
        return super::editor::keys::on_key(app, key);
    }
    match &app.overlay {
        Some(Overlay::Picker(_)) => return picker_key(app, key),
        Some(Overlay::Confirm(_)) => return confirm_key(app, key),
        Some(Overlay::Help { .. } | Overlay::Text { .. }) => return text_overlay_key(app, key),
        Some(Overlay::NewKey(_) | Overlay::Rotation(_) | Overlay::Mfa(_)) => {
            return super::credentials_ui::dialog_key(app, key);
        }
        Some(Overlay::Assume(_) | Overlay::Export(_)) => {
            return super::assume_ui::dialog_key(app, key);
        }
        None => {}
    }
    let context = match app.nav.current() {
        Screen::List(_) => Context::List,
        Screen::Detail(_) => Context::Detail,
    };
    let contexts = [context, Context::Global];
    match resolve(app, &contexts, key).or_else(|| refused_change(app, &contexts, key)) {
        Some(action) => run(app, action),
        None => Vec::new(),
    }
}

/// In read-only mode the keys of changes are unbound; one pressed anyway is the change it
/// would be, so `run` can say why it is refused instead of doing nothing.
fn refused_change(app: &App, contexts: &[Context], key: KeyEvent) -> Option<&'static Action> {
    if !app.read_only() || !app.pending_keys.is_empty() {
        return None;
    }
    match app.keymap.resolve_with(contexts, &[key], false) {
        Resolution::Action(a) if a.mutating => Some(a),
        _ => None,
    }
}

/// Looks a key up in the keymap, keeping chord state between keys.
pub(crate) fn resolve(
    app: &mut App,
    contexts: &[Context],
    key: KeyEvent,
) -> Option<&'static Action> {
    app.pending_keys.push(key);
    let read_only = app.read_only();
    match app
        .keymap
        .resolve_with(contexts, &app.pending_keys, read_only)
    {
        Resolution::Action(a) => {
            app.pending_keys.clear();
            Some(a)
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

/// Actions on the view rather than on its selected row.
const VIEW_ACTIONS: &[&str] = &[
    "quit",
    "help",
    "command",
    "filter",
    "back",
    "previous_view",
    "history_back",
    "history_forward",
    "refresh",
    "next_theme",
    "sort_next",
    "sort_reverse",
    "create",
    "new_policy",
    "return_identity",
];

/// Runs a named action on the current screen.
pub fn run(app: &mut App, action: &Action) -> Vec<Effect> {
    if action.mutating && app.read_only() {
        // The keymap hides these in read-only mode; this is the second lock.
        app.set_error(format!(
            "`{}` changes the account; refused: {}",
            action.name,
            app.read_only_reason()
        ));
        return Vec::new();
    }
    // Any action on the selected row pins it (see `ListView::chosen`).
    if !VIEW_ACTIONS.contains(&action.name)
        && let Screen::List(l) = app.nav.current_mut()
    {
        l.chosen = true;
    }
    match action.name {
        "quit" => {
            app.exit = Some(Exit::Normal);
            Vec::new()
        }
        "help" => {
            app.overlay = Some(Overlay::help());
            Vec::new()
        }
        "command" => {
            app.prompt = Some(Prompt::new(PromptKind::Command, ""));
            Vec::new()
        }
        "filter" => {
            if let Screen::List(l) = app.nav.current() {
                let before = l.filter.clone();
                app.prompt = Some(Prompt::new(
                    PromptKind::Filter {
                        before: before.clone(),
                    },
                    &before,
                ));
            }
            Vec::new()
        }
        "back" => back(app),
        "previous_view" => match app.nav.back_location().cloned() {
            Some(loc) => go_to(app, loc, true),
            None => Vec::new(),
        },
        "history_back" => walk(app, -1),
        "history_forward" => walk(app, 1),
        "refresh" => {
            app.set_status("reloading…");
            loads::reload(app)
        }
        "next_theme" => {
            next_theme(app, None);
            Vec::new()
        }
        "up" => move_selection(app, -1),
        "down" => move_selection(app, 1),
        "page_up" => move_selection(app, -(app.viewport.get().max(1) as isize)),
        "page_down" => move_selection(app, app.viewport.get().max(1) as isize),
        "top" => move_selection(app, isize::MIN / 2),
        "bottom" => move_selection(app, isize::MAX / 2),
        "open" => open(app),
        "next_tab" => switch_tab(app, 1),
        "previous_tab" => switch_tab(app, -1),
        "sort_next" => {
            if let Screen::List(l) = app.nav.current_mut() {
                let n = super::table::columns(l.kind).len();
                l.sort = match l.sort {
                    None => Some(0),
                    Some(c) if c + 1 < n => Some(c + 1),
                    Some(_) => None,
                };
            }
            Vec::new()
        }
        "sort_reverse" => {
            if let Screen::List(l) = app.nav.current_mut() {
                l.descending = !l.descending;
                l.sort.get_or_insert(0);
            }
            Vec::new()
        }
        "copy_arn" => copy_arn(app),
        "show_json" => show_json(app),
        "create" => create(app),
        "delete" => delete(app),
        "attach_policy" => attach(app),
        "detach_policy" => detach(app),
        "add_member" => add_member(app),
        "remove_member" => remove_member(app),
        "edit_tags" => edit_tags(app),
        "rotate_key" => super::credentials_ui::rotate_key(app),
        "create_key" => super::credentials_ui::create_key(app),
        "toggle_key" => super::credentials_ui::toggle_key(app),
        "enrol_mfa" => super::credentials_ui::enrol_mfa(app),
        "resync_mfa" => super::credentials_ui::resync_mfa(app),
        "assume_role" => super::assume_ui::open(app, None),
        "edit_policy" => edit_policy(app),
        "new_policy" => super::editor::templates_ui::pick(app),
        "return_identity" => super::assume_ui::return_identity(app),
        "export_credentials" => super::assume_ui::export(app),
        other => {
            tracing::debug!(action = other, "action has no effect here");
            Vec::new()
        }
    }
}

// --- navigation -------------------------------------------------------------------------------

/// Opens a top-level view (from `:` or the history), recording it.
pub fn open_view(app: &mut App, kind: ViewKind, filter: Option<String>) -> Vec<Effect> {
    let mut out = loads::cancel_details(app, None);
    app.nav.crumbs = vec![Screen::List(Box::new(ListView::new(kind, filter)))];
    app.nav.record();
    out.extend(loads::ensure(app));
    out
}

fn go_to(app: &mut App, loc: Location, record: bool) -> Vec<Effect> {
    let mut out = loads::cancel_details(app, None);
    match loc {
        Location::List { kind, filter } => {
            app.nav.crumbs = vec![Screen::List(Box::new(ListView::new(kind, Some(filter))))];
        }
        Location::Detail { target } => {
            let list = ListView::new(list_of(&target), None);
            app.nav.crumbs = vec![
                Screen::List(Box::new(list)),
                Screen::Detail(Box::new(DetailView::new(target, 0))),
            ];
            out.extend(loads::reload_detail(app));
        }
    }
    if record {
        app.nav.record();
    }
    out.extend(loads::ensure(app));
    out
}

fn walk(app: &mut App, delta: isize) -> Vec<Effect> {
    let loc = if delta < 0 {
        app.nav.back_location().cloned()
    } else {
        app.nav.forward_location().cloned()
    };
    match loc {
        Some(loc) => {
            app.nav.step(delta);
            go_to(app, loc, false)
        }
        None => Vec::new(),
    }
}

/// The list a resource belongs to (for a breadcrumb rebuilt from the history).
fn list_of(target: &Target) -> ViewKind {
    match target {
        Target::User(_) => ViewKind::Users,
        Target::Group(_) => ViewKind::Groups,
        Target::Role(_) => ViewKind::Roles,
        Target::Policy(_) => ViewKind::Policies,
        Target::SamlProvider(_) | Target::OidcProvider(_) => ViewKind::Providers,
    }
}

fn back(app: &mut App) -> Vec<Effect> {
    if app.status.is_some() {
        app.status = None;
    }
    match app.nav.current_mut() {
        Screen::List(l) if !l.filter.is_empty() => {
            l.filter.clear();
            Vec::new()
        }
        Screen::List(_) => Vec::new(),
        Screen::Detail(_) => {
            let mut out = loads::cancel_details(app, None);
            app.nav.crumbs.pop();
            app.nav.record();
            if let Screen::Detail(d) = app.nav.current()
                && d.detail.pending > 0
            {
                // It was interrupted when we drilled further in.
                out.extend(loads::reload_detail(app));
            }
            out.extend(loads::ensure(app));
            out
        }
    }
}

/// Drills into a resource.
fn push_detail(app: &mut App, target: Target) -> Vec<Effect> {
    let keep = None;
    let mut out = loads::cancel_details(app, keep);
    app.nav
        .crumbs
        .push(Screen::Detail(Box::new(DetailView::new(target, 0))));
    app.nav.record();
    out.extend(loads::reload_detail(app));
    out
}

fn move_selection(app: &mut App, delta: isize) -> Vec<Effect> {
    let now = app.now();
    let (selected, len) = match app.nav.current_mut() {
        Screen::List(l) => {
            let len = l.rows.len();
            l.wanted = None;
            (&mut l.selected, len)
        }
        Screen::Detail(d) if d.tab() == Tab::Json => {
            // The JSON tab is a text: the keys scroll it (the draw clamps the offset).
            let top = if delta.unsigned_abs() >= (isize::MAX / 4) as usize {
                if delta < 0 { 0 } else { usize::MAX }
            } else {
                d.offset.get().saturating_add_signed(delta)
            };
            d.offset.set(top);
            return Vec::new();
        }
        Screen::Detail(d) => {
            let len = detail::rows(&d.detail, &d.target, d.tab(), now).0.len();
            (&mut d.selected, len)
        }
    };
    let max = len.saturating_sub(1) as isize;
    *selected = (*selected as isize)
        .saturating_add(delta)
        .clamp(0, max.max(0)) as usize;
    Vec::new()
}

fn switch_tab(app: &mut App, delta: isize) -> Vec<Effect> {
    if let Screen::Detail(d) = app.nav.current_mut() {
        let n = tabs(&d.target).len() as isize;
        d.tab = ((d.tab as isize + delta).rem_euclid(n)) as usize;
        d.selected = 0;
        d.offset.set(0);
    }
    Vec::new()
}

fn open(app: &mut App) -> Vec<Effect> {
    let now = app.now();
    match app.nav.current() {
        Screen::List(l) => match l.selected_row().and_then(|r| r.target.clone()) {
            Some(t) => push_detail(app, t),
            None => Vec::new(),
        },
        Screen::Detail(d) => {
            let (rows, _) = detail::rows(&d.detail, &d.target, d.tab(), now);
            let Some(row) = rows.get(d.selected).cloned() else {
                return Vec::new();
            };
            if let (Tab::Versions, RowRef::Version(id), None) = (d.tab(), &row.what, &row.document)
            {
                // A version whose document has not been loaded yet.
                return load_version(app, id.clone());
            }
            match (row.link, row.document) {
                (Some(t), _) => push_detail(app, t),
                (None, Some(doc)) => {
                    app.overlay = Some(Overlay::text(
                        row.cells.get(1).cloned().unwrap_or_default(),
                        pretty(&doc),
                    ));
                    Vec::new()
                }
                _ => Vec::new(),
            }
        }
    }
}

fn load_version(app: &mut App, version_id: String) -> Vec<Effect> {
    let Screen::Detail(d) = app.nav.current_mut() else {
        return Vec::new();
    };
    let Target::Policy(arn) = d.target.clone() else {
        return Vec::new();
    };
    d.detail.pending += 1;
    let generation = d.generation;
    loads::issue(
        app,
        Purpose::Detail {
            generation,
            part: detail::Part::VersionDoc(version_id.clone()),
        },
        Call::PolicyVersion { arn, version_id },
    )
}

/// A policy document indented for reading, by the policy formatter (IAM's key order).
pub fn pretty(doc: &str) -> String {
    crate::policy::format::format_policy(doc)
        .map(|f| f.trim_end().to_string())
        .ok()
        .or_else(|| {
            serde_json::from_str::<serde_json::Value>(doc)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
        })
        .unwrap_or_else(|| doc.to_string())
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

// --- the selection ------------------------------------------------------------------------------

/// The resource the selection stands for: the selected list row, or the detail shown.
fn selected_target(app: &App) -> Option<Target> {
    match app.nav.current() {
        Screen::List(l) => l.selected_row().and_then(|r| r.target.clone()),
        Screen::Detail(d) => Some(d.target.clone()),
    }
}

fn arn_of(app: &App) -> Option<String> {
    match app.nav.current() {
        Screen::List(l) => l.selected_row().and_then(|r| r.arn.clone()),
        Screen::Detail(d) => {
            let det = &d.detail;
            det.user
                .as_ref()
                .map(|u| u.arn.clone())
                .or_else(|| det.group.as_ref().map(|g| g.group.arn.clone()))
                .or_else(|| det.role.as_ref().map(|r| r.arn.clone()))
                .or_else(|| match &d.target {
                    Target::Policy(a) | Target::SamlProvider(a) | Target::OidcProvider(a) => {
                        Some(a.clone())
                    }
                    _ => None,
                })
        }
    }
}

fn copy_arn(app: &mut App) -> Vec<Effect> {
    match arn_of(app) {
        Some(arn) => {
            app.set_status(format!("copied {arn}"));
            vec![Effect::Clipboard(arn)]
        }
        None => {
            app.set_error("nothing with an ARN is selected");
            Vec::new()
        }
    }
}

fn show_json(app: &mut App) -> Vec<Effect> {
    let (title, text) = match app.nav.current() {
        Screen::List(l) => match l.selected_row().and_then(|r| r.json.clone()) {
            Some(j) => (
                l.selected_row()
                    .map(|r| r.cells[0].clone())
                    .unwrap_or_default(),
                pretty(&j),
            ),
            None => return Vec::new(),
        },
        Screen::Detail(d) => (d.target.label(), detail::json(&d.detail)),
    };
    // Documents kept as strings (a trust policy) are shown as JSON too.
    let text = crate::ui::widgets::text_view::json_with_documents(&text);
    app.overlay = Some(Overlay::text(title, text));
    Vec::new()
}

// --- changes ----------------------------------------------------------------------------------

fn create(app: &mut App) -> Vec<Effect> {
    let kind = match app.nav.current() {
        Screen::List(l) => l.kind,
        Screen::Detail(_) => {
            app.set_error("create works from a list: :users or :groups");
            return Vec::new();
        }
    };
    let what = match kind {
        ViewKind::Users => Creating::User,
        ViewKind::Groups => Creating::Group,
        ViewKind::Roles | ViewKind::Policies => {
            app.set_error(
                "roles and policies are created with a document: the policy editor does that",
            );
            return Vec::new();
        }
        _ => {
            app.set_error(format!("nothing to create in {}", kind.title()));
            return Vec::new();
        }
    };
    app.prompt = Some(Prompt::new(PromptKind::CreateName { what }, ""));
    Vec::new()
}

/// Starts the delete flow: check what stands in the way first (IAM refuses deletes while
/// dependencies exist), then ask for the name to be typed.
fn delete(app: &mut App) -> Vec<Effect> {
    // An access key or an MFA device selected: those, not the user.
    if let Some(out) = super::credentials_ui::delete_credential(app) {
        return out;
    }
    let Some(target) = selected_target(app) else {
        return Vec::new();
    };
    let call = match &target {
        Target::User(n) => Call::DeleteUser { name: n.clone() },
        Target::Group(n) => Call::DeleteGroup { name: n.clone() },
        Target::Role(n) => Call::DeleteRole { name: n.clone() },
        Target::Policy(arn) if !is_aws_managed_arn(arn) => Call::DeletePolicy { arn: arn.clone() },
        Target::Policy(_) => {
            app.set_error("AWS managed policies cannot be deleted");
            return Vec::new();
        }
        _ => {
            app.set_error("providers are not deleted from here yet");
            return Vec::new();
        }
    };
    app.generations += 1;
    let generation = app.generations;
    let calls = detail::initial_calls(&target);
    let mut checking = DetailView::new(target.clone(), generation);
    checking.detail.pending = calls.len();
    let leave = matches!(app.nav.current(), Screen::Detail(_));
    app.overlay = Some(Overlay::Confirm(Box::new(Confirm {
        title: format!("Delete {}", target.label()),
        lines: vec!["checking what stands in the way…".into()],
        expect: Some(target.name().to_string()),
        input: Input::default(),
        blocked: true,
        checking: Some(checking),
        pending: Pending {
            what: format!("Deleted {}", target.label()),
            calls: vec![call],
            leave_detail: leave,
        },
    })));
    let mut out = Vec::new();
    for (part, call) in calls {
        out.extend(loads::issue(app, Purpose::Check { generation, part }, call));
    }
    out
}

/// Called as the delete check's replies arrive: once complete, either list what IAM would
/// refuse the delete for, or ask for the name.
pub fn check_progress(app: &mut App) {
    let Some(Overlay::Confirm(c)) = &mut app.overlay else {
        return;
    };
    let Some(check) = &c.checking else { return };
    let Some(deps) = detail::dependencies(&check.detail, &check.target) else {
        return;
    };
    let errors = check.detail.errors.clone();
    let name = check.target.name().to_string();
    c.checking = None;
    if !errors.is_empty() {
        c.lines = errors;
        c.lines
            .push("cannot tell what depends on it; not deleting".into());
        c.blocked = true;
    } else if deps.is_empty() {
        c.lines = vec![
            "Nothing depends on it. This cannot be undone.".into(),
            format!("Type {name} and press Enter to delete; Esc cancels."),
        ];
        c.blocked = false;
    } else {
        c.lines = vec!["IAM refuses to delete it while it still has:".into()];
        c.lines.extend(deps.into_iter().map(|d| format!("  • {d}")));
        c.lines.push("Remove those first (Esc closes).".into());
        c.blocked = true;
    }
}

fn entity_of(target: &Target) -> Option<EntityRef> {
    target.entity()
}

fn attach(app: &mut App) -> Vec<Effect> {
    let Some(entity) = selected_target(app).as_ref().and_then(entity_of) else {
        app.set_error("select a user, group or role to attach a policy to");
        return Vec::new();
    };
    let out = loads::ensure_kind(app, ViewKind::Policies);
    app.overlay = Some(Overlay::Picker(Picker {
        title: format!(
            "Attach a policy to {} {}",
            entity.kind.as_str(),
            entity.name
        ),
        input: Input::default(),
        selected: 0,
        purpose: PickFor::Attach(entity),
    }));
    out
}

/// `e`: a detail's document in the editor; from the policies list, the selected policy.
fn edit_policy(app: &mut App) -> Vec<Effect> {
    if let Screen::List(l) = app.nav.current() {
        return match l.selected_row().and_then(|r| r.target.clone()) {
            Some(Target::Policy(arn)) => super::editor::open_managed(app, &arn),
            _ => {
                app.set_error(
                    "e edits a policy: open a user, group or role first (Enter), or use :policies",
                );
                Vec::new()
            }
        };
    }
    super::editor::open(app)
}

/// The selected row of the detail view on top.
fn detail_row(app: &App) -> Option<(Target, detail::DetailRow)> {
    let Screen::Detail(d) = app.nav.current() else {
        return None;
    };
    let (rows, _) = detail::rows(&d.detail, &d.target, d.tab(), app.now());
    rows.get(d.selected).cloned().map(|r| (d.target.clone(), r))
}

fn ask(app: &mut App, title: String, line: String, pending: Pending) {
    app.overlay = Some(Overlay::Confirm(Box::new(Confirm {
        title,
        lines: vec![line, "Enter or y confirms; Esc cancels.".into()],
        expect: None,
        input: Input::default(),
        blocked: false,
        checking: None,
        pending,
    })));
}

fn detach(app: &mut App) -> Vec<Effect> {
    let Some((target, row)) = detail_row(app) else {
        return Vec::new();
    };
    let (RowRef::Attached(arn), Some(entity)) = (&row.what, target.entity()) else {
        app.set_error("select an attached policy in the Permissions tab");
        return Vec::new();
    };
    let name = arn.rsplit('/').next().unwrap_or(arn).to_string();
    ask(
        app,
        "Detach policy".into(),
        format!("Detach {name} from {}?", target.label()),
        Pending {
            what: format!("Detached {name} from {}", target.label()),
            calls: vec![Call::Detach {
                entity,
                arn: arn.clone(),
            }],
            leave_detail: false,
        },
    );
    Vec::new()
}

fn add_member(app: &mut App) -> Vec<Effect> {
    let (purpose, title, needs) = match selected_target(app) {
        Some(Target::Group(g)) => (
            PickFor::MemberOf(g.clone()),
            format!("Add a user to group {g}"),
            ViewKind::Users,
        ),
        Some(Target::User(u)) => (
            PickFor::JoinGroup(u.clone()),
            format!("Add user {u} to a group"),
            ViewKind::Groups,
        ),
        _ => {
            app.set_error("select a group or a user");
            return Vec::new();
        }
    };
    let out = loads::ensure_kind(app, needs);
    app.overlay = Some(Overlay::Picker(Picker {
        title,
        input: Input::default(),
        selected: 0,
        purpose,
    }));
    out
}

fn remove_member(app: &mut App) -> Vec<Effect> {
    let Some((target, row)) = detail_row(app) else {
        return Vec::new();
    };
    let (group, user) = match (&target, &row.what) {
        (Target::Group(g), RowRef::Member(u)) => (g.clone(), u.clone()),
        (Target::User(u), RowRef::Group(g)) => (g.clone(), u.clone()),
        _ => {
            app.set_error("select a member (group Members tab) or a group (user Groups tab)");
            return Vec::new();
        }
    };
    ask(
        app,
        "Remove from group".into(),
        format!("Remove user {user} from group {group}?"),
        Pending {
            what: format!("Removed {user} from {group}"),
            calls: vec![Call::RemoveMember { group, user }],
            leave_detail: false,
        },
    );
    Vec::new()
}

fn edit_tags(app: &mut App) -> Vec<Effect> {
    let Some(target) = selected_target(app) else {
        return Vec::new();
    };
    let tag_target = match &target {
        Target::User(n) => TagTarget::User(n.clone()),
        Target::Role(n) => TagTarget::Role(n.clone()),
        Target::Policy(a) if !is_aws_managed_arn(a) => TagTarget::Policy(a.clone()),
        _ => {
            app.set_error("tags can be edited on users, roles and customer-managed policies");
            return Vec::new();
        }
    };
    let before: Vec<Tag> = match app.nav.current() {
        Screen::Detail(d) => d
            .detail
            .user
            .as_ref()
            .map(|u| u.tags.clone())
            .or_else(|| d.detail.role.as_ref().map(|r| r.tags.clone()))
            .or_else(|| d.detail.tags.clone())
            .unwrap_or_default(),
        Screen::List(_) => {
            app.set_error("open the resource (Enter) to edit its tags");
            return Vec::new();
        }
    };
    let text = before
        .iter()
        .map(|t| format!("{}={}", t.key, t.value))
        .collect::<Vec<_>>()
        .join(" ");
    app.prompt = Some(Prompt::new(
        PromptKind::Tags {
            target: tag_target,
            before,
        },
        &text,
    ));
    Vec::new()
}

/// Reads `key=value` words (and `-key` removals) into the calls that make the tags so.
pub fn tag_calls(target: &TagTarget, before: &[Tag], text: &str) -> Result<Vec<Call>, String> {
    let mut wanted: Vec<Tag> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if let Some(k) = word.strip_prefix('-') {
            removed.push(k.to_string());
        } else if let Some((k, v)) = word.split_once('=') {
            if k.is_empty() {
                return Err(format!("`{word}`: a tag needs a key"));
            }
            wanted.push(Tag::new(k, v));
        } else {
            return Err(format!("`{word}`: write key=value, or -key to remove"));
        }
    }
    // Keys left out of the text are removed too: the text is the new set.
    for t in before {
        if !wanted.iter().any(|w| w.key == t.key) && !removed.contains(&t.key) {
            removed.push(t.key.clone());
        }
    }
    let changed: Vec<Tag> = wanted.into_iter().filter(|w| !before.contains(w)).collect();
    let mut calls = Vec::new();
    if !changed.is_empty() {
        calls.push(Call::Tag {
            target: target.clone(),
            tags: changed,
        });
    }
    if !removed.is_empty() {
        calls.push(Call::Untag {
            target: target.clone(),
            keys: removed,
        });
    }
    Ok(calls)
}

/// Sends the confirmed calls, one after another.
fn perform(app: &mut App, pending: Pending) -> Vec<Effect> {
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
    app.set_status(format!("{}…", pending.what.trim_end_matches('.')));
    let what = pending.what.clone();
    let out = loads::issue(
        app,
        Purpose::Change {
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
                return loads::issue(app, Purpose::Change { what, leave_detail }, next);
            }
            let mut out = Vec::new();
            if leave_detail && matches!(app.nav.current(), Screen::Detail(_)) {
                out.extend(loads::cancel_details(app, None));
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

/// confirm / cancel / complete, from the keymap's prompt section.
fn prompt_action(app: &mut App, key: KeyEvent) -> Option<&'static str> {
    app.pending_keys.clear();
    dialog_action(app, key)
}

/// The prompt-section action a key runs in a prompt, picker or dialog (single keys: dialogs
/// have no chords).
pub(crate) fn dialog_action(app: &App, key: KeyEvent) -> Option<&'static str> {
    match app
        .keymap
        .resolve_with(&[Context::Prompt], &[key], app.read_only())
    {
        Resolution::Action(a) => Some(a.name),
        _ => None,
    }
}

fn prompt_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match prompt_action(app, key) {
        Some("confirm") => return submit_prompt(app),
        Some("cancel") => {
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
        Some("complete") => {
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
        _ => {}
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
        PromptKind::Filter { .. } => Vec::new(),
        PromptKind::Command => match palette::parse(&text) {
            Ok(PaletteCommand::Open { view, filter }) => open_view(app, view, filter),
            Ok(PaletteCommand::Theme(name)) => {
                next_theme(app, name.as_deref());
                Vec::new()
            }
            Ok(PaletteCommand::Assume(role)) => super::assume_ui::open(app, role),
            Ok(PaletteCommand::Contexts) => super::assume_ui::contexts(app),
            Ok(PaletteCommand::Help) => {
                app.overlay = Some(Overlay::help());
                Vec::new()
            }
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
                Vec::new()
            }
            Ok(PaletteCommand::Quit) => {
                app.exit = Some(Exit::Normal);
                Vec::new()
            }
            Err(e) => {
                app.prompt = Some(Prompt {
                    error: Some(e),
                    ..p
                });
                Vec::new()
            }
        },
        PromptKind::PolicyName { template, purpose } => {
            let name = text.trim().to_string();
            if let Some(problem) = super::editor::templates_ui::name_problem(&name) {
                app.prompt = Some(Prompt {
                    error: Some(problem),
                    kind: PromptKind::PolicyName { template, purpose },
                    ..p
                });
                return Vec::new();
            }
            super::editor::templates_ui::named(app, &template, purpose, name)
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
            };
            // Re-opened with the text and the error if the backend refuses the name.
            app.refusable_prompt = Some(Prompt { error: None, ..p });
            let out = perform(
                app,
                Pending {
                    what: format!("Created {label} {name}"),
                    calls: vec![call],
                    leave_detail: false,
                },
            );
            if out.is_empty() {
                app.refusable_prompt = None;
            }
            out
        }
        PromptKind::Tags { target, before } => match tag_calls(&target, &before, &text) {
            Ok(calls) if calls.is_empty() => {
                app.set_status("tags unchanged");
                Vec::new()
            }
            Ok(calls) => perform(
                app,
                Pending {
                    what: "Tags saved".into(),
                    calls,
                    leave_detail: false,
                },
            ),
            Err(e) => {
                app.prompt = Some(Prompt {
                    error: Some(e),
                    kind: PromptKind::Tags { target, before },
                    input: p.input,
                });
                Vec::new()
            }
        },
    }
}

fn text_overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = resolve(app, &[Context::List, Context::Global], key).map(|a| a.name);
    let Some(Overlay::Help { scroll } | Overlay::Text { scroll, .. }) = &mut app.overlay else {
        return Vec::new();
    };
    match (action, key.code) {
        (Some("back" | "help" | "quit" | "show_json"), _) => app.overlay = None,
        (Some("up"), _) => scroll.by(-1),
        (Some("down"), _) => scroll.by(1),
        (Some("page_up"), _) => scroll.pages(-1),
        (Some("page_down"), _) => scroll.pages(1),
        (Some("top"), _) => scroll.home(),
        (Some("bottom"), _) => scroll.end(),
        // Sideways by a few columns; `w` wraps long lines instead.
        (_, KeyCode::Left) => scroll.sideways(-8),
        (_, KeyCode::Right) => scroll.sideways(8),
        (_, KeyCode::Char('w')) => {
            scroll.wrap = !scroll.wrap;
            scroll.left.set(0);
        }
        _ => {}
    }
    Vec::new()
}

/// Everything the picker offers, as `(label, value)`, from the loaded data.
pub fn picker_items(app: &App, p: &Picker) -> Vec<(String, String)> {
    match &p.purpose {
        PickFor::Attach(_) => app
            .data
            .policies
            .items
            .iter()
            .map(|p| {
                let kind = if p.is_aws_managed() {
                    "AWS"
                } else {
                    "customer"
                };
                (format!("{}  ({kind})", p.name), p.arn.clone())
            })
            .collect(),
        PickFor::MemberOf(_) => app
            .data
            .users
            .items
            .iter()
            .map(|u| (u.name.clone(), u.name.clone()))
            .collect(),
        PickFor::JoinGroup(_) => app
            .data
            .groups
            .items
            .iter()
            .map(|g| (g.name.clone(), g.name.clone()))
            .collect(),
        PickFor::Assume => app
            .recent_roles
            .iter()
            .map(|r| (r.clone(), r.clone()))
            .collect(),
        PickFor::Template(purpose) => super::editor::templates_ui::items(purpose),
    }
}

/// The picker's items that match what was typed, best first.
pub fn picker_matches(app: &App, p: &Picker) -> Vec<(String, String)> {
    let rows: Vec<super::table::Row> = picker_items(app, p)
        .into_iter()
        .map(|(label, value)| super::table::Row {
            target: None,
            arn: Some(value),
            cells: vec![label],
            numbers: vec![None],
            mark: super::table::Mark::Normal,
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
        (Some("cancel"), _) => {
            app.overlay = None;
            Vec::new()
        }
        (Some("confirm"), _) => {
            let Some((label, value)) = matches
                .get(p.selected.min(matches.len().saturating_sub(1)))
                .cloned()
            else {
                return Vec::new();
            };
            let purpose = p.purpose.clone();
            app.overlay = None;
            let pending = match purpose {
                PickFor::Attach(entity) => Pending {
                    what: format!(
                        "Attached {} to {} {}",
                        label.split("  (").next().unwrap_or(&label),
                        entity.kind.as_str(),
                        entity.name
                    ),
                    calls: vec![Call::Attach { entity, arn: value }],
                    leave_detail: false,
                },
                PickFor::MemberOf(group) => Pending {
                    what: format!("Added {value} to {group}"),
                    calls: vec![Call::AddMember { group, user: value }],
                    leave_detail: false,
                },
                PickFor::JoinGroup(user) => Pending {
                    what: format!("Added {user} to {value}"),
                    calls: vec![Call::AddMember { group: value, user }],
                    leave_detail: false,
                },
                PickFor::Assume => return super::assume_ui::open(app, Some(value)),
                PickFor::Template(purpose) => {
                    return super::editor::templates_ui::chosen(app, purpose, &value);
                }
            };
            perform(app, pending)
        }
        (_, KeyCode::Up) => {
            p.selected = p.selected.saturating_sub(1);
            Vec::new()
        }
        (_, KeyCode::Down) => {
            p.selected = (p.selected + 1).min(matches.len().saturating_sub(1));
            Vec::new()
        }
        _ => {
            if edit_input(&mut p.input, key) {
                p.selected = 0;
            }
            Vec::new()
        }
    }
}

fn confirm_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = dialog_action(app, key);
    let Some(Overlay::Confirm(c)) = &mut app.overlay else {
        return Vec::new();
    };
    match action {
        Some("cancel") => {
            app.overlay = None;
            Vec::new()
        }
        Some("confirm") => {
            let ready = !c.blocked
                && c.checking.is_none()
                && c.expect.as_ref().is_none_or(|e| c.input.text == *e);
            if !ready {
                if c.expect.is_some() && !c.blocked {
                    c.lines.retain(|l| !l.starts_with("that is not"));
                    c.lines.push(format!(
                        "that is not `{}`",
                        c.expect.clone().unwrap_or_default()
                    ));
                }
                return Vec::new();
            }
            let pending = c.pending.clone();
            app.overlay = None;
            perform(app, pending)
        }
        _ => {
            if c.expect.is_none() {
                if matches!(key.code, KeyCode::Char('y' | 'Y')) && !c.blocked {
                    let pending = c.pending.clone();
                    app.overlay = None;
                    return perform(app, pending);
                }
                if matches!(key.code, KeyCode::Char('n' | 'N')) {
                    app.overlay = None;
                }
                return Vec::new();
            }
            if !c.blocked {
                edit_input(&mut c.input, key);
            }
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_text_becomes_tag_and_untag_calls() {
        let target = TagTarget::User("u".into());
        let before = vec![Tag::new("team", "blue"), Tag::new("old", "x")];
        let calls = tag_calls(&target, &before, "team=red cost=42").unwrap();
        assert_eq!(
            calls,
            [
                Call::Tag {
                    target: target.clone(),
                    tags: vec![Tag::new("team", "red"), Tag::new("cost", "42")]
                },
                Call::Untag {
                    target: target.clone(),
                    keys: vec!["old".into()]
                }
            ]
        );
        assert!(
            tag_calls(&target, &before, "team=blue old=x")
                .unwrap()
                .is_empty()
        );
        assert!(tag_calls(&target, &before, "novalue").is_err());
        assert!(tag_calls(&target, &before, "=x").is_err());
        let calls = tag_calls(&target, &before, "team=blue -old").unwrap();
        assert_eq!(
            calls,
            [Call::Untag {
                target,
                keys: vec!["old".into()]
            }]
        );
    }

    #[test]
    fn entity_kinds_map() {
        assert_eq!(
            entity_of(&Target::Role("r".into())).map(|e| e.kind),
            Some(EntityKind::Role)
        );
        assert_eq!(entity_of(&Target::Policy("a".into())), None);
    }
}
