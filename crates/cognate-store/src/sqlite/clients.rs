//! `ClientStore` on SQLite.

use async_trait::async_trait;
use cognate_core::model::AppClient;
use cognate_core::store::{ClientStore, StoreError, StoreResult};
use rusqlite::params;

use super::{query_doc, query_docs, sql_err, to_json, SqliteStore};

#[async_trait]
impl ClientStore for SqliteStore {
    async fn insert_client(&self, client: &AppClient) -> StoreResult<()> {
        let (id, pool, data) = (
            client.client_id.clone(),
            client.pool_id.clone(),
            to_json(client)?,
        );
        self.run(move |c| {
            c.execute(
                "INSERT INTO clients (client_id, pool_id, data) VALUES (?1, ?2, ?3)",
                params![id, pool, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn get_client(&self, client_id: &str) -> StoreResult<Option<AppClient>> {
        let id = client_id.to_owned();
        self.read_point(move |c| {
            query_doc(
                c,
                "SELECT data FROM clients WHERE client_id = ?1",
                params![id],
            )
        })
        .await
    }

    async fn update_client(&self, client: &AppClient) -> StoreResult<()> {
        let (id, data) = (client.client_id.clone(), to_json(client)?);
        self.run(move |c| {
            match c
                .execute(
                    "UPDATE clients SET data = ?2 WHERE client_id = ?1",
                    params![id, data],
                )
                .map_err(sql_err)?
            {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            }
        })
        .await
    }

    async fn delete_client(&self, pool_id: &str, client_id: &str) -> StoreResult<bool> {
        let (pool, id) = (pool_id.to_owned(), client_id.to_owned());
        self.run(move |c| {
            c.execute(
                "DELETE FROM clients WHERE pool_id = ?1 AND client_id = ?2",
                params![pool, id],
            )
            .map(|n| n > 0)
            .map_err(sql_err)
        })
        .await
    }

    async fn list_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<AppClient>> {
        let (pool, after) = (pool_id.to_owned(), after.unwrap_or("").to_owned());
        self.read(move |c| {
            query_docs(
                c,
                "SELECT data FROM clients WHERE pool_id = ?1 AND client_id > ?2 ORDER BY client_id LIMIT ?3",
                params![pool, after, limit as i64],
            )
        })
        .await
    }
}
