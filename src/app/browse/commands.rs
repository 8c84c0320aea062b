//! What the browse room's commands do: moving through lists and details, opening, copying,
//! and the changes started from a selection (create, delete, attach, members, tags).

use super::loading::Purpose;
use crate::app::model::detail::{self, RowRef, Tab, tabs};
use crate::app::model::table::Target;
use crate::app::model::tags::{tag_words_checked, tags_text};
use crate::app::shell::actions::{Outcome, not_here, pretty};
use crate::app::shell::calls::Call;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::{DetailView, Screen};
use crate::app::shell::overlay::{Creating, Overlay, Pending, PickFor, Prompt, PromptKind};
use crate::app::shell::state::App;
use crate::commands::BrowseCommand;
use crate::commands::palette::ViewKind;
#[cfg(test)]
use crate::iam::EntityKind;
use crate::iam::{Tag, TagTarget};

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
                let n = crate::app::model::table::columns(l.kind).len();
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
        // The shell hands delete to the cascade room (see `actions::run`).
        BrowseCommand::Delete => not_here("deletes through the cascade room"),
        BrowseCommand::AttachPolicy => attach(app),
        BrowseCommand::SetBoundary => set_boundary(app),
        BrowseCommand::DetachPolicy => detach(app),
        BrowseCommand::AddMember => add_member(app),
        BrowseCommand::RemoveMember => remove_member(app),
        BrowseCommand::EditTags => edit_tags(app),
        BrowseCommand::ToggleMark => super::marks::toggle(app),
        BrowseCommand::MarkAll => super::marks::mark_all(app),
    }
}

/// Whether the current list's rows are still streaming in.
fn list_loading(app: &App) -> bool {
    use crate::app::model::data::Status::Loading;
    let Screen::List(l) = app.nav.current() else {
        return false;
    };
    (crate::app::model::kinds::of(l.kind).status)(&app.data).contains(&Loading)
}

/// A command on the selected row of a list whose rows are still streaming in, while the row
/// the selection stands for is not shown yet (a reload took it away and its page has not come
/// back; or no row has arrived): it waits for the list to load, then runs on that row, never on
/// whatever stands in for it meanwhile. `None`: run it now.
pub fn defer(app: &mut App, command: crate::commands::Command) -> Option<Outcome> {
    use crate::commands::Command;
    if let Command::Browse(
        BrowseCommand::Up
        | BrowseCommand::Down
        | BrowseCommand::PageUp
        | BrowseCommand::PageDown
        | BrowseCommand::Top
        | BrowseCommand::Bottom,
    )
    | Command::Prompt(_) = command
    {
        return None;
    }
    let loading = list_loading(app);
    let Screen::List(l) = app.nav.current_mut() else {
        return None;
    };
    if !loading || (l.wanted.is_none() && !l.rows.is_empty()) {
        return None;
    }
    l.deferred = Some(command);
    app.set_status(format!("`{}` waits for the list to load…", command.name()));
    Some(Outcome::Done(Vec::new()))
}

/// Runs the command [`defer`] kept, once the list has loaded: on the row it was meant for, or
/// says that row is gone.
pub fn run_deferred(app: &mut App) -> Vec<Effect> {
    let Screen::List(l) = app.nav.current() else {
        return Vec::new();
    };
    if l.deferred.is_none() || list_loading(app) {
        return Vec::new();
    }
    // The rows as the complete data makes them (a reply's rebuild may have been put off).
    crate::app::browse::views::refresh(app, true);
    let Screen::List(l) = app.nav.current_mut() else {
        return Vec::new();
    };
    let Some(command) = l.deferred.take() else {
        return Vec::new();
    };
    if l.wanted.is_some() {
        app.set_error(format!(
            "`{}` not run: the row it was meant for is no longer in the list",
            command.name()
        ));
        return Vec::new();
    }
    app.status = None;
    match crate::app::shell::actions::run(app, command) {
        Outcome::Done(effects) => effects,
        Outcome::NotHere(why) => {
            app.set_error(format!("`{}` {why}", command.name()));
            Vec::new()
        }
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
            // Moving is a new choice: a command waiting for the old one is dropped.
            l.deferred = None;
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
            let len = d.rows(now).len();
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
            // A row with no detail view but a record of its own (the audit trail) shows it.
            None if l.selected_row().is_some_and(|r| r.json.is_some()) => show_json(app),
            None => not_here("opens the selected row: this one has no detail view"),
        },
        Screen::Detail(d) => {
            let Some(row) = d.selected_row(now) else {
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
    let Some(arn) = d.target.is(ViewKind::Policies).map(str::to_string) else {
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

fn arn_of(app: &App) -> Option<String> {
    match app.nav.current() {
        Screen::List(l) => l.selected_row().and_then(|r| r.arn.clone()),
        Screen::Detail(d) => {
            let det = &d.detail;
            det.main::<crate::iam::User>()
                .map(|u| u.arn.clone())
                .or_else(|| {
                    det.main::<crate::iam::GroupDetail>()
                        .map(|g| g.group.arn.clone())
                })
                .or_else(|| det.main::<crate::iam::Role>().map(|r| r.arn.clone()))
                // Policies and providers are opened by ARN.
                .or_else(|| d.target.id.starts_with("arn:").then(|| d.target.id.clone()))
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
        Screen::Detail(d) => (d.target.label(), detail::json(&d.detail, &d.target)),
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
        ViewKind::InstanceProfiles => Creating::InstanceProfile,
        ViewKind::Roles => {
            app.ask(crate::app::shell::intent::Intent::NewRole);
            return Outcome::Done(Vec::new());
        }
        ViewKind::Providers => {
            app.ask(crate::app::shell::intent::Intent::NewProvider);
            return Outcome::Done(Vec::new());
        }
        ViewKind::Policies => {
            return not_here(
                "creates users, groups and roles; a managed policy starts from a template: N",
            );
        }
        _ => {
            return not_here(format!(
                "creates users, groups, roles and instance profiles; nothing is created in {}",
                kind.title()
            ));
        }
    };
    app.prompt = Some(Prompt::new(PromptKind::CreateName { what }, ""));
    Outcome::Done(Vec::new())
}

fn attach(app: &mut App) -> Outcome {
    let Some(entity) = app.nav.selected_target().as_ref().and_then(Target::entity) else {
        return not_here("attaches a policy to a user, group or role: select one");
    };
    let out = super::loading::ensure_kind(app, ViewKind::Policies);
    let title = format!(
        "Attach a policy to {} {}",
        entity.kind.as_str(),
        entity.name
    );
    app.overlay = Some(Overlay::picker(title, PickFor::Attach(entity)));
    out.into()
}

/// `B`: a picker of managed policies; the chosen one becomes the boundary.
fn set_boundary(app: &mut App) -> Outcome {
    let entity = app.nav.selected_target().as_ref().and_then(Target::entity);
    let Some(entity) = entity.filter(|e| e.kind != crate::iam::EntityKind::Group) else {
        return not_here("sets the permissions boundary of a user or role: select one");
    };
    let out = super::loading::ensure_kind(app, ViewKind::Policies);
    let title = format!(
        "Permissions boundary for {} {}",
        entity.kind.as_str(),
        entity.name
    );
    app.overlay = Some(Overlay::picker(title, PickFor::Boundary(entity)));
    out.into()
}

/// The selected row of the detail view on top.
fn detail_row(app: &App) -> Option<(Target, detail::DetailRow)> {
    let d = app.nav.detail()?;
    Some((d.target.clone(), d.selected_row(app.now())?))
}

fn detach(app: &mut App) -> Outcome {
    const WHERE: &str = "detaches a policy: select an attached one (or the boundary) in the \
                         Permissions tab, or an entity in a policy's Attached to tab; in a list, \
                         mark users, groups or roles (space)";
    let Some((target, row)) = detail_row(app) else {
        return not_here(WHERE);
    };
    // A principal's boundary row: the boundary is removed.
    if let (RowRef::Boundary(arn), Some(entity)) = (&row.what, target.entity()) {
        let name = arn.rsplit('/').next().unwrap_or(arn);
        let from = target.label();
        app.confirm(
            "Remove permissions boundary".into(),
            format!(
                "Remove the permissions boundary {name} from {from}? Its policies alone then decide what it may do."
            ),
            Pending::new(
                format!("Removed the permissions boundary of {from}"),
                vec![Call::DeleteBoundary { entity }],
            ),
        );
        return Outcome::Done(Vec::new());
    }
    // A managed policy's "Attached to" tab: detach it from the selected user, group or role;
    // a principal's Permissions tab: detach the selected policy from it.
    let (arn, entity, from) = match (target.is(ViewKind::Policies), &row.link, &row.what) {
        (Some(arn), Some(link), _) if link.entity().is_some() => {
            if row.cells.first().map(String::as_str) != Some("attached") {
                return not_here(
                    "detaches a policy from a user, group or role: this row is a permissions \
                     boundary, not an attachment",
                );
            }
            (arn.to_string(), link.entity(), link.label())
        }
        (_, _, RowRef::Attached(arn)) => (arn.clone(), target.entity(), target.label()),
        _ => return not_here(WHERE),
    };
    let Some(entity) = entity else {
        return not_here(WHERE);
    };
    let name = arn.rsplit('/').next().unwrap_or(&arn).to_string();
    app.confirm(
        "Detach policy".into(),
        format!("Detach {name} from {from}?"),
        Pending::new(
            format!("Detached {name} from {from}"),
            vec![Call::Detach { entity, arn }],
        ),
    );
    Outcome::Done(Vec::new())
}

fn add_member(app: &mut App) -> Outcome {
    let target = app.nav.selected_target();
    let (purpose, title, needs) = match target.as_ref().map(|t| (t.view(), t.id.clone())) {
        Some((ViewKind::Groups, g)) => (
            PickFor::MemberOf(g.clone()),
            format!("Add a user to group {g}"),
            ViewKind::Users,
        ),
        Some((ViewKind::Users, u)) => (
            PickFor::JoinGroup(u.clone()),
            format!("Add user {u} to a group"),
            ViewKind::Groups,
        ),
        Some((ViewKind::InstanceProfiles, p)) => {
            // IAM's quota: one role per instance profile.
            if let Some(role) = profile_role(app, &p) {
                return not_here(format!(
                    "adds a role: {p} holds one already; remove {role} first (M in Roles)"
                ));
            }
            (
                PickFor::ProfileRole(p.clone()),
                format!("Add a role to instance profile {p}"),
                ViewKind::Roles,
            )
        }
        _ => {
            return not_here(
                "adds a user to a group, or a role to an instance profile: select a group, a \
                 user or an instance profile",
            );
        }
    };
    let out = super::loading::ensure_kind(app, needs);
    app.overlay = Some(Overlay::picker(title, purpose));
    out.into()
}

/// The role an instance profile holds, as the list or the open detail knows it.
fn profile_role(app: &App, profile: &str) -> Option<String> {
    let from_detail = app
        .nav
        .detail()
        .and_then(|d| d.detail.main::<crate::iam::InstanceProfile>())
        .filter(|p| p.name == profile);
    let from_list = || {
        app.data
            .list::<crate::iam::InstanceProfile>()
            .and_then(|l| l.items.iter().find(|p| p.name == profile))
    };
    from_detail
        .or_else(from_list)
        .and_then(|p| p.roles.first().cloned())
}

fn remove_member(app: &mut App) -> Outcome {
    const WHERE: &str = "removes a member: select one in a group's Members tab, a group in a \
                         user's Groups tab, or the role in an instance profile's Roles tab";
    let Some((target, row)) = detail_row(app) else {
        return not_here(WHERE);
    };
    let (group, user) = match (target.view(), &row.what) {
        (ViewKind::Groups, RowRef::Member(u)) => (target.id.clone(), u.clone()),
        (ViewKind::Users, RowRef::Group(g)) => (g.clone(), target.id.clone()),
        (ViewKind::InstanceProfiles, RowRef::Member(role)) => {
            let (profile, role) = (target.id.clone(), role.clone());
            app.confirm(
                "Remove from instance profile".into(),
                format!(
                    "Remove role {role} from instance profile {profile}? Instances launched \
                     with the profile lose the role's credentials."
                ),
                Pending::new(
                    format!("Removed {role} from {profile}"),
                    vec![Call::RemoveRoleFromInstanceProfile { profile, role }],
                ),
            );
            return Outcome::Done(Vec::new());
        }
        _ => return not_here(WHERE),
    };
    app.confirm(
        "Remove from group".into(),
        format!("Remove user {user} from group {group}?"),
        Pending::new(
            format!("Removed {user} from {group}"),
            vec![Call::RemoveMember { group, user }],
        ),
    );
    Outcome::Done(Vec::new())
}

/// What `t` edits the tags of: users, roles, customer-managed policies and identity
/// providers (IAM does not tag groups, nor AWS managed policies).
fn tag_target(target: &Target) -> Result<TagTarget, String> {
    (target.kind.tags)(&target.id).map_err(|why| {
        format!(
            "edits the tags of a user, role, customer-managed policy or identity provider: {why}"
        )
    })
}

fn edit_tags(app: &mut App) -> Outcome {
    const WHERE: &str = "edits the tags of a user, role, customer-managed policy, instance profile or identity provider";
    let Some(target) = app.nav.selected_target() else {
        return not_here(format!("{WHERE}: select one"));
    };
    let tag_target = match tag_target(&target) {
        Ok(t) => t,
        Err(why) => return not_here(why),
    };
    // A detail view that has loaded them knows the tags; otherwise they are asked for and the
    // prompt opens when they arrive.
    let known: Option<Vec<Tag>> = match app.nav.current() {
        Screen::Detail(d) => match d.target.view() {
            ViewKind::Users => d.detail.main::<crate::iam::User>().map(|u| u.tags.clone()),
            ViewKind::Roles => d.detail.main::<crate::iam::Role>().map(|r| r.tags.clone()),
            ViewKind::Policies => d.detail.tags.clone(),
            ViewKind::InstanceProfiles => d
                .detail
                .main::<crate::iam::InstanceProfile>()
                .map(|p| p.tags.clone()),
            _ => None,
        },
        Screen::List(_) => None,
    };
    match known {
        Some(before) => {
            open_tags_prompt(app, tag_target, before);
            Outcome::Done(Vec::new())
        }
        None => {
            app.set_status(format!("loading the tags of {}…", target.label()));
            loads::issue(
                app,
                Purpose::Tags(tag_target.clone()),
                Call::Tags { target: tag_target },
            )
            .into()
        }
    }
}

fn open_tags_prompt(app: &mut App, target: TagTarget, before: Vec<Tag>) {
    let text = tags_text(&before);
    app.prompt = Some(Prompt::new(PromptKind::Tags { target, before }, &text));
}

/// The tags `t` asked for arrived: the prompt opens with them, unless the user has since
/// opened something else.
pub fn tags_loaded(
    app: &mut App,
    target: TagTarget,
    result: Result<crate::app::shell::calls::Reply, crate::iam::BackendError>,
) {
    match result {
        Ok(crate::app::shell::calls::Reply::Tags(tags)) => {
            if app.prompt.is_some() || app.overlay.is_some() || app.editor.is_some() {
                return;
            }
            app.status = None;
            open_tags_prompt(app, target, tags);
        }
        Ok(_) => {}
        Err(e) => app.set_error(crate::ui::error_text(&e)),
    }
}

/// Reads `key=value` words (and `-key` removals) into the calls that make the tags so. Keys
/// and values may be quoted; IAM's tag rules are checked before any call.
pub fn tag_calls(target: &TagTarget, before: &[Tag], text: &str) -> Result<Vec<Call>, String> {
    let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    let (wanted, mut removed) = tag_words_checked(text)?;
    // Keys left out of the text are removed too: the text is the new set.
    for t in before {
        if !wanted.iter().any(|w| same(&w.key, &t.key)) && !removed.iter().any(|r| same(r, &t.key))
        {
            removed.push(t.key.clone());
        }
    }
    // Removing a key the resource does not have is no change.
    removed.retain(|r| before.iter().any(|t| same(&t.key, r)));
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
    use crate::app::model::tags::{TagWord, tag_words};

    /// The call that sets `tags` (key, value) on `target`.
    fn set(target: &TagTarget, tags: &[(&str, &str)]) -> Call {
        let tags = tags.iter().map(|&(k, v)| Tag::new(k, v)).collect();
        let target = target.clone();
        Call::Tag { target, tags }
    }

    /// The call that removes the tags `keys` from `target`.
    fn unset(target: &TagTarget, keys: &[&str]) -> Call {
        let keys = keys.iter().map(|k| k.to_string()).collect();
        let target = target.clone();
        Call::Untag { target, keys }
    }

    #[test]
    fn tag_text_becomes_tag_and_untag_calls() {
        let target = TagTarget::User("u".into());
        let before = vec![Tag::new("team", "blue"), Tag::new("old", "x")];
        let calls = tag_calls(&target, &before, "team=red cost=42").unwrap();
        let set_and_unset = [
            set(&target, &[("team", "red"), ("cost", "42")]),
            unset(&target, &["old"]),
        ];
        assert_eq!(calls, set_and_unset);
        assert!(
            tag_calls(&target, &before, "team=blue old=x")
                .unwrap()
                .is_empty()
        );
        assert!(tag_calls(&target, &before, "novalue").is_err());
        assert!(tag_calls(&target, &before, "=x").is_err());
        let calls = tag_calls(&target, &before, "team=blue -old").unwrap();
        assert_eq!(calls, [unset(&target, &["old"])]);
    }

    #[test]
    fn quoted_keys_and_values_keep_their_spaces() {
        let target = TagTarget::Role("r".into());
        let calls = tag_calls(
            &target,
            &[],
            r#"Team="Data Platform" "cost centre"=42 'Note'='say "hi"' q="a \"b\" c""#,
        );
        // `"` is not one of IAM's tag characters: refused before any call.
        assert!(calls.unwrap_err().contains('"'));
        let calls = tag_calls(
            &target,
            &[Tag::new("gone", "x")],
            r#"Team="Data Platform" "cost centre"=42 'Owner'='Jo Lee' -gone"#,
        )
        .unwrap();
        let tags = [
            ("Team", "Data Platform"),
            ("cost centre", "42"),
            ("Owner", "Jo Lee"),
        ];
        assert_eq!(calls, [set(&target, &tags), unset(&target, &["gone"])]);
        assert_eq!(
            tag_words(r#"k="a \"q\" \\ b" -"x y""#).unwrap(),
            [
                TagWord::Set("k".into(), r#"a "q" \ b"#.into()),
                TagWord::Remove("x y".into())
            ]
        );
        assert!(tag_words(r#"k="open"#).is_err());
    }

    #[test]
    fn the_prompt_text_reads_back_as_the_same_tags() {
        let target = TagTarget::User("u".into());
        let before = vec![
            Tag::new("Team", "Data Platform"),
            Tag::new("cost centre", "42"),
            Tag::new("empty", ""),
            Tag::new("url", "https://x.example/a=b"),
        ];
        let text = tags_text(&before);
        assert_eq!(
            text,
            r#"Team="Data Platform" "cost centre"=42 empty= url=https://x.example/a=b"#
        );
        assert_eq!(tag_calls(&target, &before, &text).unwrap(), []);
    }

    #[test]
    fn iams_tag_rules_are_checked_before_any_call() {
        let target = TagTarget::User("u".into());
        let refused = |text: &str| tag_calls(&target, &[], text).unwrap_err();
        assert!(refused(&format!("{}=1", "k".repeat(129))).contains("128"));
        assert!(tag_calls(&target, &[], &format!("{}=1", "k".repeat(128))).is_ok());
        assert!(refused(&format!("k={}", "v".repeat(257))).contains("256"));
        assert!(tag_calls(&target, &[], &format!("k={}", "v".repeat(256))).is_ok());
        assert!(refused("AWS:x=1").contains("reserved"));
        assert!(refused("k=a;b").contains("`;`"));
        assert!(refused("k#=1").contains("`#`"));
        assert!(refused("a=1 A=2").contains("twice"));
        assert!(refused("a=1 -a").contains("both"));
        let many: Vec<String> = (0..51).map(|i| format!("k{i}=v")).collect();
        assert!(refused(&many.join(" ")).contains("50"));
        assert!(tag_calls(&target, &[], &many[..50].join(" ")).is_ok());
        // Unicode letters, spaces and the allowed signs pass.
        assert!(tag_calls(&target, &[], "\"Équipe données\"=\"_.:/=+-@ ü\"").is_ok());
    }

    #[test]
    fn a_key_whose_case_changes_is_set_not_removed() {
        let target = TagTarget::User("u".into());
        let calls = tag_calls(&target, &[Tag::new("team", "x")], "Team=x").unwrap();
        assert_eq!(calls, [set(&target, &[("Team", "x")])]);
    }

    #[tokio::test]
    async fn a_boundary_is_set_from_a_picker_and_removed_from_its_row() {
        use crate::app::harness::{Harness, demo_at};
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        async fn boundary(h: &Harness) -> Option<String> {
            let u = h.backend.get_user(Some("jenkins-ci")).await.unwrap();
            u.permissions_boundary
        }
        let mut h = demo_at("users jenkins").await;
        assert_eq!(boundary(&h).await, None);
        h.key(KeyCode::Char('B')).await;
        h.assert_shows("Permissions boundary for user jenkins-ci", true);
        // Enter on no match says so, and the picker stays.
        h.submit("qqqqzzzz").await;
        h.assert_shows("nothing matches what is typed", true);
        h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL).await;
        h.submit("ReadOnlyAccess").await;
        let arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        assert_eq!(boundary(&h).await.as_deref(), Some(arn));
        h.assert_shows(
            "Set ReadOnlyAccess as the permissions boundary of user",
            true,
        );

        // Shown as the last row of the Permissions tab, where x removes it.
        h.key(KeyCode::Enter).await;
        h.key(KeyCode::End).await;
        h.key(KeyCode::Char('x')).await;
        h.assert_shows("Remove the permissions boundary ReadOnlyAccess", true);
        h.key(KeyCode::Char('y')).await;
        assert_eq!(boundary(&h).await, None);

        // A role's, from its detail.
        h.command("roles DeveloperSandbox").await;
        h.key(KeyCode::Enter).await;
        h.key(KeyCode::Char('B')).await;
        h.submit("ReadOnlyAccess").await;
        h.key(KeyCode::End).await;
        h.key(KeyCode::Char('x')).await;
        h.assert_shows(
            "Remove the permissions boundary ReadOnlyAccess from role",
            true,
        );
        h.key(KeyCode::Esc).await;

        // Groups have no boundary.
        h.command("groups").await;
        h.key(KeyCode::Char('B')).await;
        h.assert_shows("sets the permissions boundary of a user or role", true);
    }

    #[test]
    fn entity_kinds_map() {
        assert_eq!(
            Target::role("r").entity().map(|e| e.kind),
            Some(EntityKind::Role)
        );
        assert_eq!(Target::policy("a").entity(), None);
    }
}
