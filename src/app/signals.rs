//! SIGTERM, SIGHUP and SIGINT as a stream, so the loop quits through its normal path and the
//! terminal guard's Drop restores the terminal.

use std::io;

use futures::Stream;

#[cfg(unix)]
pub fn shutdown_signals() -> io::Result<impl Stream<Item = &'static str> + Unpin> {
    use std::task::Poll;
    use tokio::signal::unix::{SignalKind, signal};

    let mut watched = [
        (signal(SignalKind::terminate())?, "SIGTERM"),
        (signal(SignalKind::hangup())?, "SIGHUP"),
        (signal(SignalKind::interrupt())?, "SIGINT"),
    ];
    Ok(futures::stream::poll_fn(move |cx| {
        for (signal, name) in &mut watched {
            if let Poll::Ready(Some(())) = signal.poll_recv(cx) {
                return Poll::Ready(Some(*name));
            }
        }
        Poll::Pending
    }))
}

#[cfg(not(unix))]
pub fn shutdown_signals() -> io::Result<impl Stream<Item = &'static str> + Unpin> {
    Ok(futures::stream::pending())
}
