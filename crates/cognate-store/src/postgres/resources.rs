//! `ResourceStore` on PostgreSQL.

use async_trait::async_trait;
use cognate_core::model::{Resource, ResourceKind};
use cognate_core::store::{ResourceStore, StoreResult};

use super::{execute, query_doc, query_docs, to_json, PgStore};

#[async_trait]
impl ResourceStore for PgStore {
    async fn insert_resource(&self, resource: &Resource) -> StoreResult<()> {
        let r = resource;
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO resources (pool_id, kind, id, data) VALUES ($1, $2, $3, $4)",
                &[&r.pool_id, &r.kind.as_str(), &r.id, &to_json(r)?],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn put_resource(&self, resource: &Resource) -> StoreResult<()> {
        let r = resource;
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO resources (pool_id, kind, id, data) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (pool_id, kind, id) DO UPDATE SET data = excluded.data",
                &[&r.pool_id, &r.kind.as_str(), &r.id, &to_json(r)?],
            )
            .await?;
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
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT data FROM resources WHERE pool_id = $1 AND kind = $2 AND id = $3",
                &[&pool_id, &kind.as_str(), &id],
            )
            .await
        })
        .await
    }

    async fn delete_resource(
        &self,
        pool_id: &str,
        kind: ResourceKind,
        id: &str,
    ) -> StoreResult<bool> {
        self.attempt(|| async move {
            let c = self.client().await?;
            let n = execute(
                &c,
                "DELETE FROM resources WHERE pool_id = $1 AND kind = $2 AND id = $3",
                &[&pool_id, &kind.as_str(), &id],
            )
            .await?;
            Ok(n > 0)
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
        let (after, limit) = (after.unwrap_or(""), limit as i64);
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT data FROM resources WHERE pool_id = $1 AND kind = $2 AND id > $3 ORDER BY id LIMIT $4",
                &[&pool_id, &kind.as_str(), &after, &limit],
            )
            .await
        })
        .await
    }

    async fn find_domain(&self, domain: &str) -> StoreResult<Option<Resource>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT data FROM resources WHERE kind = 'domain' AND id = $1",
                &[&domain],
            )
            .await
        })
        .await
    }
}
