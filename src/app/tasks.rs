//! Runs effects as tokio tasks that send their result back as a message.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

use super::message::{Effect, Message};
use crate::iam::{Backend, BackendError};

/// Builds the backend. Supplied by the binary, so the app does not know how backends are made
/// and connecting (which may touch the network, e.g. to find a region) never blocks the UI.
pub type Connector =
    Box<dyn FnMut() -> BoxFuture<'static, Result<Arc<dyn Backend>, BackendError>> + Send>;

pub struct Tasks {
    tx: UnboundedSender<Message>,
    connector: Connector,
}

impl Tasks {
    pub fn new(tx: UnboundedSender<Message>, connector: Connector) -> Self {
        Self { tx, connector }
    }

    pub fn run(&mut self, effect: Effect) {
        tracing::debug!(?effect, "starting task");
        match effect {
            Effect::Connect { generation } => {
                let connect = (self.connector)();
                self.spawn("connect", async move {
                    Message::Connected {
                        generation,
                        result: connect.await,
                    }
                });
            }
            Effect::Whoami {
                backend,
                generation,
            } => self.spawn("whoami", async move {
                Message::Identity {
                    generation,
                    result: backend.whoami().await,
                }
            }),
        }
    }

    /// A panicking task still answers, so the loop learns of it instead of waiting forever.
    fn spawn(&self, task: &'static str, work: impl Future<Output = Message> + Send + 'static) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let message = AssertUnwindSafe(work)
                .catch_unwind()
                .await
                .unwrap_or(Message::TaskPanicked { task });
            // The loop may have ended while we worked; nobody is left to tell.
            let _ = tx.send(message);
        });
    }
}
