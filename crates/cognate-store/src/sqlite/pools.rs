//! `PoolStore` on SQLite.

use async_trait::async_trait;
use cognate_core::model::UserPool;
use cognate_core::store::{PoolStore, StoreError, StoreResult};
use rusqlite::params;

use super::{query_doc, query_docs, sql_err, to_json, SqliteStore};

#[async_trait]
impl PoolStore for SqliteStore {
    async fn insert_pool(&self, pool: &UserPool) -> StoreResult<()> {
        let (id, data) = (pool.id.clone(), to_json(pool)?);
        self.run(move |c| {
            c.execute(
                "INSERT INTO pools (id, data) VALUES (?1, ?2)",
                params![id, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn get_pool(&self, pool_id: &str) -> StoreResult<Option<UserPool>> {
        let id = pool_id.to_owned();
        self.read_point(move |c| query_doc(c, "SELECT data FROM pools WHERE id = ?1", params![id]))
            .await
    }

    async fn update_pool(&self, pool: &UserPool) -> StoreResult<()> {
        let (id, data) = (pool.id.clone(), to_json(pool)?);
        self.run(move |c| {
            match c
                .execute(
                    "UPDATE pools SET data = ?2 WHERE id = ?1",
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

    async fn delete_pool(&self, pool_id: &str) -> StoreResult<bool> {
        let id = pool_id.to_owned();
        self.run(move |c| {
            let tx = c.savepoint().map_err(sql_err)?;
            // Children first: cascades through composite keys are slower than explicit deletes.
            for sql in [
                "DELETE FROM refresh_tokens WHERE pool_id = ?1",
                "DELETE FROM group_members WHERE pool_id = ?1",
                "DELETE FROM user_aliases WHERE pool_id = ?1",
                "DELETE FROM user_search WHERE pool_id = ?1",
                "DELETE FROM users WHERE pool_id = ?1",
                "DELETE FROM groups WHERE pool_id = ?1",
                "DELETE FROM clients WHERE pool_id = ?1",
                "DELETE FROM signing_keys WHERE pool_id = ?1",
                "DELETE FROM auth_sessions WHERE pool_id = ?1",
                "DELETE FROM resources WHERE pool_id = ?1",
                "DELETE FROM user_import_files WHERE job_id IN (SELECT job_id FROM user_import_jobs WHERE pool_id = ?1)",
                "DELETE FROM user_import_jobs WHERE pool_id = ?1",
            ] {
                tx.execute(sql, params![id]).map_err(sql_err)?;
            }
            let n = tx
                .execute("DELETE FROM pools WHERE id = ?1", params![id])
                .map_err(sql_err)?;
            tx.commit().map_err(sql_err)?;
            Ok(n > 0)
        })
        .await
    }

    async fn list_pools(&self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserPool>> {
        let after = after.unwrap_or("").to_owned();
        self.read(move |c| {
            query_docs(
                c,
                "SELECT data FROM pools WHERE id > ?1 ORDER BY id LIMIT ?2",
                params![after, limit as i64],
            )
        })
        .await
    }

    async fn count_users(&self, pool_id: &str) -> StoreResult<u64> {
        let id = pool_id.to_owned();
        self.read(move |c| {
            c.query_row(
                "SELECT COUNT(*) FROM users WHERE pool_id = ?1",
                params![id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(sql_err)
        })
        .await
    }
}
