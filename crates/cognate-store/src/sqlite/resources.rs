//! `ResourceStore` on SQLite.

use async_trait::async_trait;
use cognate_core::model::{Resource, ResourceKind};
use cognate_core::store::{ResourceStore, StoreResult};
use rusqlite::params;

use super::{query_doc, query_docs, sql_err, to_json, SqliteStore};

#[async_trait]
impl ResourceStore for SqliteStore {
    async fn insert_resource(&self, resource: &Resource) -> StoreResult<()> {
        let r = resource.clone();
        let data = to_json(&r)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO resources (pool_id, kind, id, data) VALUES (?1, ?2, ?3, ?4)",
                params![r.pool_id, r.kind.as_str(), r.id, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn put_resource(&self, resource: &Resource) -> StoreResult<()> {
        let r = resource.clone();
        let data = to_json(&r)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO resources (pool_id, kind, id, data) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (pool_id, kind, id) DO UPDATE SET data = excluded.data",
                params![r.pool_id, r.kind.as_str(), r.id, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn get_resource(
        &self,
        pool_id: &str,
        kind: ResourceKind,
        id: &str,
    ) -> StoreResult<Option<Resource>> {
        let (pool, id) = (pool_id.to_owned(), id.to_owned());
        self.read(move |c| {
            query_doc(
                c,
                "SELECT data FROM resources WHERE pool_id = ?1 AND kind = ?2 AND id = ?3",
                params![pool, kind.as_str(), id],
            )
        })
        .await
    }

    async fn delete_resource(
        &self,
        pool_id: &str,
        kind: ResourceKind,
        id: &str,
    ) -> StoreResult<bool> {
        let (pool, id) = (pool_id.to_owned(), id.to_owned());
        self.run(move |c| {
            c.execute(
                "DELETE FROM resources WHERE pool_id = ?1 AND kind = ?2 AND id = ?3",
                params![pool, kind.as_str(), id],
            )
            .map(|n| n > 0)
            .map_err(sql_err)
        })
        .await
    }

    async fn list_resources(
        &self,
        pool_id: &str,
        kind: ResourceKind,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Resource>> {
        let (pool, after) = (pool_id.to_owned(), after.unwrap_or("").to_owned());
        self.read(move |c| {
            query_docs(
                c,
                "SELECT data FROM resources WHERE pool_id = ?1 AND kind = ?2 AND id > ?3 ORDER BY id LIMIT ?4",
                params![pool, kind.as_str(), after, limit as i64],
            )
        })
        .await
    }

    async fn find_domain(&self, domain: &str) -> StoreResult<Option<Resource>> {
        let domain = domain.to_owned();
        self.read(move |c| {
            query_doc(
                c,
                "SELECT data FROM resources WHERE kind = 'domain' AND id = ?1",
                params![domain],
            )
        })
        .await
    }
}
