//! `SigningKeyStore` on SQLite.

use async_trait::async_trait;
use cognate_core::model::SigningKeyRecord;
use cognate_core::store::{SigningKeyStore, StoreResult};
use rusqlite::params;

use super::{query_docs, sql_err, to_json, SqliteStore};

#[async_trait]
impl SigningKeyStore for SqliteStore {
    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>> {
        let pool = pool_id.to_owned();
        self.read_point(move |c| {
            query_docs(
                c,
                "SELECT data FROM signing_keys WHERE pool_id = ?1 ORDER BY purpose",
                params![pool],
            )
        })
        .await
    }

    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()> {
        let (pool, purpose, kid, data) = (
            key.pool_id.clone(),
            key.purpose.clone(),
            key.kid.clone(),
            to_json(key)?,
        );
        self.run(move |c| {
            c.execute(
                "INSERT INTO signing_keys (pool_id, purpose, kid, data) VALUES (?1, ?2, ?3, ?4)",
                params![pool, purpose, kid, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }
}
