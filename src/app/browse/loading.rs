//! The browse room's loading: which calls a view needs, and where each reply lands. Lists
//! are paged (rows show as soon as the first page arrives); per-user and per-group facts
//! follow once their list is complete.

use std::time::Duration;

use crate::app::model::data::{AccountData, Fact, Progress, Status};
use crate::app::model::detail::{self, Part};
use crate::app::model::kinds;
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::intent::Intent;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::{DetailView, Screen};
use crate::app::shell::state::{App, ListKind};
use crate::commands::palette::ViewKind;
use crate::iam::{BackendError, ReportState};

/// What a browse reply is for, so it lands in the right place (or is dropped when stale).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A page of one of the lists a kind loads (its index in the kind's `pages`).
    Page(ListKind, usize),
    ReportGenerate {
        attempt: u32,
    },
    ReportGet,
    Members(String),
    RoleLastUsed(String),
    UserKeys(String),
    KeyLastUsed(String),
    UserMfa(String),
    /// A part of the detail view with this generation.
    Detail {
        generation: u64,
        part: Part,
    },
    /// The tags `t` edits, for a resource whose tags are not loaded (a list row).
    Tags(crate::iam::TagTarget),
}

impl Purpose {
    /// Purposes that go through the bounded fan-out queue (one call per entity).
    pub fn fans_out(&self) -> bool {
        matches!(
            self,
            Purpose::Members(_)
                | Purpose::RoleLastUsed(_)
                | Purpose::UserKeys(_)
                | Purpose::KeyLastUsed(_)
                | Purpose::UserMfa(_)
        )
    }
}

/// Starts whatever the current screen needs and has not been asked for yet.
pub fn ensure(app: &mut App) -> Vec<Effect> {
    if app.backend.loaded().is_none() {
        return Vec::new();
    }
    let kind = match app.nav.current() {
        Screen::List(l) => l.kind,
        Screen::Detail(_) => return Vec::new(),
    };
    ensure_kind(app, kind)
}

/// Starts the loads a list view needs: its descriptor's lists, then what the view adds.
pub fn ensure_kind(app: &mut App, kind: ViewKind) -> Vec<Effect> {
    use Purpose as P;
    let mut out = Vec::new();
    for &l in kinds::of(kind).lists {
        out.extend(list(app, l));
    }
    match kind {
        ViewKind::Users => {
            let p = P::ReportGenerate { attempt: 0 };
            out.extend(once(
                app,
                |d| &mut d.report_status,
                p,
                Call::GenerateCredentialReport,
            ));
        }
        ViewKind::Audit => out.extend(crate::app::audit::load(app)),
        ViewKind::Keys | ViewKind::Mfa if app.data.users.status == Status::Complete => {
            out.extend(per_user(app, kind));
        }
        _ => {}
    }
    out
}

/// The lists a kind loads, each unless it has started.
fn list(app: &mut App, kind: ListKind) -> Vec<Effect> {
    let mut out = Vec::new();
    for (i, pages) in kinds::of(kind).pages.iter().enumerate() {
        let call = (pages.call)(None);
        out.extend(once(app, pages.status, Purpose::Page(kind, i), call));
    }
    out
}

/// Asks for `call` unless the status it fills has started.
fn once(
    app: &mut App,
    status: impl FnOnce(&mut AccountData) -> &mut Status,
    purpose: Purpose,
    call: Call,
) -> Vec<Effect> {
    let status = status(&mut app.data);
    if status.started() {
        return Vec::new();
    }
    *status = Status::Loading;
    loads::issue(app, purpose, call)
}

/// The per-user fan-out behind the keys and MFA views, once the users are known.
fn per_user(app: &mut App, kind: ViewKind) -> Vec<Effect> {
    type MakeCall = fn(String) -> (Purpose, Call);
    let (progress, make): (&mut Progress, MakeCall) = match kind {
        ViewKind::Keys => (&mut app.data.keys_progress, |u| {
            (Purpose::UserKeys(u.clone()), Call::AccessKeys { user: u })
        }),
        _ => (&mut app.data.mfa_progress, |u| {
            (Purpose::UserMfa(u.clone()), Call::UserMfa { user: u })
        }),
    };
    if progress.total > 0 || app.data.users.items.is_empty() {
        return Vec::new();
    }
    progress.total = app.data.users.items.len();
    let users = names(&app.data.users.items, |u| &u.name);
    loads::issue_all(app, users.into_iter().map(make))
}

/// The names of a list's items.
fn names<T>(items: &[T], name: impl Fn(&T) -> &String) -> Vec<String> {
    items.iter().map(|i| name(i).clone()).collect()
}

/// Starts (again) the loads of the detail view on top.
pub fn reload_detail(app: &mut App) -> Vec<Effect> {
    app.generations += 1;
    let generation = app.generations;
    let Screen::Detail(d) = app.nav.current_mut() else {
        return Vec::new();
    };
    let target = d.target.clone();
    // The tab and the place in it stay: the rows come back in the same order.
    **d = DetailView {
        tab: d.tab,
        selected: d.selected,
        offset: d.offset.clone(),
        ..DetailView::new(target.clone(), generation)
    };
    let calls = detail::initial_calls(&target);
    if let Screen::Detail(d) = app.nav.current_mut() {
        d.detail.pending = calls.len();
    }
    let calls = calls.into_iter();
    loads::issue_all(
        app,
        calls.map(|(part, c)| (Purpose::Detail { generation, part }, c)),
    )
}

/// Abandons the calls of detail views that are no longer on top.
pub fn cancel_details(app: &mut App, keep: Option<u64>) -> Vec<Effect> {
    loads::cancel_where(
        app,
        |p| matches!(p, crate::app::shell::state::Purpose::Browse(Purpose::Detail { generation, .. }) if Some(*generation) != keep),
    )
}

fn failed(e: &BackendError) -> Status {
    Status::Failed(crate::ui::error_text(e))
}

/// Records a reply of the browse room.
pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    let mut out = Vec::new();
    match (purpose, result) {
        (Purpose::Page(kind, i), Ok(reply)) => {
            let pages = &kinds::of(kind).pages[i];
            match (pages.store)(&mut app.data, reply) {
                Some(marker) => {
                    let call = (pages.call)(Some(marker));
                    out.extend(loads::issue(app, Purpose::Page(kind, i), call))
                }
                None => {
                    *(pages.status)(&mut app.data) = Status::Complete;
                    out.extend(list_complete(app, kind));
                }
            }
        }
        (Purpose::Page(kind, i), Err(e)) => {
            *(kinds::of(kind).pages[i].status)(&mut app.data) = failed(&e)
        }
        (Purpose::ReportGenerate { attempt }, Ok(Reply::ReportState(state))) => {
            if state == ReportState::Complete {
                out.extend(loads::issue(
                    app,
                    Purpose::ReportGet,
                    Call::GetCredentialReport,
                ));
            } else if attempt < 30 {
                // IAM builds the report in the background; ask again shortly.
                out.extend(loads::issue_after(
                    app,
                    Purpose::ReportGenerate {
                        attempt: attempt + 1,
                    },
                    Call::GenerateCredentialReport,
                    Some(Duration::from_millis(if attempt == 0 { 200 } else { 1000 })),
                ));
            } else {
                app.data.report_status =
                    Status::Failed("the credential report took too long to build".into());
            }
        }
        (Purpose::ReportGet, Ok(Reply::Report(r))) => {
            app.data.report = Some(r);
            app.data.report_status = Status::Complete;
        }
        (Purpose::ReportGenerate { .. } | Purpose::ReportGet, Err(e)) => {
            app.data.failed(Fact::Report, "", &e);
            app.data.report_status = failed(&e)
        }
        (Purpose::Members(group), result) => {
            app.data.members_progress.done += 1;
            match result {
                Ok(Reply::Group(g)) => {
                    app.data
                        .members
                        .insert(group, g.members.into_iter().map(|u| u.name).collect());
                }
                Err(e) => {
                    app.data.failed(Fact::Members, &group, &e);
                    app.data.members_progress.failed += 1;
                }
                _ => app.data.members_progress.failed += 1,
            }
        }
        (Purpose::RoleLastUsed(role), result) => match result {
            Ok(Reply::Role(r)) => {
                if let Some(slot) = app.data.roles.items.iter_mut().find(|x| x.name == role) {
                    slot.last_used = r.last_used;
                }
            }
            _ => tracing::debug!(%role, "role last used not available"),
        },
        (Purpose::UserKeys(user), result) => {
            app.data.keys_progress.done += 1;
            match result {
                Ok(Reply::AccessKeys(keys)) => {
                    let ids: Vec<String> = keys.iter().map(|k| k.access_key_id.clone()).collect();
                    app.data.keys.insert(user, keys);
                    out.extend(loads::issue_all(
                        app,
                        ids.into_iter().map(|id| {
                            (
                                Purpose::KeyLastUsed(id.clone()),
                                Call::KeyLastUsed { key_id: id },
                            )
                        }),
                    ));
                }
                Err(e) => {
                    app.data.failed(Fact::Keys, &user, &e);
                    app.data.keys_progress.failed += 1;
                }
                _ => app.data.keys_progress.failed += 1,
            }
        }
        (Purpose::KeyLastUsed(key), Ok(Reply::KeyLastUsed(l))) => {
            app.data.last_used.insert(key, l);
        }
        (Purpose::KeyLastUsed(key), Err(e)) => app.data.failed(Fact::KeyLastUsed, &key, &e),
        (Purpose::KeyLastUsed(_), _) => {}
        (Purpose::UserMfa(user), result) => {
            app.data.mfa_progress.done += 1;
            match result {
                Ok(Reply::MfaDevices(d)) => {
                    app.data.user_mfa.insert(user, d);
                }
                Err(e) => {
                    app.data.failed(Fact::Mfa, &user, &e);
                    app.data.mfa_progress.failed += 1;
                }
                _ => app.data.mfa_progress.failed += 1,
            }
        }
        (Purpose::Detail { generation, part }, result) => {
            out.extend(detail_reply(app, generation, part, result));
        }
        (Purpose::Tags(target), result) => {
            super::commands::tags_loaded(app, target, result);
        }
        (purpose, result) => {
            tracing::warn!(
                ?purpose,
                ok = result.is_ok(),
                "a reply of an unexpected shape"
            );
        }
    }
    out
}

/// Once a list is complete, the per-entity facts that depend on it.
fn list_complete(app: &mut App, kind: ListKind) -> Vec<Effect> {
    match kind {
        ListKind::Groups => {
            let groups = names(&app.data.groups.items, |g| &g.name);
            app.data.members_progress = Progress {
                total: groups.len(),
                ..Progress::default()
            };
            let calls = groups.into_iter();
            loads::issue_all(
                app,
                calls.map(|g| (Purpose::Members(g.clone()), Call::GetGroup { name: g })),
            )
        }
        ListKind::Roles => {
            // ListRoles leaves out when each role was last used; GetRole has it.
            let roles = names(&app.data.roles.items, |r| &r.name).into_iter();
            loads::issue_all(
                app,
                roles.map(|r| (Purpose::RoleLastUsed(r.clone()), Call::GetRole { name: r })),
            )
        }
        ListKind::Users => match app.nav.current() {
            Screen::List(l) if matches!(l.kind, ViewKind::Keys | ViewKind::Mfa) => {
                let k = l.kind;
                per_user(app, k)
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A detail part arrived: for the view on top (or the delete check in the confirmation).
fn detail_reply(
    app: &mut App,
    generation: u64,
    part: detail::Part,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    let view = match app.nav.current_mut() {
        Screen::Detail(d) => Some(&mut **d),
        _ => None,
    };
    let Some(view) = view.filter(|v| v.generation == generation) else {
        return Vec::new();
    };
    view.detail.pending = view.detail.pending.saturating_sub(1);
    let next = match result {
        Ok(reply) => detail::apply(&mut view.detail, &view.target.clone(), part, reply),
        Err(e) => {
            view.detail.failed(part, &e);
            Vec::new()
        }
    };
    view.detail.pending += next.len();
    let out = loads::issue_all(
        app,
        next.into_iter()
            .map(|(part, call)| (Purpose::Detail { generation, part }, call)),
    );
    app.ask(Intent::DetailArrived);
    out
}
