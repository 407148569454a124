//! The expensive crypto (argon2id hashing, RSA key generation) on tokio's blocking pool, so it
//! never stalls other requests.

use async_trait::async_trait;
use cognate_core::crypto::keys::SigningKey256;
use cognate_core::crypto::password;
use cognate_core::service::keys::KeyGenerator;
use cognate_core::service::{Job, Offload, PasswordHasher};
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

#[async_trait]
impl KeyGenerator for BlockingHasher {
    async fn generate(&self, seed: [u8; 32]) -> Result<SigningKey256> {
        tokio::task::spawn_blocking(move || SigningKey256::generate_from_seed(seed))
            .await
            .map_err(CognitoError::internal)?
            .map_err(CognitoError::internal)
    }
}

#[async_trait]
impl Offload for BlockingHasher {
    async fn run(&self, job: Job) -> Result<()> {
        tokio::task::spawn_blocking(job)
            .await
            .map_err(CognitoError::internal)
    }
}
