//! What rooms ask of each other. A room never calls another room: it queues an [`Intent`]
//! with [`App::ask`], and the shell, after each message, hands it to the room it is for.

use super::message::Effect;
use super::overlay::Pending;
use super::state::App;

/// A request from one room (or the shell) to another, run after the current message.
#[derive(Debug, Clone)]
pub enum Intent {
    /// Load the detail view on top again.
    ReloadDetail,
    /// Send these confirmed calls, one after another.
    Perform(Pending),
    /// A detail part arrived: a document waited for may now open in the editor.
    DetailArrived,
    /// Open the policy editor on the assume dialog's session policy.
    EditSessionPolicy { text: String },
    /// The session policy the editor kept, back into the assume dialog.
    KeepSessionPolicy { text: String },
    /// Load the lists of this kind if they are not loaded (a picker's choices).
    EnsureKind(crate::commands::palette::ViewKind),
    /// Start making a role (`n` in `:roles`).
    NewRole,
    /// Edit the selected role's description and maximum session (`u` in `:roles`).
    EditRole,
    /// Start making an identity provider (`n` in `:providers`).
    NewProvider,
    /// Update the selected identity provider (`u` in `:providers`).
    EditProvider,
    /// Open the policy editor on a new role's trust policy; saving creates the role.
    EditNewRole {
        req: Box<crate::iam::CreateRole>,
        document: String,
    },
}

impl App {
    /// Queues an intent; the shell runs it once the current message is handled.
    pub fn ask(&mut self, intent: Intent) {
        self.intents.push_back(intent);
    }
}

/// Runs the queued intents (and any they queue) in order.
pub fn drain(app: &mut App) -> Vec<Effect> {
    let mut out = Vec::new();
    while let Some(intent) = app.intents.pop_front() {
        out.extend(match intent {
            Intent::ReloadDetail => crate::app::browse::loading::reload_detail(app),
            Intent::Perform(pending) => {
                let out = super::actions::perform(app, pending);
                if out.is_empty() {
                    // Nothing was sent (refused): no reply will re-open the prompt.
                    app.refusable_prompt = None;
                }
                out
            }
            Intent::DetailArrived => crate::app::editor::open_when_loaded(app),
            Intent::EditSessionPolicy { text } => {
                crate::app::editor::open_session_policy(app, &text)
            }
            Intent::KeepSessionPolicy { text } => {
                crate::app::assume::keep_session_policy(app, &text);
                Vec::new()
            }
            Intent::EnsureKind(kind) => crate::app::browse::loading::ensure_kind(app, kind),
            Intent::NewRole => crate::app::roles::create(app),
            Intent::EditRole => crate::app::roles::edit(app),
            Intent::NewProvider => crate::app::providers::create(app),
            Intent::EditProvider => crate::app::providers::edit(app),
            Intent::EditNewRole { req, document } => crate::app::editor::open_new(
                app,
                crate::app::editor::EditTarget::NewRole(req),
                &document,
            ),
        });
    }
    out
}
