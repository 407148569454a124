//! `GroupStore` on PostgreSQL.

use async_trait::async_trait;
use cognate_core::model::{Group, User};
use cognate_core::store::{GroupStore, StoreError, StoreResult};

use super::{execute, query_doc, query_docs, to_json, PgStore};

#[async_trait]
impl GroupStore for PgStore {
    async fn insert_group(&self, group: &Group) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO groups (pool_id, name, data) VALUES ($1, $2, $3)",
                &[&group.pool_id, &group.name, &to_json(group)?],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT data FROM groups WHERE pool_id = $1 AND name = $2",
                &[&pool_id, &name],
            )
            .await
        })
        .await
    }

    async fn update_group(&self, group: &Group) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            match execute(
                &c,
                "UPDATE groups SET data = $3 WHERE pool_id = $1 AND name = $2",
                &[&group.pool_id, &group.name, &to_json(group)?],
            )
            .await?
            {
                0 => Err(StoreError::NotFound.into()),
                _ => Ok(()),
            }
        })
        .await
    }

    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<bool> {
        self.attempt(|| async move {
            let mut c = self.client().await?;
            let tx = c.transaction().await?;
            execute(
                &tx,
                "DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2",
                &[&pool_id, &name],
            )
            .await?;
            let n = execute(
                &tx,
                "DELETE FROM groups WHERE pool_id = $1 AND name = $2",
                &[&pool_id, &name],
            )
            .await?;
            tx.commit().await?;
            Ok(n > 0)
        })
        .await
    }

    async fn list_groups(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Group>> {
        let (after, limit) = (after.unwrap_or(""), limit as i64);
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT data FROM groups WHERE pool_id = $1 AND name > $2 ORDER BY name LIMIT $3",
                &[&pool_id, &after, &limit],
            )
            .await
        })
        .await
    }

    async fn add_user_to_group(
        &self,
        pool_id: &str,
        group: &str,
        username: &str,
    ) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO group_members (pool_id, group_name, username) VALUES ($1, $2, $3)
                 ON CONFLICT (pool_id, group_name, username) DO NOTHING",
                &[&pool_id, &group, &username],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn remove_user_from_group(
        &self,
        pool_id: &str,
        group: &str,
        username: &str,
    ) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username = $3",
                &[&pool_id, &group, &username],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn list_groups_for_user(&self, pool_id: &str, username: &str) -> StoreResult<Vec<Group>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT g.data FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
                 WHERE m.pool_id = $1 AND m.username = $2 ORDER BY g.name",
                &[&pool_id, &username],
            )
            .await
        })
        .await
    }

    async fn list_users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<User>> {
        let (after, limit) = (after.unwrap_or(""), limit as i64);
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT u.data FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.username = m.username
                 WHERE m.pool_id = $1 AND m.group_name = $2 AND m.username > $3 ORDER BY m.username LIMIT $4",
                &[&pool_id, &group, &after, &limit],
            )
            .await
        })
        .await
    }
}
