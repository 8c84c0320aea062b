//! What the loop reacts to (`Message`) and what `update` asks it to start (`Effect`).

use std::sync::Arc;

use ratatui::crossterm::event::Event;

use super::loadable::Generation;
use crate::iam::{Backend, BackendError, Identity};

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
    /// A background task panicked; the panic hook has already restored the terminal.
    TaskPanicked { task: &'static str },
    /// Leave the console (a signal, or the terminal went away).
    Quit,
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
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Connect { generation } => write!(f, "Connect({generation})"),
            Self::Whoami { generation, .. } => write!(f, "Whoami({generation})"),
        }
    }
}
