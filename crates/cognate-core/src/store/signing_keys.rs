//! Per-pool signing keys.

use async_trait::async_trait;

use crate::model::SigningKeyRecord;
use crate::store::StoreResult;

#[async_trait]
pub trait SigningKeyStore: Send + Sync {
    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>>;
    /// `Conflict{signing_key}` if the pool already has a key for that purpose.
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()>;
}
