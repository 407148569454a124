//! The server's [`Offload`]: CPU-heavy work (argon2id hashing, RSA key generation, SRP
//! arithmetic) runs on tokio's blocking pool, so it never stalls other requests.

use async_trait::async_trait;
use cognate_core::service::{Job, Offload};
use cognate_core::{CognitoError, Result};

pub struct BlockingPool;

#[async_trait]
impl Offload for BlockingPool {
    async fn run(&self, job: Job) -> Result<()> {
        // The job runs on another thread: take the request's span along, so anything it logs
        // still carries the operation and request id.
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(job))
            .await
            .map_err(CognitoError::internal)
    }
}
