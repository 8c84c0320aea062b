//! The loop: wait for input, a task's result or a signal; update; redraw. It never awaits a
//! backend call itself, so the screen stays responsive whatever the network does.

use std::io;

use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::crossterm::event::Event;
use tokio::sync::mpsc;

use super::message::Message;
use super::signals::Signal;
use super::state::{App, Exit};
use super::tasks::{Connector, Tasks};
use super::update::{start, update};
use crate::ui;

/// Runs until the user quits, a signal arrives or the input ends. Generic over the terminal
/// backend and the event sources so tests can drive it with `TestBackend` and fake streams.
pub async fn run<B, I, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut input: I,
    mut signals: S,
    connector: Connector,
) -> Result<Exit, B::Error>
where
    B: ratatui::backend::Backend,
    I: Stream<Item = io::Result<Event>> + Unpin,
    S: Stream<Item = Signal> + Unpin,
{
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut tasks = Tasks::new(tx, connector).with_audit(app.audit.clone());
    for effect in start(app) {
        tasks.run(effect);
    }
    terminal.draw(|frame| ui::draw(frame, app))?;
    // Rows catch up with data that streamed in, and ages stay current, without a redraw per
    // reply.
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    loop {
        let message = tokio::select! {
            // `tasks` holds a sender, so the channel never closes while we loop.
            Some(message) = rx.recv() => message,
            event = input.next() => match event {
                Some(Ok(event)) => Message::Input(event),
                Some(Err(err)) => {
                    tracing::warn!(%err, "terminal input failed; quitting");
                    Message::Quit
                }
                None => Message::Quit,
            },
            Some(signal) = signals.next() => {
                tracing::info!(signal = signal.name(), "quitting on signal");
                Message::Signalled(signal)
            }
            _ = tick.tick() => Message::Tick,
        };
        for effect in update(app, message) {
            tasks.run(effect);
        }
        if let Some(exit) = app.exit {
            return Ok(exit);
        }
        terminal.draw(|frame| ui::draw(frame, app))?;
    }
}

#[cfg(test)]
mod tests {
    use futures::FutureExt;
    use futures::channel::oneshot;
    use futures::stream::{self, BoxStream, StreamExt};
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::test_support::cli_info;
    use crate::iam::{BackendError, ErrorKind};
    use crate::ui::test_support::{lines, screen_contains};

    fn q() -> io::Result<Event> {
        Ok(Event::Key(KeyEvent::new(
            KeyCode::Char('q'),
            KeyModifiers::NONE,
        )))
    }

    fn connect_error() -> BackendError {
        BackendError::new(
            "LoadProfile",
            ErrorKind::Credentials("profile `nope` is missing; pick another with --profile".into()),
        )
    }

    /// A connector that fails at once, and input that presses `q` only after the failure has
    /// been handled. On the single-threaded test runtime the task sends its message in the same
    /// poll that fires `answered`; the extra yield then makes the loop's `select!` see the
    /// message while the key is still pending, so the order is fixed without any sleep.
    fn fail_then_q() -> (Connector, BoxStream<'static, io::Result<Event>>) {
        let (answered_tx, answered) = oneshot::channel::<()>();
        let mut answered_tx = Some(answered_tx);
        let connector: Connector = Box::new(move || {
            let answered_tx = answered_tx.take();
            async move {
                if let Some(tx) = answered_tx {
                    let _ = tx.send(());
                }
                Err(connect_error())
            }
            .boxed()
        });
        let input = stream::once(async move {
            let _ = answered.await;
            tokio::task::yield_now().await;
            q()
        })
        .chain(stream::pending())
        .boxed();
        (connector, input)
    }

    fn failing_connector() -> Connector {
        Box::new(|| async { Err(connect_error()) }.boxed())
    }

    async fn run_with(
        input: BoxStream<'static, io::Result<Event>>,
        signals: BoxStream<'static, Signal>,
        connector: Connector,
    ) -> (Exit, Vec<String>) {
        let mut terminal = Terminal::new(TestBackend::new(100, 20)).unwrap();
        let mut app = App::new(cli_info(false));
        let exit = run(&mut terminal, &mut app, input, signals, connector)
            .await
            .unwrap();
        (exit, lines(terminal.backend().buffer()))
    }

    #[tokio::test]
    async fn a_task_result_is_drawn_and_q_quits() {
        let (connector, input) = fail_then_q();
        let (exit, shown) = run_with(input, stream::pending().boxed(), connector).await;
        assert_eq!(exit, Exit::Normal);
        assert!(
            screen_contains(
                &shown,
                "LoadProfile failed: credentials: profile `nope` is missing"
            ),
            "{}",
            shown.join("\n")
        );
    }

    #[tokio::test]
    async fn a_signal_quits_with_that_signal() {
        let (exit, _) = run_with(
            stream::pending().boxed(),
            stream::iter([Signal::Terminate])
                .chain(stream::pending())
                .boxed(),
            failing_connector(),
        )
        .await;
        assert_eq!(exit, Exit::Signal(Signal::Terminate));
    }

    #[tokio::test]
    async fn the_end_of_input_quits() {
        let (exit, _) = run_with(
            stream::empty().boxed(),
            stream::pending().boxed(),
            failing_connector(),
        )
        .await;
        assert_eq!(exit, Exit::Normal);
    }

    #[tokio::test]
    async fn a_panicking_task_ends_the_loop_as_a_crash() {
        let connector: Connector = Box::new(|| async { panic!("boom in a test") }.boxed());
        let (exit, _) = run_with(
            stream::pending().boxed(),
            stream::pending().boxed(),
            connector,
        )
        .await;
        assert_eq!(exit, Exit::Crashed);
    }
}
