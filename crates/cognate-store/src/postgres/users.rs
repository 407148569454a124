//! `UserStore` on PostgreSQL. An update is the same read-merge-write as on SQLite: the stored
//! row is locked (`SELECT ... FOR UPDATE`) inside a transaction, the writer's changed parts are
//! merged onto it part by part (`User::apply_changes`), and the aliases are rewritten when the
//! profile changed.

use async_trait::async_trait;
use cognate_core::model::{User, UserPart};
use cognate_core::store::user_search::{SearchBounds, SearchCursor, SearchKey};
use cognate_core::store::{Constraint, RowOutcome, StoreError, StoreResult, UserStore};
use deadpool_postgres::GenericClient;

use super::error::{retryable, store_error, Failure};
use super::user_search::{delete_search, insert_search, search, update_search};
use super::{conflict_as, execute, query_doc, query_docs, to_json, Attempt, PgStore};

async fn write_aliases(tx: &impl GenericClient, user: &User) -> Attempt<()> {
    execute(
        tx,
        "DELETE FROM user_aliases WHERE pool_id = $1 AND username = $2",
        &[&user.pool_id, &user.username],
    )
    .await?;
    let stmt = tx
        .prepare_cached(
            "INSERT INTO user_aliases (pool_id, attribute, value_key, username) VALUES ($1, $2, $3, $4)",
        )
        .await?;
    for (attr, key) in &user.keys.aliases {
        tx.execute(&stmt, &[&user.pool_id, attr, key, &user.username])
            .await
            .map_err(|e| conflict_as(e, Constraint::Alias(attr.clone())))?;
    }
    Ok(())
}

/// Writes one new user's rows (the user and everything indexed with it): what `insert_user`
/// does in its transaction and each row of `insert_users` in a savepoint.
async fn insert_row(tx: &impl GenericClient, user: &User, data: &str) -> Attempt<()> {
    execute(
        tx,
        "INSERT INTO users (pool_id, username, username_key, sub, data) VALUES ($1, $2, $3, $4, $5)",
        &[&user.pool_id, &user.username, &user.keys.username, &user.sub, &data],
    )
    .await?;
    write_aliases(tx, user).await?;
    insert_search(tx, &[user]).await
}

/// A row's failure as its outcome; a failure to retry (or of the connection) fails the batch.
fn row_outcome(r: Attempt<()>) -> Attempt<RowOutcome> {
    match r {
        Ok(()) => Ok(Ok(())),
        Err(Failure::Store(e)) => Ok(Err(e)),
        Err(Failure::Db(e)) if e.as_db_error().is_some() && !retryable(&e) => {
            Ok(Err(store_error(&e)))
        }
        Err(e) => Err(e),
    }
}

#[async_trait]
impl UserStore for PgStore {
    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        self.attempt(|| async move {
            let mut c = self.client().await?;
            let tx = c.transaction().await?;
            insert_row(&tx, user, &to_json(user)?).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn insert_users(&self, users: &[User]) -> StoreResult<Vec<RowOutcome>> {
        let rows = users
            .iter()
            .map(|u| {
                Ok((
                    u,
                    serde_json::to_string(u).map_err(|e| StoreError::Other(e.to_string()))?,
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let rows = &rows;
        self.attempt(|| async move {
            let mut c = self.client().await?;
            let mut tx = c.transaction().await?;
            let mut outcomes = Vec::with_capacity(rows.len());
            for (user, data) in rows {
                let sp = tx.savepoint("row").await?;
                let outcome = row_outcome(insert_row(&sp, user, data).await)?;
                if outcome.is_ok() {
                    sp.commit().await?;
                } else {
                    sp.rollback().await?;
                }
                outcomes.push(outcome);
            }
            tx.commit().await?;
            Ok(outcomes)
        })
        .await
    }

    async fn get_user(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT data FROM users WHERE pool_id = $1 AND username_key = $2",
                &[&pool_id, &username_key],
            )
            .await
        })
        .await
    }

    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT data FROM users WHERE pool_id = $1 AND sub = $2",
                &[&pool_id, &sub],
            )
            .await
        })
        .await
    }

    async fn get_user_by_alias(
        &self,
        pool_id: &str,
        attribute: &str,
        value_key: &str,
    ) -> StoreResult<Option<User>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT u.data FROM user_aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username = a.username
                 WHERE a.pool_id = $1 AND a.attribute = $2 AND a.value_key = $3",
                &[&pool_id, &attribute, &value_key],
            )
            .await
        })
        .await
    }

    async fn update_user(&self, user: &User, changed: &[UserPart]) -> StoreResult<User> {
        self.attempt(|| async move {
            let mut c = self.client().await?;
            let tx = c.transaction().await?;
            let stored: User = query_doc(
                &tx,
                "SELECT data FROM users WHERE pool_id = $1 AND username = $2 FOR UPDATE",
                &[&user.pool_id, &user.username],
            )
            .await?
            .ok_or(StoreError::NotFound)?;
            let merged =
                User::apply_changes(&stored, user, changed).ok_or(StoreError::Conflict {
                    constraint: Constraint::Version,
                })?;
            execute(
                &tx,
                "UPDATE users SET username_key = $3, data = $4 WHERE pool_id = $1 AND username = $2",
                &[&merged.pool_id, &merged.username, &merged.keys.username, &to_json(&merged)?],
            )
            .await?;
            if changed.contains(&UserPart::Profile) {
                write_aliases(&tx, &merged).await?;
            }
            update_search(&tx, &stored, &merged).await?;
            tx.commit().await?;
            Ok(merged)
        })
        .await
    }

    async fn delete_user(&self, pool_id: &str, username: &str) -> StoreResult<bool> {
        self.attempt(|| async move {
            let mut c = self.client().await?;
            let tx = c.transaction().await?;
            for sql in [
                "DELETE FROM refresh_tokens WHERE pool_id = $1 AND username = $2",
                "DELETE FROM group_members WHERE pool_id = $1 AND username = $2",
                "DELETE FROM user_aliases WHERE pool_id = $1 AND username = $2",
            ] {
                execute(&tx, sql, &[&pool_id, &username]).await?;
            }
            delete_search(&tx, pool_id, username).await?;
            let n = execute(
                &tx,
                "DELETE FROM users WHERE pool_id = $1 AND username = $2",
                &[&pool_id, &username],
            )
            .await?;
            tx.commit().await?;
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
        let (after, limit) = (after.unwrap_or(""), limit as i64);
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT data FROM users WHERE pool_id = $1 AND username > $2 ORDER BY username LIMIT $3",
                &[&pool_id, &after, &limit],
            )
            .await
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
        let bounds = SearchBounds::new(key, after);
        self.attempt(|| async {
            let c = self.client().await?;
            search(&c, pool_id, attribute, &bounds, limit).await
        })
        .await
    }
}
