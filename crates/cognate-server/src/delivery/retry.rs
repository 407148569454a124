//! Bounded retries around one channel: a transient failure (the server unreachable, a timeout,
//! SMTP 4xx, HTTP 5xx or 429) is tried again after a short backoff, at most `attempts` times in
//! all and only while less than `budget` has passed since the first try, so a call waits at
//! most about two attempt timeouts; a permanent one (SMTP 5xx, HTTP 4xx, an address that cannot
//! be parsed) is not. Each failure is logged with the channel's error, never the message or its
//! code.

use std::time::Duration;

use async_trait::async_trait;
use cognate_core::delivery::{CodeDelivery, OutgoingMessage};

/// Why one attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub transient: bool,
    /// For the log: never the message text.
    pub detail: String,
}

impl SendError {
    pub fn transient(detail: impl Into<String>) -> Self {
        Self {
            transient: true,
            detail: detail.into(),
        }
    }
    pub fn permanent(detail: impl Into<String>) -> Self {
        Self {
            transient: false,
            detail: detail.into(),
        }
    }
}

/// One channel: a single try at handing a message over.
#[async_trait]
pub trait Attempt: Send + Sync {
    /// `smtp` or `sms-webhook`, for the log.
    fn channel(&self) -> &'static str;
    async fn attempt(&self, message: &OutgoingMessage) -> Result<(), SendError>;
}

/// The first backoff; it doubles after each failure, up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_millis(200);
pub const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Backoff before the try after `failures` failures.
pub fn backoff(first: Duration, failures: u32) -> Duration {
    first
        .saturating_mul(1 << failures.saturating_sub(1).min(4))
        .min(MAX_BACKOFF)
}

pub struct Retrying<A> {
    inner: A,
    attempts: u32,
    budget: Duration,
    first_backoff: Duration,
}

impl<A> Retrying<A> {
    /// `budget`: no new try starts once this much time has passed (the attempt timeout).
    pub fn new(inner: A, attempts: u32, budget: Duration) -> Self {
        Self {
            inner,
            attempts: attempts.max(1),
            budget,
            first_backoff: FIRST_BACKOFF,
        }
    }
}

#[async_trait]
impl<A: Attempt> CodeDelivery for Retrying<A> {
    async fn deliver(&self, m: &OutgoingMessage) -> Result<(), String> {
        let mut failures = 0;
        let started = std::time::Instant::now();
        loop {
            match self.inner.attempt(m).await {
                Ok(()) => {
                    tracing::info!(
                        pool_id = %m.pool_id,
                        kind = m.kind.as_str(),
                        medium = m.medium.as_str(),
                        channel = self.inner.channel(),
                        "message sent"
                    );
                    return Ok(());
                }
                Err(e) => {
                    failures += 1;
                    let wait = backoff(self.first_backoff, failures);
                    let again = e.transient
                        && failures < self.attempts
                        && started.elapsed() + wait < self.budget;
                    tracing::warn!(
                        pool_id = %m.pool_id,
                        kind = m.kind.as_str(),
                        medium = m.medium.as_str(),
                        channel = self.inner.channel(),
                        attempt = failures,
                        transient = e.transient,
                        error = %e.detail,
                        "{}",
                        if again { "delivery failed, retrying" } else { "delivery failed" }
                    );
                    if !again {
                        return Err(e.detail);
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognate_core::model::{DeliveryMedium, MessageKind};
    use std::sync::atomic::{AtomicU32, Ordering};

    struct Flaky {
        calls: AtomicU32,
        fail_first: u32,
        transient: bool,
    }

    #[async_trait]
    impl Attempt for Flaky {
        fn channel(&self) -> &'static str {
            "test"
        }
        async fn attempt(&self, _: &OutgoingMessage) -> Result<(), SendError> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if n < self.fail_first {
                Err(SendError {
                    transient: self.transient,
                    detail: format!("failure {n}"),
                })
            } else {
                Ok(())
            }
        }
    }

    fn message() -> OutgoingMessage {
        OutgoingMessage {
            pool_id: "p".into(),
            username: "u".into(),
            user_sub: "s".into(),
            kind: MessageKind::SignUp,
            medium: DeliveryMedium::Email,
            destination: "a@example.com".into(),
            message: "code 1".into(),
            subject: None,
            html: None,
            from: None,
            reply_to: None,
            sms_configuration: Default::default(),
        }
    }

    fn flaky(fail_first: u32, transient: bool) -> Retrying<Flaky> {
        let inner = Flaky {
            calls: AtomicU32::new(0),
            fail_first,
            transient,
        };
        Retrying {
            first_backoff: Duration::ZERO,
            ..Retrying::new(inner, 3, Duration::from_secs(60))
        }
    }

    #[tokio::test]
    async fn transient_failures_are_retried_a_bounded_number_of_times() {
        let r = flaky(2, true);
        assert_eq!(r.deliver(&message()).await, Ok(()));
        assert_eq!(r.inner.calls.load(Ordering::SeqCst), 3);
        let r = flaky(5, true);
        assert_eq!(r.deliver(&message()).await, Err("failure 2".into()));
        assert_eq!(r.inner.calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn no_retry_once_the_budget_is_spent() {
        let mut r = flaky(5, true);
        r.budget = Duration::ZERO;
        assert_eq!(r.deliver(&message()).await, Err("failure 0".into()));
        assert_eq!(r.inner.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn permanent_failures_are_not_retried() {
        let r = flaky(5, false);
        assert_eq!(r.deliver(&message()).await, Err("failure 0".into()));
        assert_eq!(r.inner.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn backoff_is_short_and_bounded() {
        assert_eq!(backoff(FIRST_BACKOFF, 1), Duration::from_millis(200));
        assert_eq!(backoff(FIRST_BACKOFF, 2), Duration::from_millis(400));
        assert_eq!(backoff(FIRST_BACKOFF, 9), MAX_BACKOFF);
    }
}
