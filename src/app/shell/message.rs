//! What the loop reacts to (`Message`) and what `update` asks it to start (`Effect`).

use std::sync::Arc;
use std::time::Duration;

use ratatui::crossterm::event::Event;

use super::calls::{Call, Reply};
use super::loadable::Generation;
use crate::iam::{Backend, BackendError, Identity};

/// What a rotation task sends back.
pub enum RotationUpdate {
    Step(crate::credentials::rotate::Event),
    Finished(
        Result<
            Box<crate::credentials::rotate::Report>,
            Box<crate::credentials::rotate::RotateError>,
        >,
    ),
}

pub enum Message {
    /// A key press, resize, paste... from the terminal.
    Input(Event),
    /// The backend finished connecting (or could not).
    Connected {
        generation: Generation,
        result: Result<Arc<dyn Backend>, BackendError>,
    },
    /// The reply to `whoami`.
    Identity {
        generation: Generation,
        result: Result<Identity, BackendError>,
    },
    /// A key rotation started from the console reports a step, or its end.
    Rotation {
        generation: u64,
        update: RotationUpdate,
    },
    /// A few times a second: rows catch up with data that streamed in.
    Tick,
    /// The reply to a backend call (see [`Effect::Call`]).
    Reply {
        id: u64,
        result: Result<Reply, BackendError>,
    },
    /// The audit log, read for `:audit` (or why it could not be).
    AuditLoaded(Result<Vec<crate::app::audit::Record>, String>),
    /// The audit log could not be written (sent once; see [`crate::app::audit`]).
    AuditFailed(String),
    /// A background task panicked; the panic hook has already restored the terminal.
    TaskPanicked { task: &'static str },
    /// Leave the console: the terminal went away.
    Quit,
    /// Leave the console because of this signal.
    Signalled(super::signals::Signal),
}

/// Work that runs off the UI: each effect becomes a task whose result comes back as a
/// [`Message`]. Effects carry everything the task needs, so the runner holds no state.
pub enum Effect {
    Connect {
        generation: Generation,
    },
    Whoami {
        backend: Arc<dyn Backend>,
        generation: Generation,
    },
    /// Make a backend call (after `delay`, when given) and send its reply back.
    Call {
        id: u64,
        backend: Arc<dyn Backend>,
        call: Call,
        delay: Option<Duration>,
    },
    /// Rotate an access key (the whole multi-step flow runs in one task).
    Rotate {
        generation: u64,
        backend: Arc<dyn Backend>,
        options: Box<crate::credentials::rotate::RotateOptions>,
    },
    /// Abandon calls whose replies nobody wants any more (the user moved on).
    Cancel(Vec<u64>),
    /// Read the audit log at this path (`:audit`).
    ReadAudit(std::path::PathBuf),
    /// Put text on the clipboard of the terminal's machine (OSC 52: works over SSH).
    Clipboard(String),
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Connect { generation } => write!(f, "Connect({generation})"),
            Self::Whoami { generation, .. } => write!(f, "Whoami({generation})"),
            Self::Call { id, call, .. } => write!(f, "Call({id}, {})", call.label()),
            Self::Rotate { generation, .. } => write!(f, "Rotate({generation})"),
            Self::Cancel(ids) => write!(f, "Cancel({ids:?})"),
            Self::ReadAudit(path) => write!(f, "ReadAudit({})", path.display()),
            // The text may be an ARN or more; it is not logged.
            Self::Clipboard(text) => write!(f, "Clipboard({} chars)", text.chars().count()),
        }
    }
}
