//! Time limits and retries for the rotation's calls.
//!
//! A failure of the network, a timeout, a server fault or throttling says nothing about the
//! request: it may have happened or not. Such failures are retried until the step's deadline
//! and end as [`Answer::NoAnswer`], never as a verdict; only an answer from the service (an
//! error code) is one. Every attempt is cut off at the deadline, whatever the SDK's own
//! connection, read and retry timeouts are, so the whole run ends within its `--wait`.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::iam::BackendError;

/// Where the run's time goes: the steps end first, leaving time to undo a half-done rotation
/// and then to re-read the state for the report, all within the run's limit.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub steps: Instant,
    pub rollback: Instant,
    pub report: Instant,
}

impl Budget {
    pub fn new(start: Instant, total: Duration) -> Self {
        Self {
            steps: start + total.mul_f64(0.7),
            rollback: start + total.mul_f64(0.85),
            report: start + total,
        }
    }
}

/// How a call ended.
#[derive(Debug)]
pub enum Answer<T> {
    Done(T),
    /// The service answered with an error: a verdict on the request.
    Refused(BackendError),
    /// No answer before the deadline (the last transient failure, or "no answer in time").
    NoAnswer(String),
}

/// The first pause between attempts; it doubles up to [`MAX_PAUSE`].
pub const FIRST_PAUSE: Duration = Duration::from_millis(200);
pub const MAX_PAUSE: Duration = Duration::from_secs(2);

/// Runs `attempt` until it answers or `until` passes, retrying transient failures with
/// growing pauses. Only for calls that are safe to repeat (reads, and writes whose repeat is
/// harmless: setting a status, deleting — the caller takes a repeated delete's `NotFound` as
/// done).
pub async fn persist<T, F, Fut>(until: Instant, mut attempt: F) -> Answer<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, BackendError>>,
{
    let mut pause = FIRST_PAUSE;
    let mut last: Option<String> = None;
    loop {
        match once(until, attempt()).await {
            Answer::Done(v) => return Answer::Done(v),
            Answer::Refused(e) => return Answer::Refused(e),
            Answer::NoAnswer(why) => {
                let now = Instant::now();
                if now + pause >= until {
                    return Answer::NoAnswer(last.map_or(why.clone(), |l| {
                        if l == why {
                            l
                        } else {
                            format!("{why} (before that: {l})")
                        }
                    }));
                }
                last = Some(why);
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_PAUSE);
            }
        }
    }
}

/// One attempt, cut off at `until`; a transient failure is `NoAnswer`.
pub async fn once<T>(
    until: Instant,
    call: impl Future<Output = Result<T, BackendError>>,
) -> Answer<T> {
    let left = until.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Answer::NoAnswer("no time was left for the call".into());
    }
    match tokio::time::timeout(left, call).await {
        Err(_) => Answer::NoAnswer(format!(
            "no answer within the time limit ({:.0} s)",
            left.as_secs_f64().ceil()
        )),
        Ok(Ok(v)) => Answer::Done(v),
        Ok(Err(e)) if e.is_transient() => Answer::NoAnswer(e.to_string()),
        Ok(Err(e)) => Answer::Refused(e),
    }
}

/// A pause before the next attempt that never runs past `until`; false when no time is left.
pub async fn pause_before(until: Instant, pause: Duration) -> bool {
    let now = Instant::now();
    if now + pause >= until {
        return false;
    }
    tokio::time::sleep(pause).await;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::ErrorKind;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn network() -> BackendError {
        BackendError::new("Op", ErrorKind::Network("connection reset".into()))
    }

    #[tokio::test]
    async fn transient_failures_are_retried_until_an_answer() {
        let tries = AtomicU32::new(0);
        let answer = persist(Instant::now() + Duration::from_secs(5), || async {
            match tries.fetch_add(1, Ordering::SeqCst) {
                0 | 1 => Err(network()),
                _ => Ok(7),
            }
        })
        .await;
        assert!(matches!(answer, Answer::Done(7)), "{answer:?}");
        assert_eq!(tries.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_service_answer_is_final() {
        let tries = AtomicU32::new(0);
        let answer: Answer<()> = persist(Instant::now() + Duration::from_secs(5), || async {
            tries.fetch_add(1, Ordering::SeqCst);
            Err(BackendError::from_code(
                "Op",
                Some("InvalidClientTokenId"),
                "no such key",
                Some(403),
            ))
        })
        .await;
        assert!(matches!(answer, Answer::Refused(_)), "{answer:?}");
        assert_eq!(tries.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_hanging_call_ends_at_the_deadline() {
        let started = Instant::now();
        let answer: Answer<()> = persist(started + Duration::from_millis(300), || {
            std::future::pending::<Result<(), BackendError>>()
        })
        .await;
        let took = started.elapsed();
        assert!(matches!(answer, Answer::NoAnswer(_)), "{answer:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }

    #[tokio::test]
    async fn failing_until_the_deadline_reports_the_last_failure() {
        let answer: Answer<()> = persist(Instant::now() + Duration::from_millis(500), || async {
            Err(network())
        })
        .await;
        match answer {
            Answer::NoAnswer(why) => assert!(why.contains("connection reset"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_budget_keeps_time_for_rollback_and_report() {
        let t0 = Instant::now();
        let b = Budget::new(t0, Duration::from_secs(10));
        assert!(b.steps < b.rollback && b.rollback < b.report);
        assert_eq!(b.report - t0, Duration::from_secs(10));
    }
}
