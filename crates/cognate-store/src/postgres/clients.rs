//! `ClientStore` on PostgreSQL.

use async_trait::async_trait;
use cognate_core::model::AppClient;
use cognate_core::store::{ClientStore, StoreError, StoreResult};

use super::{execute, query_doc, query_docs, to_json, PgStore};

#[async_trait]
impl ClientStore for PgStore {
    async fn insert_client(&self, client: &AppClient) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO clients (client_id, pool_id, data) VALUES ($1, $2, $3)",
                &[&client.client_id, &client.pool_id, &to_json(client)?],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn get_client(&self, client_id: &str) -> StoreResult<Option<AppClient>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT data FROM clients WHERE client_id = $1",
                &[&client_id],
            )
            .await
        })
        .await
    }

    async fn update_client(&self, client: &AppClient) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            match execute(
                &c,
                "UPDATE clients SET data = $2 WHERE client_id = $1",
                &[&client.client_id, &to_json(client)?],
            )
            .await?
            {
                0 => Err(StoreError::NotFound.into()),
                _ => Ok(()),
            }
        })
        .await
    }

    async fn delete_client(&self, pool_id: &str, client_id: &str) -> StoreResult<bool> {
        self.attempt(|| async move {
            let c = self.client().await?;
            let n = execute(
                &c,
                "DELETE FROM clients WHERE pool_id = $1 AND client_id = $2",
                &[&pool_id, &client_id],
            )
            .await?;
            Ok(n > 0)
        })
        .await
    }

    async fn list_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<AppClient>> {
        let (after, limit) = (after.unwrap_or(""), limit as i64);
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT data FROM clients WHERE pool_id = $1 AND client_id > $2 ORDER BY client_id LIMIT $3",
                &[&pool_id, &after, &limit],
            )
            .await
        })
        .await
    }
}
