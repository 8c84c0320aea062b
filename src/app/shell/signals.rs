//! SIGTERM, SIGHUP and SIGINT as a stream, so the loop quits through its normal path and the
//! terminal guard's Drop restores the terminal; the process then exits 128 + the signal's
//! number, the status a shell gives a process the signal ended.

use std::io;

use futures::Stream;

/// A signal that ends the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Terminate,
    Hangup,
    Interrupt,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Terminate => "SIGTERM",
            Signal::Hangup => "SIGHUP",
            Signal::Interrupt => "SIGINT",
        }
    }

    /// The POSIX number, the same on every Unix (and what `kill -l` lists).
    pub fn number(self) -> u8 {
        match self {
            Signal::Terminate => 15,
            Signal::Hangup => 1,
            Signal::Interrupt => 2,
        }
    }

    /// The exit status after this signal: 128 + its number, as shells report it.
    pub fn exit_status(self) -> u8 {
        128 + self.number()
    }
}

#[cfg(unix)]
pub fn shutdown_signals() -> io::Result<impl Stream<Item = Signal> + Unpin> {
    use std::task::Poll;
    use tokio::signal::unix::signal;

    let mut watched = [
        (signal(kind(Signal::Terminate))?, Signal::Terminate),
        (signal(kind(Signal::Hangup))?, Signal::Hangup),
        (signal(kind(Signal::Interrupt))?, Signal::Interrupt),
    ];
    Ok(futures::stream::poll_fn(move |cx| {
        for (stream, signal) in &mut watched {
            if let Poll::Ready(Some(())) = stream.poll_recv(cx) {
                return Poll::Ready(Some(*signal));
            }
        }
        Poll::Pending
    }))
}

#[cfg(unix)]
fn kind(signal: Signal) -> tokio::signal::unix::SignalKind {
    use tokio::signal::unix::SignalKind;
    match signal {
        Signal::Terminate => SignalKind::terminate(),
        Signal::Hangup => SignalKind::hangup(),
        Signal::Interrupt => SignalKind::interrupt(),
    }
}

#[cfg(not(unix))]
pub fn shutdown_signals() -> io::Result<impl Stream<Item = Signal> + Unpin> {
    Ok(futures::stream::pending())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_the_systems_and_statuses_are_128_plus_them() {
        for (signal, status) in [
            (Signal::Terminate, 143),
            (Signal::Hangup, 129),
            (Signal::Interrupt, 130),
        ] {
            assert_eq!(
                i32::from(signal.number()),
                kind(signal).as_raw_value(),
                "{}",
                signal.name()
            );
            assert_eq!(signal.exit_status(), status, "{}", signal.name());
        }
    }
}
