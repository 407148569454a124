//! argon2id on tokio's blocking pool, so hashing never stalls other requests.

use async_trait::async_trait;
use cognate_core::crypto::password;
use cognate_core::service::PasswordHasher;
use cognate_core::{CognitoError, Result};

pub struct BlockingHasher;

#[async_trait]
impl PasswordHasher for BlockingHasher {
    async fn hash(&self, pw: String, salt: [u8; 16]) -> Result<String> {
        tokio::task::spawn_blocking(move || password::hash(&pw, &salt))
            .await
            .map_err(CognitoError::internal)?
            .map_err(CognitoError::internal)
    }

    async fn verify(&self, pw: String, phc: String) -> bool {
        tokio::task::spawn_blocking(move || password::verify(&pw, &phc))
            .await
            .unwrap_or(false)
    }
}
