//! `PoolStore` on PostgreSQL.

use async_trait::async_trait;
use cognate_core::model::UserPool;
use cognate_core::store::{PoolStore, StoreError, StoreResult};

use super::{execute, query_doc, query_docs, to_json, PgStore};

#[async_trait]
impl PoolStore for PgStore {
    async fn insert_pool(&self, pool: &UserPool) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO pools (id, data) VALUES ($1, $2)",
                &[&pool.id, &to_json(pool)?],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn get_pool(&self, pool_id: &str) -> StoreResult<Option<UserPool>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(&c, "SELECT data FROM pools WHERE id = $1", &[&pool_id]).await
        })
        .await
    }

    async fn update_pool(&self, pool: &UserPool) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            match execute(
                &c,
                "UPDATE pools SET data = $2 WHERE id = $1",
                &[&pool.id, &to_json(pool)?],
            )
            .await?
            {
                0 => Err(StoreError::NotFound.into()),
                _ => Ok(()),
            }
        })
        .await
    }

    async fn delete_pool(&self, pool_id: &str) -> StoreResult<bool> {
        self.attempt(|| async move {
            let mut c = self.client().await?;
            let tx = c.transaction().await?;
            // Children first, in the same order as SQLite (and as the foreign keys cascade).
            for sql in [
                "DELETE FROM refresh_tokens WHERE pool_id = $1",
                "DELETE FROM group_members WHERE pool_id = $1",
                "DELETE FROM user_aliases WHERE pool_id = $1",
                "DELETE FROM user_search WHERE pool_id = $1",
                "DELETE FROM users WHERE pool_id = $1",
                "DELETE FROM groups WHERE pool_id = $1",
                "DELETE FROM clients WHERE pool_id = $1",
                "DELETE FROM signing_keys WHERE pool_id = $1",
                "DELETE FROM auth_sessions WHERE pool_id = $1",
                "DELETE FROM resources WHERE pool_id = $1",
                "DELETE FROM user_import_files WHERE job_id IN (SELECT job_id FROM user_import_jobs WHERE pool_id = $1)",
                "DELETE FROM user_import_jobs WHERE pool_id = $1",
            ] {
                execute(&tx, sql, &[&pool_id]).await?;
            }
            let n = execute(&tx, "DELETE FROM pools WHERE id = $1", &[&pool_id]).await?;
            tx.commit().await?;
            Ok(n > 0)
        })
        .await
    }

    async fn list_pools(&self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserPool>> {
        let (after, limit) = (after.unwrap_or(""), limit as i64);
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT data FROM pools WHERE id > $1 ORDER BY id LIMIT $2",
                &[&after, &limit],
            )
            .await
        })
        .await
    }

    async fn count_users(&self, pool_id: &str) -> StoreResult<u64> {
        self.attempt(|| async move {
            let c = self.client().await?;
            let stmt = c
                .prepare_cached("SELECT COUNT(*) FROM users WHERE pool_id = $1")
                .await?;
            let n: i64 = c.query_one(&stmt, &[&pool_id]).await?.try_get(0)?;
            Ok(n.max(0) as u64)
        })
        .await
    }
}
