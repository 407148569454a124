//! The server's [`Offload`]: CPU-heavy work (argon2id hashing, RSA key generation, SRP
//! arithmetic) runs on the [`CpuPool`]'s worker threads, never on the async runtime and never on
//! tokio's blocking pool (which the store uses). A full queue is `TooManyRequestsException`.

use async_trait::async_trait;
use cognate_core::service::{Job, Offload};
use cognate_core::{CognitoError, Result};

use crate::cpu_pool::CpuPool;

#[async_trait]
impl Offload for CpuPool {
    async fn run(&self, job: Job) -> Result<()> {
        // The job runs on another thread: take the request's span along, so anything it logs
        // still carries the operation and request id.
        let span = tracing::Span::current();
        self.try_submit(Box::new(move || span.in_scope(job)))
            .map_err(|_| {
                // The request's own log line says TooManyRequestsException at info level.
                tracing::debug!(
                    workers = self.workers(),
                    queue = self.capacity(),
                    "CPU work queue full, request refused"
                );
                CognitoError::too_many_requests()
            })
    }

    fn is_saturated(&self) -> bool {
        self.is_full()
    }
}
