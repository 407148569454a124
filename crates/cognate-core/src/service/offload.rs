//! The seam through which CPU-heavy work (argon2id, RSA key generation, SRP arithmetic) leaves
//! the async runtime. The server backs it with its worker threads; tests run jobs inline.

use async_trait::async_trait;

use crate::{CognitoError, Result};

/// A unit of CPU-heavy work.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// Runs [`Job`]s: the server on worker threads, tests inline. `Ok` means the job ran.
#[async_trait]
pub trait Offload: Send + Sync {
    async fn run(&self, job: Job) -> Result<()>;
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

/// Runs `f` through `cpu` and hands its result back over a oneshot channel.
pub async fn run<T: Send + 'static>(
    cpu: &dyn Offload,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    cpu.run(Box::new(move || {
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

    struct Dropping;

    #[async_trait]
    impl Offload for Dropping {
        async fn run(&self, _job: Job) -> Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn returns_the_result_or_an_internal_error() {
        assert_eq!(run(&InlineOffload, || 41 + 1).await.ok(), Some(42));
        let dropped = run(&Dropping, || 1).await.err().map(|e| e.kind);
        assert_eq!(dropped, Some(crate::ErrorKind::InternalError));
    }
}
