//! Everything the screen shows, owned by the loop and changed only by `update`.

use std::sync::Arc;

use super::loadable::Loadable;
use crate::iam::backend::BackendInfo;
use crate::iam::{Backend, Identity};

/// Why the console ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit, or a signal asked us to.
    Normal,
    /// A background task panicked.
    Crashed,
}

pub struct App {
    /// What the header shows: what the command line asked for until the backend is connected,
    /// then what the backend reports.
    pub info: BackendInfo,
    pub backend: Loadable<Arc<dyn Backend>>,
    pub identity: Loadable<Identity>,
    /// Set when the loop should stop.
    pub exit: Option<Exit>,
}

impl App {
    pub fn new(info: BackendInfo) -> Self {
        Self {
            info,
            backend: Loadable::default(),
            identity: Loadable::default(),
            exit: None,
        }
    }
}
