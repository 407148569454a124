//! The seam through which CPU-heavy work (argon2id, RSA key generation, SRP arithmetic) leaves
//! the async runtime. The server backs it with a bounded pool of worker threads; tests run jobs
//! inline.

use async_trait::async_trait;

use crate::{CognitoError, Result};

/// A unit of CPU-heavy work.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// Runs [`Job`]s: the server on worker threads, tests inline.
///
/// `Ok` means the job was accepted: it has run or will run, and hands its result back itself.
/// An error means it was not accepted and never runs: [`crate::ErrorKind::TooManyRequests`]
/// when the workers are at capacity (refused at once, the caller may retry), an internal error
/// when they cannot take work at all.
#[async_trait]
pub trait Offload: Send + Sync {
    async fn run(&self, job: Job) -> Result<()>;

    /// Whether a job submitted now would be refused. A hint, not a reservation (room may come
    /// or go before the job is submitted): callers check it before writes they would only have
    /// to undo, such as reserving a sign-in attempt ahead of a password hash.
    fn is_saturated(&self) -> bool {
        false
    }
}

/// [`crate::ErrorKind::TooManyRequests`] at once if `cpu` has no room for a job now.
pub fn ensure_room(cpu: &dyn Offload) -> Result<()> {
    if cpu.is_saturated() {
        Err(CognitoError::too_many_requests())
    } else {
        Ok(())
    }
}

/// Runs jobs on the calling thread. For tests only.
pub struct InlineOffload;

#[async_trait]
impl Offload for InlineOffload {
    async fn run(&self, job: Job) -> Result<()> {
        job();
        Ok(())
    }
}

/// Runs `f` through `cpu` and hands its result back over a oneshot channel. A refusal is
/// returned as is; a job that was accepted but produced nothing (dropped, panicked) is an
/// internal error.
pub async fn run<T: Send + 'static>(
    cpu: &dyn Offload,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    cpu.run(Box::new(move || {
        // Nobody waits any more (the request was dropped while the job was queued): skip it.
        if tx.is_closed() {
            return;
        }
        // The receiver is gone only if the request was dropped; nothing is waiting then.
        let _ = tx.send(f());
    }))
    .await?;
    rx.await
        .map_err(|_| CognitoError::internal("offloaded work produced no result"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    struct Dropping;

    #[async_trait]
    impl Offload for Dropping {
        async fn run(&self, _job: Job) -> Result<()> {
            Ok(())
        }
    }

    struct Refusing;

    #[async_trait]
    impl Offload for Refusing {
        async fn run(&self, _job: Job) -> Result<()> {
            Err(CognitoError::too_many_requests())
        }
    }

    #[tokio::test]
    async fn returns_the_result_a_refusal_or_an_internal_error() {
        assert_eq!(run(&InlineOffload, || 41 + 1).await.ok(), Some(42));
        let dropped = run(&Dropping, || 1).await.err().map(|e| e.kind);
        assert_eq!(dropped, Some(ErrorKind::InternalError));
        let refused = run(&Refusing, || 1).await.err().map(|e| e.kind);
        assert_eq!(refused, Some(ErrorKind::TooManyRequests));
    }

    /// Keeps the job to run it later, as a queue does.
    #[derive(Default)]
    struct Deferred(std::sync::Mutex<Option<Job>>);

    #[async_trait]
    impl Offload for Deferred {
        async fn run(&self, job: Job) -> Result<()> {
            *self.0.lock().expect("deferred") = Some(job);
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_queued_job_nobody_waits_for_any_more_is_skipped() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let deferred = Deferred::default();
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        let call = run(&deferred, move || flag.store(true, Ordering::SeqCst));
        // Poll the call once (it queues the job and waits), then drop it: the request is gone.
        tokio::select! {
            biased;
            _ = call => panic!("the job has not run yet"),
            () = std::future::ready(()) => {}
        }
        let job = deferred.0.lock().expect("deferred").take().expect("queued");
        job();
        assert!(!ran.load(Ordering::SeqCst));
    }
}
