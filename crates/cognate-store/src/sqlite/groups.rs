//! `GroupStore` on SQLite.

use async_trait::async_trait;
use cognate_core::model::{Group, User};
use cognate_core::store::{GroupStore, StoreError, StoreResult};
use rusqlite::params;

use super::{query_doc, query_docs, sql_err, to_json, SqliteStore};

#[async_trait]
impl GroupStore for SqliteStore {
    async fn insert_group(&self, group: &Group) -> StoreResult<()> {
        let (pool, name, data) = (group.pool_id.clone(), group.name.clone(), to_json(group)?);
        self.run(move |c| {
            c.execute(
                "INSERT INTO groups (pool_id, name, data) VALUES (?1, ?2, ?3)",
                params![pool, name, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>> {
        let (pool, name) = (pool_id.to_owned(), name.to_owned());
        self.read(move |c| {
            query_doc(
                c,
                "SELECT data FROM groups WHERE pool_id = ?1 AND name = ?2",
                params![pool, name],
            )
        })
        .await
    }

    async fn update_group(&self, group: &Group) -> StoreResult<()> {
        let (pool, name, data) = (group.pool_id.clone(), group.name.clone(), to_json(group)?);
        self.run(move |c| {
            match c
                .execute(
                    "UPDATE groups SET data = ?3 WHERE pool_id = ?1 AND name = ?2",
                    params![pool, name, data],
                )
                .map_err(sql_err)?
            {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            }
        })
        .await
    }

    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<bool> {
        let (pool, name) = (pool_id.to_owned(), name.to_owned());
        self.run(move |c| {
            let tx = c.savepoint().map_err(sql_err)?;
            tx.execute(
                "DELETE FROM group_members WHERE pool_id = ?1 AND group_name = ?2",
                params![pool, name],
            )
            .map_err(sql_err)?;
            let n = tx
                .execute(
                    "DELETE FROM groups WHERE pool_id = ?1 AND name = ?2",
                    params![pool, name],
                )
                .map_err(sql_err)?;
            tx.commit().map_err(sql_err)?;
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
        let (pool, after) = (pool_id.to_owned(), after.unwrap_or("").to_owned());
        self.read(move |c| {
            query_docs(
                c,
                "SELECT data FROM groups WHERE pool_id = ?1 AND name > ?2 ORDER BY name LIMIT ?3",
                params![pool, after, limit as i64],
            )
        })
        .await
    }

    async fn add_user_to_group(
        &self,
        pool_id: &str,
        group: &str,
        username: &str,
    ) -> StoreResult<()> {
        let (pool, group, name) = (pool_id.to_owned(), group.to_owned(), username.to_owned());
        self.run(move |c| {
            c.execute(
                "INSERT OR IGNORE INTO group_members (pool_id, group_name, username) VALUES (?1, ?2, ?3)",
                params![pool, group, name],
            )
            .map_err(sql_err)?;
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
        let (pool, group, name) = (pool_id.to_owned(), group.to_owned(), username.to_owned());
        self.run(move |c| {
            c.execute(
                "DELETE FROM group_members WHERE pool_id = ?1 AND group_name = ?2 AND username = ?3",
                params![pool, group, name],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn list_groups_for_user(&self, pool_id: &str, username: &str) -> StoreResult<Vec<Group>> {
        let (pool, name) = (pool_id.to_owned(), username.to_owned());
        self.read(move |c| {
            query_docs(
                c,
                "SELECT g.data FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
                 WHERE m.pool_id = ?1 AND m.username = ?2 ORDER BY g.name",
                params![pool, name],
            )
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
        let (pool, group, after) = (
            pool_id.to_owned(),
            group.to_owned(),
            after.unwrap_or("").to_owned(),
        );
        self.read(move |c| {
            query_docs(
                c,
                "SELECT u.data FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.username = m.username
                 WHERE m.pool_id = ?1 AND m.group_name = ?2 AND m.username > ?3 ORDER BY m.username LIMIT ?4",
                params![pool, group, after, limit as i64],
            )
        })
        .await
    }
}
