//! Runs effects as tokio tasks that send their result back as a message.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

use std::collections::HashMap;

use tokio::task::AbortHandle;

use super::message::{Effect, Message, RotationUpdate};
use crate::app::audit::{self, AuditLog};
use crate::iam::{Backend, BackendError};

/// Builds the backend. Supplied by the binary, so the app does not know how backends are made
/// and connecting (which may touch the network, e.g. to find a region) never blocks the UI.
pub type Connector =
    Box<dyn FnMut() -> BoxFuture<'static, Result<Arc<dyn Backend>, BackendError>> + Send>;

pub struct Tasks {
    tx: UnboundedSender<Message>,
    connector: Connector,
    /// Backend calls in flight, so the app can abandon them (`Effect::Cancel`).
    calls: HashMap<u64, AbortHandle>,
    /// Where changes are recorded (the audit trail); `None` records nothing.
    audit: Option<Arc<AuditLog>>,
}

impl Tasks {
    pub fn new(tx: UnboundedSender<Message>, connector: Connector) -> Self {
        Self {
            tx,
            connector,
            calls: HashMap::new(),
            audit: None,
        }
    }

    /// Records every change the calls make in `log`.
    pub fn with_audit(mut self, log: Option<Arc<AuditLog>>) -> Self {
        self.audit = log;
        self
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
            } => {
                let audit = self.audit.clone();
                self.spawn("whoami", async move {
                    let result = backend.whoami().await;
                    if let (Some(log), Ok(identity)) = (&audit, &result) {
                        log.set_caller(Some(identity.arn.clone()));
                    }
                    Message::Identity { generation, result }
                });
            }
            Effect::Call {
                id,
                backend,
                call,
                delay,
            } => {
                // Finished calls leave their handles behind; drop those now and then.
                if self.calls.len() > 256 {
                    self.calls.retain(|_, h| !h.is_finished());
                }
                let audit = self.audit.clone();
                let tx = self.tx.clone();
                let handle = self.spawn("backend call", async move {
                    if let Some(d) = delay {
                        tokio::time::sleep(d).await;
                    }
                    let (result, failure) = audit::execute(backend, call, audit.as_deref()).await;
                    if let Some(text) = failure {
                        let _ = tx.send(Message::AuditFailed(text));
                    }
                    Message::Reply { id, result }
                });
                self.calls.insert(id, handle);
            }
            Effect::Rotate {
                generation,
                backend,
                options,
            } => {
                let tx = self.tx.clone();
                let backend =
                    crate::backend::audited::Audited::wrap_if(backend, self.audit.clone());
                self.spawn("rotation", async move {
                    let mut observe = |event| {
                        let _ = tx.send(Message::Rotation {
                            generation,
                            update: RotationUpdate::Step(event),
                        });
                    };
                    let result =
                        crate::credentials::rotate::rotate(backend, *options, &mut observe)
                            .await
                            .map(Box::new)
                            .map_err(Box::new);
                    Message::Rotation {
                        generation,
                        update: RotationUpdate::Finished(result),
                    }
                });
            }
            Effect::Cancel(ids) => {
                for id in ids {
                    if let Some(h) = self.calls.remove(&id) {
                        h.abort();
                    }
                }
            }
            Effect::ReadAudit(path) => {
                self.spawn("audit log", async move {
                    let read = tokio::task::spawn_blocking(move || audit::read(&path)).await;
                    Message::AuditLoaded(match read {
                        Ok(Ok(records)) => Ok(records),
                        Ok(Err(e)) => Err(e.to_string()),
                        Err(e) => Err(e.to_string()),
                    })
                });
            }
            Effect::Clipboard(text) => copy_to_clipboard(&text),
        }
    }

    /// A panicking task still answers, so the loop learns of it instead of waiting forever.
    fn spawn(
        &self,
        task: &'static str,
        work: impl Future<Output = Message> + Send + 'static,
    ) -> AbortHandle {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let message = AssertUnwindSafe(work)
                .catch_unwind()
                .await
                .unwrap_or(Message::TaskPanicked { task });
            // The loop may have ended while we worked; nobody is left to tell.
            let _ = tx.send(message);
        })
        .abort_handle()
    }
}

/// OSC 52: the terminal puts the text on its own clipboard, so it reaches the administrator's
/// machine even from a bastion host over SSH.
fn copy_to_clipboard(text: &str) {
    use ratatui::crossterm::clipboard::CopyToClipboard;
    if let Err(err) =
        ratatui::crossterm::execute!(std::io::stdout(), CopyToClipboard::to_clipboard_from(text))
    {
        tracing::warn!(%err, "cannot copy to the clipboard");
    }
}
