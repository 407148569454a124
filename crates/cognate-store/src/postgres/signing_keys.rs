//! `SigningKeyStore` on PostgreSQL.

use async_trait::async_trait;
use cognate_core::model::SigningKeyRecord;
use cognate_core::store::{SigningKeyStore, StoreResult};

use super::{execute, query_docs, to_json, PgStore};

#[async_trait]
impl SigningKeyStore for PgStore {
    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT data FROM signing_keys WHERE pool_id = $1 ORDER BY purpose",
                &[&pool_id],
            )
            .await
        })
        .await
    }

    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO signing_keys (pool_id, purpose, kid, data) VALUES ($1, $2, $3, $4)",
                &[&key.pool_id, &key.purpose, &key.kid, &to_json(key)?],
            )
            .await?;
            Ok(())
        })
        .await
    }
}
