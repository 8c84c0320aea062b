//! Cascade delete, as the AWS console does it: `delete` on a user, group, role or
//! customer-managed policy loads what stands in the way, shows every call it will make in order
//! ([`plan::plan`]), asks for the name, then makes the calls one after another. At the first
//! failure it stops and says what was done, what failed with IAM's message, and what was not
//! attempted; the view reloads so the screen shows the account as it is.

pub mod plan;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::app::model::detail::{self, Detail};
use crate::app::model::table::Target;
use crate::app::shell::actions::{Outcome, dialog_action, edit_input, not_here};
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::Screen;
use crate::app::shell::overlay::{Input, Overlay, TextScroll};
use crate::app::shell::state::App;
use crate::commands::PromptCommand;
use crate::iam::BackendError;

pub use plan::{Step, plan};

/// What a cascade reply is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A part of the detail the plan is made from.
    Load { generation: u64, part: detail::Part },
    /// Step `index` of the plan.
    Step { generation: u64, index: usize },
    /// Where the deletion task of a service-linked role (step `index`) stands.
    Deletion {
        generation: u64,
        index: usize,
        task: String,
    },
}

/// How often the status of a service-linked role's deletion is asked for.
const DELETION_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// Where a cascade stands.
#[derive(Debug, Clone)]
pub enum Phase {
    /// Loading what stands in the way.
    Loading,
    /// The console will not delete it: why.
    Refused(Vec<String>),
    /// The plan, waiting for the name to be typed.
    Ready,
    /// Running: the steps before `next` are done.
    Running { next: usize },
    /// Stopped at step `failed` with IAM's message; the ones after were not attempted.
    Failed { failed: usize, message: String },
}

/// The cascade dialog.
#[derive(Debug, Clone)]
pub struct Dialog {
    pub target: Target,
    pub generation: u64,
    pub detail: Detail,
    pub steps: Vec<Step>,
    pub phase: Phase,
    pub input: Input,
    /// What was wrong with the typed name.
    pub error: Option<String>,
    pub scroll: TextScroll,
    /// Opened from the resource's detail view: leave it once the resource is gone.
    pub leave_detail: bool,
}

impl Dialog {
    pub fn title(&self) -> String {
        format!("Delete {}", self.target.label())
    }

    /// The key hints for this phase.
    pub fn footer(&self) -> String {
        match &self.phase {
            Phase::Loading => "checking what stands in the way… Esc cancels".into(),
            Phase::Refused(_) => "Esc closes".into(),
            Phase::Ready => format!(
                "Type {} and press Enter to make these {} calls · ↑↓ PgUp PgDn scroll · Esc cancels",
                self.target.name(),
                self.steps.len()
            ),
            Phase::Running { .. } => {
                "deleting… (the calls run to the end or the first failure)".into()
            }
            Phase::Failed { .. } => "Esc closes · ↑↓ PgUp PgDn scroll".into(),
        }
    }

    /// The body: the plan with each step's state, or why there is none.
    pub fn lines(&self) -> Vec<(String, LineState)> {
        match &self.phase {
            Phase::Loading => vec![("loading the detail…".into(), LineState::Plain)],
            Phase::Refused(why) => why.iter().map(|l| (l.clone(), LineState::Plain)).collect(),
            phase => {
                let intro = if self.steps.len() > 1 {
                    format!(
                        "IAM deletes a {} only once nothing depends on it. These calls run in order:",
                        self.target.kind.noun
                    )
                } else {
                    "This call deletes it:".to_string()
                };
                let mut out = vec![(intro, LineState::Plain)];
                for (i, s) in self.steps.iter().enumerate() {
                    let state = match phase {
                        Phase::Running { next } if i < *next => LineState::Done,
                        Phase::Running { next } if i == *next => LineState::Running,
                        Phase::Failed { failed, .. } if i < *failed => LineState::Done,
                        Phase::Failed { failed, .. } if i == *failed => LineState::Failed,
                        Phase::Failed { .. } => LineState::NotAttempted,
                        _ => LineState::Planned,
                    };
                    out.push((format!("{:>3}. {}", i + 1, s.label), state));
                }
                out.extend(self.notes().into_iter().map(|n| (n, LineState::Plain)));
                if let Phase::Failed { failed, message } = phase {
                    let not = self.steps.len() - failed - 1;
                    out.push((
                        format!(
                            "Stopped: {failed} done, call {} failed, {not} not attempted.",
                            failed + 1
                        ),
                        LineState::Failed,
                    ));
                    out.push((message.clone(), LineState::Failed));
                }
                out
            }
        }
    }

    /// What the plan cannot show.
    fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self
            .target
            .is(crate::commands::palette::ViewKind::Users)
            .is_some()
        {
            out.push(
                "Service-specific credentials (CodeCommit Git, Keyspaces) are not listed by this \
                 console: if the user has any, DeleteUser fails and says so."
                    .into(),
            );
        }
        if self
            .steps
            .iter()
            .any(|s| s.label.contains("PermissionsBoundary"))
        {
            out.push(
                "Removing a permissions boundary can widen what that principal may do.".into(),
            );
        }
        // What IAM deletes without asking but breaks (roles trusting a provider).
        out.extend(detail::warnings(&self.detail));
        out.push("This cannot be undone.".into());
        out
    }
}

/// How a line of the dialog is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineState {
    Plain,
    Planned,
    Running,
    Done,
    Failed,
    NotAttempted,
}

/// `delete` on a user, group, role or policy (selected in a list or open in its detail).
pub fn on_command(app: &mut App) -> Outcome {
    let Some(target) = app.nav.selected_target() else {
        return not_here("deletes the selection: select a user, group, role or policy");
    };
    if let Err(why) = (target.kind.delete)(&target.id) {
        return not_here(why);
    }
    app.generations += 1;
    let generation = app.generations;
    let calls = detail::initial_calls(&target);
    let d = Detail {
        pending: calls.len(),
        ..Detail::default()
    };
    app.overlay = Some(Overlay::Cascade(Box::new(Dialog {
        leave_detail: matches!(app.nav.current(), Screen::Detail(_)),
        target,
        generation,
        detail: d,
        steps: Vec::new(),
        phase: Phase::Loading,
        input: Input::default(),
        error: None,
        scroll: TextScroll::wrapped(),
    })));
    loads::issue_all(
        app,
        calls
            .into_iter()
            .map(|(part, call)| (Purpose::Load { generation, part }, call)),
    )
    .into()
}

fn dialog(app: &mut App, generation: u64) -> Option<&mut Dialog> {
    match &mut app.overlay {
        Some(Overlay::Cascade(d)) if d.generation == generation => Some(d),
        _ => None,
    }
}

pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    match purpose {
        Purpose::Load { generation, part } => {
            let Some(d) = dialog(app, generation) else {
                return Vec::new();
            };
            d.detail.pending = d.detail.pending.saturating_sub(1);
            let next = match result {
                Ok(reply) => detail::apply(&mut d.detail, &d.target.clone(), part, reply),
                Err(e) => {
                    d.detail.failed(part, &e);
                    Vec::new()
                }
            };
            d.detail.pending += next.len();
            if d.detail.pending == 0 {
                match plan(&d.detail, &d.target) {
                    Ok(steps) => {
                        d.steps = steps;
                        d.phase = Phase::Ready;
                    }
                    Err(why) => {
                        let mut lines = d.detail.errors.clone();
                        lines.push(why);
                        d.phase = Phase::Refused(lines);
                    }
                }
            }
            loads::issue_all(
                app,
                next.into_iter()
                    .map(|(part, call)| (Purpose::Load { generation, part }, call)),
            )
        }
        Purpose::Step { generation, index } => match result {
            // A service-linked role's deletion is a task: done once its status says so.
            Ok(Reply::Created(task))
                if matches!(
                    dialog(app, generation).and_then(|d| d.steps.get(index)),
                    Some(s) if matches!(s.call, Call::DeleteServiceLinkedRole { .. })
                ) =>
            {
                poll(app, generation, index, task, None)
            }
            result => step_done(app, generation, index, result),
        },
        Purpose::Deletion {
            generation,
            index,
            task,
        } => match result {
            Ok(Reply::RoleDeletion(s)) if !s.finished() => {
                poll(app, generation, index, task, Some(DELETION_POLL))
            }
            Ok(Reply::RoleDeletion(s)) if s.status == "FAILED" => {
                let mut why = s
                    .reason
                    .unwrap_or_else(|| "the service still uses the role".into());
                if !s.usages.is_empty() {
                    why = format!("{why}; used by {}", s.usages.join("; "));
                }
                let e = BackendError::new(
                    "GetServiceLinkedRoleDeletionStatus",
                    crate::iam::ErrorKind::DeleteConflict(why),
                );
                step_done(app, generation, index, Err(e))
            }
            result => step_done(app, generation, index, result),
        },
    }
}

/// Asks where a service-linked role's deletion stands (after `delay`).
fn poll(
    app: &mut App,
    generation: u64,
    index: usize,
    task: String,
    delay: Option<std::time::Duration>,
) -> Vec<Effect> {
    let call = Call::RoleDeletion {
        task_id: task.clone(),
    };
    let purpose = Purpose::Deletion {
        generation,
        index,
        task,
    };
    loads::issue_after(app, purpose, call, delay)
}

fn step_done(
    app: &mut App,
    generation: u64,
    index: usize,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    let Some(d) = dialog(app, generation) else {
        return Vec::new();
    };
    match result {
        Err(e) => {
            d.phase = Phase::Failed {
                failed: index,
                message: crate::ui::error_text(&e),
            };
            let text = format!(
                "delete of {} stopped at call {} of {}: {}",
                d.target.label(),
                index + 1,
                d.steps.len(),
                crate::ui::error_text(&e)
            );
            app.set_error(text);
            // The screen shows the account as it is now.
            loads::reload(app)
        }
        Ok(_) if index + 1 < d.steps.len() => {
            d.phase = Phase::Running { next: index + 1 };
            let call = d.steps[index + 1].call.clone();
            let purpose = Purpose::Step {
                generation,
                index: index + 1,
            };
            loads::issue(app, purpose, call)
        }
        Ok(_) => {
            let text = format!("Deleted {} ({} calls)", d.target.label(), d.steps.len());
            let leave = d.leave_detail;
            app.overlay = None;
            if leave && matches!(app.nav.current(), Screen::Detail(_)) {
                app.nav.crumbs.pop();
            }
            let out = loads::reload(app);
            app.set_status(text);
            out
        }
    }
}

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = dialog_action(app, key);
    let read_only = app.read_only().then(|| app.read_only_reason());
    let Some(Overlay::Cascade(d)) = &mut app.overlay else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Up => return scrolled(&d.scroll, -1),
        KeyCode::Down => return scrolled(&d.scroll, 1),
        KeyCode::PageUp => return scrolled(&d.scroll, -10),
        KeyCode::PageDown => return scrolled(&d.scroll, 10),
        _ => {}
    }
    if matches!(d.phase, Phase::Running { .. }) {
        // The calls run on; closing now would hide where they stop.
        if action == Some(PromptCommand::Cancel) {
            d.error = Some("the calls run on to the last one or the first failure".into());
        }
        return Vec::new();
    }
    match action {
        Some(PromptCommand::Cancel) => {
            app.overlay = None;
            Vec::new()
        }
        Some(PromptCommand::Confirm) if matches!(d.phase, Phase::Ready) => {
            if d.input.text != d.target.name() {
                d.error = Some(format!("that is not `{}`", d.target.name()));
                return Vec::new();
            }
            if let Some(why) = read_only {
                d.error = Some(format!("refused: {why}; no change was made"));
                return Vec::new();
            }
            d.error = None;
            d.phase = Phase::Running { next: 0 };
            let call = d.steps[0].call.clone();
            let generation = d.generation;
            let status = format!("deleting {}…", d.target.label());
            app.set_status(status);
            loads::issue(
                app,
                Purpose::Step {
                    generation,
                    index: 0,
                },
                call,
            )
        }
        _ => {
            if matches!(d.phase, Phase::Ready) && edit_input(&mut d.input, key) {
                d.error = None;
            }
            Vec::new()
        }
    }
}

fn scrolled(scroll: &TextScroll, rows: isize) -> Vec<Effect> {
    scroll.by(rows);
    Vec::new()
}

#[cfg(test)]
mod tests;
