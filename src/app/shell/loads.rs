//! Requests: the calls in flight, the bounded fan-out of per-entity calls, and each reply
//! routed by its purpose's room tag to that room's `on_reply`.

use std::time::Duration;

use super::calls::{Call, Reply};
use super::message::Effect;
use super::nav::Screen;
use super::state::{App, FANOUT, Purpose, ShellPurpose};
use crate::app::browse::loading;
use crate::iam::BackendError;

/// Asks for one call. Per-entity calls wait in the fan-out queue for a free slot.
pub fn issue(app: &mut App, purpose: impl Into<Purpose>, call: Call) -> Vec<Effect> {
    issue_after(app, purpose, call, None)
}

/// [`issue`] for each `(purpose, call)`.
pub fn issue_all<P: Into<Purpose>>(
    app: &mut App,
    calls: impl IntoIterator<Item = (P, Call)>,
) -> Vec<Effect> {
    let mut out = Vec::new();
    for (purpose, call) in calls {
        out.extend(issue(app, purpose, call));
    }
    out
}

/// [`issue`], the call starting after `delay`.
pub fn issue_after(
    app: &mut App,
    purpose: impl Into<Purpose>,
    call: Call,
    delay: Option<Duration>,
) -> Vec<Effect> {
    let purpose = purpose.into();
    if purpose.fans_out() {
        app.fanout.push_back((purpose, call));
        return pump(app);
    }
    start(app, purpose, call, delay).into_iter().collect()
}

fn start(app: &mut App, purpose: Purpose, call: Call, delay: Option<Duration>) -> Option<Effect> {
    let backend = app.backend.loaded()?.clone();
    start_on(app, backend, purpose, call, delay)
}

/// A call signed by another backend than the console's (an MFA session assuming a role).
pub fn issue_with(
    app: &mut App,
    backend: std::sync::Arc<dyn crate::iam::Backend>,
    purpose: impl Into<Purpose>,
    call: Call,
) -> Vec<Effect> {
    start_on(app, backend, purpose.into(), call, None)
        .into_iter()
        .collect()
}

fn start_on(
    app: &mut App,
    backend: std::sync::Arc<dyn crate::iam::Backend>,
    purpose: Purpose,
    call: Call,
    delay: Option<Duration>,
) -> Option<Effect> {
    let id = app.next_request;
    app.next_request += 1;
    if purpose.fans_out() {
        app.fanout_running += 1;
    }
    app.requests.insert(id, purpose);
    Some(Effect::Call {
        id,
        backend,
        call,
        delay,
    })
}

/// Starts queued per-entity calls while slots are free.
pub fn pump(app: &mut App) -> Vec<Effect> {
    let mut out = Vec::new();
    while app.fanout_running < FANOUT {
        let Some((purpose, call)) = app.fanout.pop_front() else {
            break;
        };
        match start(app, purpose, call, None) {
            Some(e) => out.push(e),
            None => break,
        }
    }
    out
}

/// After a change: the view on top shows it (a list loads afresh, a detail reloads).
pub fn refresh_view(app: &mut App) -> Vec<Effect> {
    match app.nav.current() {
        Screen::List(_) => reload(app),
        Screen::Detail(_) => {
            app.ask(super::intent::Intent::ReloadDetail);
            Vec::new()
        }
    }
}

/// Forgets everything loaded, so the current view loads afresh (`refresh`, after a change).
pub fn reload(app: &mut App) -> Vec<Effect> {
    // A confirmed change, a bulk batch or a cascade delete runs on; everything else is asked
    // again.
    let mut out = cancel_where(app, |p| {
        !matches!(
            p,
            Purpose::Shell(_) | Purpose::Bulk(_) | Purpose::Cascade(_)
        )
    });
    app.fanout.clear();
    app.fanout_running = 0;
    // The version goes on counting: a list built from the old data must see the new data as
    // newer even when as many replies have arrived since.
    let version = app.data.version;
    app.data = Default::default();
    app.data.version = version;
    app.data.touch();
    if let Screen::Detail(_) = app.nav.current() {
        out.extend(loading::reload_detail(app));
    }
    out.extend(loading::ensure(app));
    out
}

/// Abandons the requests in flight `stale` picks.
pub fn cancel_where(app: &mut App, stale: impl Fn(&Purpose) -> bool) -> Vec<Effect> {
    let ids: Vec<u64> = app
        .requests
        .iter()
        .filter(|(_, p)| stale(p))
        .map(|(id, _)| *id)
        .collect();
    for id in &ids {
        app.requests.remove(id);
    }
    if ids.is_empty() {
        Vec::new()
    } else {
        vec![Effect::Cancel(ids)]
    }
}

/// Records a reply and returns the calls it leads to.
pub fn on_reply(app: &mut App, id: u64, result: Result<Reply, BackendError>) -> Vec<Effect> {
    let Some(purpose) = app.requests.remove(&id) else {
        // Stale: the user moved on, or everything was reloaded since.
        return Vec::new();
    };
    if purpose.fans_out() {
        app.fanout_running = app.fanout_running.saturating_sub(1);
    }
    app.data.touch();
    let mut out = match purpose {
        Purpose::Browse(p) => crate::app::browse::loading::on_reply(app, p, result),
        Purpose::Keys(p) => crate::app::keys::on_reply(app, p, result),
        Purpose::Roles(p) => crate::app::roles::on_reply(app, p, result),
        Purpose::Providers(p) => crate::app::providers::on_reply(app, p, result),
        Purpose::Account(p) => crate::app::account::on_reply(app, p, result),
        Purpose::Assume(p) => crate::app::assume::on_reply(app, p, result),
        Purpose::Editor(p) => crate::app::editor::on_reply(app, p.generation, p.step, result),
        Purpose::Shell(ShellPurpose::Change { what, leave_detail }) => {
            super::actions::change_done(app, what, leave_detail, result)
        }
        Purpose::Versions(p) => crate::app::versions::on_reply(app, p, result),
        Purpose::Bulk(p) => crate::app::bulk::on_reply(app, p, result),
        Purpose::Cascade(p) => crate::app::cascade::on_reply(app, p, result),
    };
    out.extend(pump(app));
    out
}
