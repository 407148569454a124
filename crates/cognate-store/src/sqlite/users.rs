//! `UserStore` on SQLite.

use async_trait::async_trait;
use cognate_core::model::{User, UserPart};
use cognate_core::store::user_search::{SearchBounds, SearchCursor, SearchKey};
use cognate_core::store::{Constraint, RowOutcome, StoreError, StoreResult, UserStore};
use rusqlite::{params, Connection};

use super::user_search::{delete_search, insert_search, search, update_search};
use super::{query_doc, query_docs, sql_err, to_json, SqliteStore};

fn write_aliases(tx: &Connection, user: &User) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM user_aliases WHERE pool_id = ?1 AND username = ?2")
        .and_then(|mut stmt| stmt.execute(params![user.pool_id, user.username]))
        .map_err(sql_err)?;
    for (attr, key) in &user.keys.aliases {
        tx.prepare_cached(
            "INSERT INTO user_aliases (pool_id, attribute, value_key, username) VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut stmt| stmt.execute(params![user.pool_id, attr, key, user.username]))
        .map_err(|e| match sql_err(e) {
            StoreError::Conflict { .. } => StoreError::Conflict {
                constraint: Constraint::Alias(attr.clone()),
            },
            e => e,
        })?;
    }
    Ok(())
}

/// Writes one new user's rows (the user and everything indexed with it) in a savepoint of its
/// own: what `insert_user` and each row of `insert_users` do.
fn insert_row(c: &mut Connection, user: &User, data: &str) -> StoreResult<()> {
    let tx = c.savepoint().map_err(sql_err)?;
    tx.prepare_cached(
        "INSERT INTO users (pool_id, username, username_key, sub, data) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            user.pool_id,
            user.username,
            user.keys.username,
            user.sub,
            data
        ])
    })
    .map_err(sql_err)?;
    write_aliases(&tx, user)?;
    insert_search(&tx, user)?;
    tx.commit().map_err(sql_err)
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        let user = user.clone();
        let data = to_json(&user)?;
        self.run(move |c| insert_row(c, &user, &data)).await
    }

    async fn insert_users(&self, users: &[User]) -> StoreResult<Vec<RowOutcome>> {
        let rows = users
            .iter()
            .map(|u| Ok((u.clone(), to_json(u)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        // The writer runs this in one transaction (its batch's); each row has its savepoint.
        self.run(move |c| {
            Ok(rows
                .iter()
                .map(|(user, data)| insert_row(c, user, data))
                .collect())
        })
        .await
    }

    async fn get_user(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>> {
        let (pool, key) = (pool_id.to_owned(), username_key.to_owned());
        self.read_point(move |c| {
            query_doc(
                c,
                "SELECT data FROM users WHERE pool_id = ?1 AND username_key = ?2",
                params![pool, key],
            )
        })
        .await
    }

    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>> {
        let (pool, sub) = (pool_id.to_owned(), sub.to_owned());
        self.read_point(move |c| {
            query_doc(
                c,
                "SELECT data FROM users WHERE pool_id = ?1 AND sub = ?2",
                params![pool, sub],
            )
        })
        .await
    }

    async fn get_user_by_alias(
        &self,
        pool_id: &str,
        attribute: &str,
        value_key: &str,
    ) -> StoreResult<Option<User>> {
        let (pool, attr, key) = (
            pool_id.to_owned(),
            attribute.to_owned(),
            value_key.to_owned(),
        );
        self.read_point(move |c| {
            query_doc(
                c,
                "SELECT u.data FROM user_aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username = a.username
                 WHERE a.pool_id = ?1 AND a.attribute = ?2 AND a.value_key = ?3",
                params![pool, attr, key],
            )
        })
        .await
    }

    async fn update_user(&self, user: &User, changed: &[UserPart]) -> StoreResult<User> {
        let (user, changed) = (user.clone(), changed.to_vec());
        self.run(move |c| {
            let tx = c.savepoint().map_err(sql_err)?;
            let stored: User = query_doc(
                &tx,
                "SELECT data FROM users WHERE pool_id = ?1 AND username = ?2",
                params![user.pool_id, user.username],
            )?
            .ok_or(StoreError::NotFound)?;
            let merged =
                User::apply_changes(&stored, &user, &changed).ok_or(StoreError::Conflict {
                    constraint: Constraint::Version,
                })?;
            tx.execute(
                "UPDATE users SET username_key = ?3, data = ?4 WHERE pool_id = ?1 AND username = ?2",
                params![
                    merged.pool_id,
                    merged.username,
                    merged.keys.username,
                    to_json(&merged)?
                ],
            )
            .map_err(sql_err)?;
            if changed.contains(&UserPart::Profile) {
                write_aliases(&tx, &merged)?;
            }
            update_search(&tx, &stored, &merged)?;
            tx.commit().map_err(sql_err)?;
            Ok(merged)
        })
        .await
    }

    async fn delete_user(&self, pool_id: &str, username: &str) -> StoreResult<bool> {
        let (pool, name) = (pool_id.to_owned(), username.to_owned());
        self.run(move |c| {
            let tx = c.savepoint().map_err(sql_err)?;
            for sql in [
                "DELETE FROM refresh_tokens WHERE pool_id = ?1 AND username = ?2",
                "DELETE FROM group_members WHERE pool_id = ?1 AND username = ?2",
                "DELETE FROM user_aliases WHERE pool_id = ?1 AND username = ?2",
            ] {
                tx.execute(sql, params![pool, name]).map_err(sql_err)?;
            }
            delete_search(&tx, &pool, &name)?;
            let n = tx
                .execute(
                    "DELETE FROM users WHERE pool_id = ?1 AND username = ?2",
                    params![pool, name],
                )
                .map_err(sql_err)?;
            tx.commit().map_err(sql_err)?;
            Ok(n > 0)
        })
        .await
    }

    async fn list_users(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<User>> {
        let (pool, after) = (pool_id.to_owned(), after.unwrap_or("").to_owned());
        self.read(move |c| {
            query_docs(
                c,
                "SELECT data FROM users WHERE pool_id = ?1 AND username > ?2 ORDER BY username LIMIT ?3",
                params![pool, after, limit as i64],
            )
        })
        .await
    }

    async fn search_users(
        &self,
        pool_id: &str,
        attribute: &str,
        key: &SearchKey,
        after: Option<&SearchCursor>,
        limit: usize,
    ) -> StoreResult<Vec<(SearchCursor, User)>> {
        let (pool, attr) = (pool_id.to_owned(), attribute.to_owned());
        let bounds = SearchBounds::new(key, after);
        self.read(move |c| search(c, &pool, &attr, &bounds, limit))
            .await
    }
}
