//! Time limits and retries for the rotation's calls.
//!
//! A failure of the network, a timeout, a server fault or throttling says nothing about the
//! request: it may have happened or not. Such failures are retried until the step's deadline
//! and end as [`Answer::Silence`], never as a verdict; only an answer from the service (an
//! error code) is one. Every attempt is cut off at the deadline, whatever the SDK's own
//! connection, read and retry timeouts are, so the whole run ends within its `--wait`.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::iam::BackendError;

/// Where the run's time goes: the steps end first, leaving time to undo a half-done rotation
/// and then to re-read the state for the report, all within the run's limit.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub steps: Until,
    pub rollback: Until,
    pub report: Until,
}

/// A deadline, and how long one attempt may take before it is given up and tried again (so a
/// single hung connection does not use up the whole deadline).
#[derive(Debug, Clone, Copy)]
pub struct Until {
    pub at: Instant,
    pub attempt: Duration,
}

impl Budget {
    pub fn new(start: Instant, total: Duration) -> Self {
        let attempt = (total / 4).clamp(Duration::from_secs(1), Duration::from_secs(20));
        let until = |share: f64| Until {
            at: start + total.mul_f64(share),
            attempt,
        };
        Self {
            steps: until(0.7),
            rollback: until(0.85),
            report: until(1.0),
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
    Silence(String),
}

/// The first pause between attempts; it doubles up to [`MAX_PAUSE`].
pub const FIRST_PAUSE: Duration = Duration::from_millis(200);
pub const MAX_PAUSE: Duration = Duration::from_secs(2);

/// Runs `attempt` until it answers or `until` passes, retrying transient failures with
/// growing pauses. Only for calls that are safe to repeat (reads, and writes whose repeat is
/// harmless: setting a status, deleting — the caller takes a repeated delete's `NotFound` as
/// done).
pub async fn persist<T, F, Fut>(until: Until, mut attempt: F) -> Answer<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, BackendError>>,
{
    let started = Instant::now();
    let mut pause = FIRST_PAUSE;
    let mut failures = Failures::default();
    loop {
        match once(until, attempt()).await {
            Answer::Done(v) => return Answer::Done(v),
            Answer::Refused(e) => return Answer::Refused(e),
            Answer::Silence(why) => {
                failures.add(why);
                if !pause_before(until, pause).await {
                    return Answer::Silence(failures.describe(started));
                }
                pause = (pause * 2).min(MAX_PAUSE);
            }
        }
    }
}

/// The failures of a call's attempts, for one line of report.
#[derive(Debug, Default)]
pub struct Failures {
    tries: u32,
    last: String,
    /// The last failure that was not a timeout: usually the better clue.
    last_error: Option<String>,
}

impl Failures {
    pub fn add(&mut self, why: String) {
        self.tries += 1;
        if !why.starts_with(NO_ANSWER) {
            self.last_error = Some(why.clone());
        }
        self.last = why;
    }

    pub fn tries(&self) -> u32 {
        self.tries
    }

    /// "why (N tries in S s)", naming the last real error when the last try timed out.
    pub fn describe(&self, started: Instant) -> String {
        let mut out = self.last.clone();
        if let Some(e) = self.last_error.as_ref().filter(|e| **e != self.last) {
            out.push_str(&format!(", after {e}"));
        }
        if self.tries > 1 {
            out.push_str(&format!(
                " ({} tries in {:.0} s)",
                self.tries,
                started.elapsed().as_secs_f64()
            ));
        }
        out
    }
}

const NO_ANSWER: &str = "no answer within";

/// One attempt, cut off after the attempt limit or at the deadline; a transient failure is
/// `Silence`.
pub async fn once<T>(
    until: Until,
    call: impl Future<Output = Result<T, BackendError>>,
) -> Answer<T> {
    let left = until
        .at
        .saturating_duration_since(Instant::now())
        .min(until.attempt);
    if left.is_zero() {
        return Answer::Silence("no time was left for the call".into());
    }
    match tokio::time::timeout(left, call).await {
        Err(_) => Answer::Silence(format!("{NO_ANSWER} {:.0} s", left.as_secs_f64().ceil())),
        Ok(Ok(v)) => Answer::Done(v),
        Ok(Err(e)) if e.is_transient() => Answer::Silence(e.to_string()),
        Ok(Err(e)) => Answer::Refused(e),
    }
}

/// A pause before the next attempt that never runs past `until`; false when no time is left.
pub async fn pause_before(until: Until, pause: Duration) -> bool {
    let now = Instant::now();
    if now + pause >= until.at {
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

    fn within(d: Duration) -> Until {
        Until {
            at: Instant::now() + d,
            attempt: d,
        }
    }

    fn network() -> BackendError {
        BackendError::new("Op", ErrorKind::Network("connection reset".into()))
    }

    #[tokio::test]
    async fn transient_failures_are_retried_until_an_answer() {
        let tries = AtomicU32::new(0);
        let answer = persist(within(Duration::from_secs(5)), || async {
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
        let answer: Answer<()> = persist(within(Duration::from_secs(5)), || async {
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
        let answer: Answer<()> = persist(within(Duration::from_millis(300)), || {
            std::future::pending::<Result<(), BackendError>>()
        })
        .await;
        let took = started.elapsed();
        assert!(matches!(answer, Answer::Silence(_)), "{answer:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }

    #[tokio::test]
    async fn failing_until_the_deadline_reports_the_last_failure() {
        let answer: Answer<()> = persist(within(Duration::from_millis(500)), || async {
            Err(network())
        })
        .await;
        match answer {
            Answer::Silence(why) => assert!(why.contains("connection reset"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn one_hung_attempt_is_given_up_and_the_next_answers() {
        let tries = AtomicU32::new(0);
        let until = Until {
            at: Instant::now() + Duration::from_secs(5),
            attempt: Duration::from_millis(200),
        };
        let answer = persist(until, || {
            let first = tries.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                if first {
                    std::future::pending::<()>().await;
                }
                Ok::<_, BackendError>(1)
            }
        })
        .await;
        assert!(matches!(answer, Answer::Done(1)), "{answer:?}");
        assert_eq!(tries.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_timeout_does_not_hide_the_error_before_it() {
        let mut f = Failures::default();
        f.add("ListAccessKeys failed: network: connection reset".into());
        f.add(format!("{NO_ANSWER} 1 s"));
        let text = f.describe(Instant::now());
        assert_eq!(
            text,
            "no answer within 1 s, after ListAccessKeys failed: network: connection reset (2 tries in 0 s)"
        );
    }

    #[test]
    fn the_budget_keeps_time_for_rollback_and_report() {
        let t0 = Instant::now();
        let b = Budget::new(t0, Duration::from_secs(10));
        assert!(b.steps.at < b.rollback.at && b.rollback.at < b.report.at);
        assert_eq!(b.report.at - t0, Duration::from_secs(10));
        assert_eq!(b.steps.attempt, Duration::from_millis(2500));
        // Long runs still give up a hung attempt within 20 s; short ones allow 1 s.
        assert_eq!(
            Budget::new(t0, Duration::from_secs(600)).steps.attempt,
            Duration::from_secs(20)
        );
        assert_eq!(
            Budget::new(t0, Duration::from_secs(2)).steps.attempt,
            Duration::from_secs(1)
        );
    }
}
