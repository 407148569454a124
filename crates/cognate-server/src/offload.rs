//! The server's [`Offload`]: CPU-heavy work (argon2id hashing, RSA key generation, SRP
//! arithmetic) runs on tokio's blocking pool, so it never stalls other requests.

use async_trait::async_trait;
use cognate_core::service::{Job, Offload};
use cognate_core::{CognitoError, Result};

pub struct BlockingPool;

#[async_trait]
impl Offload for BlockingPool {
    async fn run(&self, job: Job) -> Result<()> {
        tokio::task::spawn_blocking(job)
            .await
            .map_err(CognitoError::internal)
    }
}
