//! What the browse room's commands do: moving through lists and details, opening, copying,
//! and the changes started from a selection (create, delete, attach, members, tags).

use super::loading::Purpose;
use crate::app::browse::detail::{self, RowRef, Tab, tabs};
use crate::app::browse::table::Target;
use crate::app::shell::actions::{Outcome, not_here, pretty};
use crate::app::shell::calls::Call;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::{DetailView, Screen};
use crate::app::shell::overlay::{
    Confirm, Creating, Input, Overlay, Pending, PickFor, Picker, Prompt, PromptKind,
};
use crate::app::shell::state::App;
use crate::commands::BrowseCommand;
use crate::commands::palette::ViewKind;
#[cfg(test)]
use crate::iam::EntityKind;
use crate::iam::{EntityRef, Tag, TagTarget, is_aws_managed_arn};

/// Runs a command of this room on the current screen.
pub fn on_command(app: &mut App, command: BrowseCommand) -> Outcome {
    let page = app.viewport.get().max(1) as isize;
    match command {
        BrowseCommand::Filter => {
            let Screen::List(l) = app.nav.current() else {
                return not_here("filters the rows of a list: this is a detail view");
            };
            let before = l.filter.clone();
            app.prompt = Some(Prompt::new(
                PromptKind::Filter {
                    before: before.clone(),
                },
                &before,
            ));
            Outcome::Done(Vec::new())
        }
        BrowseCommand::Up => move_selection(app, -1),
        BrowseCommand::Down => move_selection(app, 1),
        BrowseCommand::PageUp => move_selection(app, -page),
        BrowseCommand::PageDown => move_selection(app, page),
        BrowseCommand::Top => move_selection(app, isize::MIN / 2),
        BrowseCommand::Bottom => move_selection(app, isize::MAX / 2),
        BrowseCommand::Open => open(app),
        BrowseCommand::NextTab => switch_tab(app, 1),
        BrowseCommand::PreviousTab => switch_tab(app, -1),
        BrowseCommand::SortNext | BrowseCommand::SortReverse => {
            let Screen::List(l) = app.nav.current_mut() else {
                return not_here("sorts a list: this is a detail view");
            };
            if command == BrowseCommand::SortReverse {
                l.descending = !l.descending;
                l.sort.get_or_insert(0);
            } else {
                let n = crate::app::browse::table::columns(l.kind).len();
                l.sort = match l.sort {
                    None => Some(0),
                    Some(c) if c + 1 < n => Some(c + 1),
                    Some(_) => None,
                };
            }
            Outcome::Done(Vec::new())
        }
        BrowseCommand::CopyArn => copy_arn(app),
        BrowseCommand::ShowJson => show_json(app),
        BrowseCommand::Create => create(app),
        BrowseCommand::Delete => delete(app),
        BrowseCommand::AttachPolicy => attach(app),
        BrowseCommand::DetachPolicy => detach(app),
        BrowseCommand::AddMember => add_member(app),
        BrowseCommand::RemoveMember => remove_member(app),
        BrowseCommand::EditTags => edit_tags(app),
    }
}

/// Drills into a resource.
fn push_detail(app: &mut App, target: Target) -> Vec<Effect> {
    let keep = None;
    let mut out = super::loading::cancel_details(app, keep);
    app.nav
        .crumbs
        .push(Screen::Detail(Box::new(DetailView::new(target, 0))));
    app.nav.record();
    out.extend(super::loading::reload_detail(app));
    out
}

fn move_selection(app: &mut App, delta: isize) -> Outcome {
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
            return Outcome::Done(Vec::new());
        }
        Screen::Detail(d) => {
            let len = detail::rows(&d.detail, &d.target, d.tab(), now).0.len();
            (&mut d.selected, len)
        }
    };
    if len == 0 {
        return not_here("moves between rows: there are none here");
    }
    let max = len.saturating_sub(1) as isize;
    *selected = (*selected as isize)
        .saturating_add(delta)
        .clamp(0, max.max(0)) as usize;
    Outcome::Done(Vec::new())
}

fn switch_tab(app: &mut App, delta: isize) -> Outcome {
    let Screen::Detail(d) = app.nav.current_mut() else {
        return not_here("switches the tabs of a detail view: open a row (Enter)");
    };
    let n = tabs(&d.target).len() as isize;
    d.tab = ((d.tab as isize + delta).rem_euclid(n)) as usize;
    d.selected = 0;
    d.offset.set(0);
    Outcome::Done(Vec::new())
}

fn open(app: &mut App) -> Outcome {
    let now = app.now();
    match app.nav.current() {
        Screen::List(l) => match l.selected_row().and_then(|r| r.target.clone()) {
            Some(t) => push_detail(app, t).into(),
            None => not_here("opens the selected row: this one has no detail view"),
        },
        Screen::Detail(d) => {
            let (rows, _) = detail::rows(&d.detail, &d.target, d.tab(), now);
            let Some(row) = rows.get(d.selected).cloned() else {
                return not_here("opens the selected row: this tab has none");
            };
            if let (Tab::Versions, RowRef::Version(id), None) = (d.tab(), &row.what, &row.document)
            {
                // A version whose document has not been loaded yet.
                return load_version(app, id.clone()).into();
            }
            match (row.link, row.document) {
                (Some(t), _) => push_detail(app, t).into(),
                (None, Some(doc)) => {
                    app.overlay = Some(Overlay::text(
                        row.cells.get(1).cloned().unwrap_or_default(),
                        pretty(&doc),
                    ));
                    Outcome::Done(Vec::new())
                }
                _ => not_here(
                    "opens a row that links to a resource or a document: this one does not",
                ),
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

fn copy_arn(app: &mut App) -> Outcome {
    match arn_of(app) {
        Some(arn) => {
            app.set_status(format!("copied {arn}"));
            Outcome::Done(vec![Effect::Clipboard(arn)])
        }
        None => not_here("copies an ARN: select a row that has one"),
    }
}

fn show_json(app: &mut App) -> Outcome {
    let (title, text) = match app.nav.current() {
        Screen::List(l) => match l.selected_row().and_then(|r| r.json.clone()) {
            Some(j) => (
                l.selected_row()
                    .map(|r| r.cells[0].clone())
                    .unwrap_or_default(),
                pretty(&j),
            ),
            None => return not_here("shows a resource as JSON: select one, or open it (Enter)"),
        },
        Screen::Detail(d) => (d.target.label(), detail::json(&d.detail)),
    };
    // Documents kept as strings (a trust policy) are shown as JSON too.
    let text = crate::ui::widgets::text_view::json_with_documents(&text);
    app.overlay = Some(Overlay::text(title, text));
    Outcome::Done(Vec::new())
}

fn create(app: &mut App) -> Outcome {
    let kind = match app.nav.current() {
        Screen::List(l) => l.kind,
        Screen::Detail(_) => {
            return not_here("creates a user or group from a list: :users or :groups");
        }
    };
    let what = match kind {
        ViewKind::Users => Creating::User,
        ViewKind::Groups => Creating::Group,
        ViewKind::Roles | ViewKind::Policies => {
            return not_here(
                "creates users and groups; roles and policies start from a document: the \
                 policy editor's templates do that",
            );
        }
        _ => {
            return not_here(format!(
                "creates users and groups (:users, :groups); nothing is created in {}",
                kind.title()
            ));
        }
    };
    app.prompt = Some(Prompt::new(PromptKind::CreateName { what }, ""));
    Outcome::Done(Vec::new())
}

/// Starts the delete flow: check what stands in the way first (IAM refuses deletes while
/// dependencies exist), then ask for the name to be typed.
fn delete(app: &mut App) -> Outcome {
    let Some(target) = selected_target(app) else {
        return not_here("deletes the selection: select a user, group, role or policy");
    };
    let call = match &target {
        Target::User(n) => Call::DeleteUser { name: n.clone() },
        Target::Group(n) => Call::DeleteGroup { name: n.clone() },
        Target::Role(n) => Call::DeleteRole { name: n.clone() },
        Target::Policy(arn) if !is_aws_managed_arn(arn) => Call::DeletePolicy { arn: arn.clone() },
        Target::Policy(_) => {
            return not_here("deletes customer-managed policies: AWS managed ones cannot be");
        }
        _ => {
            return not_here("deletes users, groups, roles and policies; not providers yet");
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
    out.into()
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

fn attach(app: &mut App) -> Outcome {
    let Some(entity) = selected_target(app).as_ref().and_then(entity_of) else {
        return not_here("attaches a policy to a user, group or role: select one");
    };
    let out = super::loading::ensure_kind(app, ViewKind::Policies);
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
    out.into()
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

fn detach(app: &mut App) -> Outcome {
    const WHERE: &str = "detaches a policy: select an attached one in the Permissions tab";
    let Some((target, row)) = detail_row(app) else {
        return not_here(WHERE);
    };
    let (RowRef::Attached(arn), Some(entity)) = (&row.what, target.entity()) else {
        return not_here(WHERE);
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
    Outcome::Done(Vec::new())
}

fn add_member(app: &mut App) -> Outcome {
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
        _ => return not_here("adds a user to a group: select a group or a user"),
    };
    let out = super::loading::ensure_kind(app, needs);
    app.overlay = Some(Overlay::Picker(Picker {
        title,
        input: Input::default(),
        selected: 0,
        purpose,
    }));
    out.into()
}

fn remove_member(app: &mut App) -> Outcome {
    const WHERE: &str = "removes a member: select one in a group's Members tab, or a group in a \
                         user's Groups tab";
    let Some((target, row)) = detail_row(app) else {
        return not_here(WHERE);
    };
    let (group, user) = match (&target, &row.what) {
        (Target::Group(g), RowRef::Member(u)) => (g.clone(), u.clone()),
        (Target::User(u), RowRef::Group(g)) => (g.clone(), u.clone()),
        _ => return not_here(WHERE),
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
    Outcome::Done(Vec::new())
}

fn edit_tags(app: &mut App) -> Outcome {
    const WHERE: &str = "edits tags on a user, role or customer-managed policy";
    let Some(target) = selected_target(app) else {
        return not_here(format!("{WHERE}: select one"));
    };
    let tag_target = match &target {
        Target::User(n) => TagTarget::User(n.clone()),
        Target::Role(n) => TagTarget::Role(n.clone()),
        Target::Policy(a) if !is_aws_managed_arn(a) => TagTarget::Policy(a.clone()),
        _ => return not_here(format!("{WHERE}; not on {}", target.label())),
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
        Screen::List(_) => return not_here(format!("{WHERE}: open one (Enter)")),
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
    Outcome::Done(Vec::new())
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
