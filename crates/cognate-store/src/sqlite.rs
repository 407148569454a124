//! SQLite backend.
//!
//! Durability: WAL journal with `synchronous = FULL`, so every committed transaction is fsynced
//! to the WAL before the call returns; an acknowledged write survives `kill -9` and power loss.
//! One connection serialises all access (SQLite has one writer anyway); calls run on tokio's
//! blocking pool so the async runtime never waits on disk.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use cognate_core::clock::Timestamp;
use cognate_core::model::{
    AppClient, AuthSessionRecord, Group, RefreshTokenRecord, SigningKeyRecord, User, UserPool,
};
use cognate_core::store::{Constraint, Store, StoreError, StoreResult};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn to_json<T: Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(other)
}

fn from_json<T: DeserializeOwned>(s: &str) -> StoreResult<T> {
    serde_json::from_str(s).map_err(other)
}

/// Maps a constraint violation to `Conflict`, naming the constraint from SQLite's message.
fn sql_err(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e {
        if f.code == ErrorCode::ConstraintViolation {
            let constraint = if msg.contains("users.username_key")
                || msg.contains("users.pool_id, users.username")
            {
                Constraint::Username
            } else if msg.contains("users.sub") {
                Constraint::Sub
            } else if msg.contains("pools.id") {
                Constraint::Pool
            } else if msg.contains("clients.client_id") {
                Constraint::Client
            } else if msg.contains("signing_keys.") {
                Constraint::SigningKey
            } else if msg.contains("groups.") {
                Constraint::Group
            } else if msg.contains("FOREIGN KEY") {
                Constraint::Reference
            } else {
                Constraint::Unique
            };
            return StoreError::Conflict { constraint };
        }
    }
    other(e)
}

impl SqliteStore {
    pub async fn open(path: &Path) -> Result<Self, String> {
        let path = path.to_owned();
        let conn = tokio::task::spawn_blocking(move || -> Result<Connection, String> {
            let mut conn = Connection::open(&path).map_err(|e| e.to_string())?;
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| e.to_string())?;
            conn.pragma_update(None, "synchronous", "FULL")
                .map_err(|e| e.to_string())?;
            conn.pragma_update(None, "foreign_keys", "ON")
                .map_err(|e| e.to_string())?;
            conn.busy_timeout(std::time::Duration::from_secs(5))
                .map_err(|e| e.to_string())?;
            crate::migrations::run_sqlite(&mut conn)?;
            Ok(conn)
        })
        .await
        .map_err(|e| e.to_string())??;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    async fn run<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| other("store mutex poisoned"))?;
            f(&mut guard)
        })
        .await
        .map_err(other)?
    }
}

fn query_docs<T: DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(sql_err)?;
    let rows = stmt
        .query_map(params, |r| r.get::<_, String>(0))
        .map_err(sql_err)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(from_json(&row.map_err(sql_err)?)?);
    }
    Ok(out)
}

fn query_doc<T: DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Option<T>> {
    let s: Option<String> = conn
        .query_row(sql, params, |r| r.get(0))
        .optional()
        .map_err(sql_err)?;
    s.map(|s| from_json(&s)).transpose()
}

fn write_aliases(tx: &rusqlite::Transaction<'_>, user: &User) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM user_aliases WHERE pool_id = ?1 AND username = ?2",
        params![user.pool_id, user.username],
    )
    .map_err(sql_err)?;
    for (attr, key) in &user.keys.aliases {
        tx.execute(
            "INSERT INTO user_aliases (pool_id, attribute, value_key, username) VALUES (?1, ?2, ?3, ?4)",
            params![user.pool_id, attr, key, user.username],
        )
        .map_err(|e| match sql_err(e) {
            StoreError::Conflict { .. } => StoreError::Conflict {
                constraint: Constraint::Alias(attr.clone()),
            },
            e => e,
        })?;
    }
    Ok(())
}

#[async_trait]
impl Store for SqliteStore {
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
        self.run(move |c| query_doc(c, "SELECT data FROM pools WHERE id = ?1", params![id]))
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
            let tx = c.transaction().map_err(sql_err)?;
            // Children first: cascades through composite keys are slower than explicit deletes.
            for sql in [
                "DELETE FROM refresh_tokens WHERE pool_id = ?1",
                "DELETE FROM group_members WHERE pool_id = ?1",
                "DELETE FROM user_aliases WHERE pool_id = ?1",
                "DELETE FROM users WHERE pool_id = ?1",
                "DELETE FROM groups WHERE pool_id = ?1",
                "DELETE FROM clients WHERE pool_id = ?1",
                "DELETE FROM signing_keys WHERE pool_id = ?1",
                "DELETE FROM auth_sessions WHERE pool_id = ?1",
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
        self.run(move |c| {
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
        self.run(move |c| {
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
        self.run(move |c| {
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
        self.run(move |c| {
            query_docs(
                c,
                "SELECT data FROM clients WHERE pool_id = ?1 AND client_id > ?2 ORDER BY client_id LIMIT ?3",
                params![pool, after, limit as i64],
            )
        })
        .await
    }

    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        let user = user.clone();
        let data = to_json(&user)?;
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_err)?;
            tx.execute(
                "INSERT INTO users (pool_id, username, username_key, sub, version, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![user.pool_id, user.username, user.keys.username, user.sub, user.version, data],
            )
            .map_err(sql_err)?;
            write_aliases(&tx, &user)?;
            tx.commit().map_err(sql_err)
        })
        .await
    }

    async fn get_user(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>> {
        let (pool, key) = (pool_id.to_owned(), username_key.to_owned());
        self.run(move |c| {
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
        self.run(move |c| {
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
        self.run(move |c| {
            query_doc(
                c,
                "SELECT u.data FROM user_aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username = a.username
                 WHERE a.pool_id = ?1 AND a.attribute = ?2 AND a.value_key = ?3",
                params![pool, attr, key],
            )
        })
        .await
    }

    async fn update_user(&self, user: &User, expected_version: i64) -> StoreResult<()> {
        let user = user.clone();
        let data = to_json(&user)?;
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_err)?;
            let n = tx
                .execute(
                    "UPDATE users SET username_key = ?3, version = ?4, data = ?5
                     WHERE pool_id = ?1 AND username = ?2 AND version = ?6",
                    params![
                        user.pool_id,
                        user.username,
                        user.keys.username,
                        user.version,
                        data,
                        expected_version
                    ],
                )
                .map_err(sql_err)?;
            if n == 0 {
                let exists: Option<i64> = tx
                    .query_row(
                        "SELECT version FROM users WHERE pool_id = ?1 AND username = ?2",
                        params![user.pool_id, user.username],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(sql_err)?;
                return Err(match exists {
                    None => StoreError::NotFound,
                    Some(_) => StoreError::Conflict {
                        constraint: Constraint::Version,
                    },
                });
            }
            write_aliases(&tx, &user)?;
            tx.commit().map_err(sql_err)
        })
        .await
    }

    async fn delete_user(&self, pool_id: &str, username: &str) -> StoreResult<bool> {
        let (pool, name) = (pool_id.to_owned(), username.to_owned());
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_err)?;
            for sql in [
                "DELETE FROM refresh_tokens WHERE pool_id = ?1 AND username = ?2",
                "DELETE FROM group_members WHERE pool_id = ?1 AND username = ?2",
                "DELETE FROM user_aliases WHERE pool_id = ?1 AND username = ?2",
            ] {
                tx.execute(sql, params![pool, name]).map_err(sql_err)?;
            }
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
        self.run(move |c| {
            query_docs(
                c,
                "SELECT data FROM users WHERE pool_id = ?1 AND username > ?2 ORDER BY username LIMIT ?3",
                params![pool, after, limit as i64],
            )
        })
        .await
    }

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
        self.run(move |c| {
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
            let tx = c.transaction().map_err(sql_err)?;
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
        self.run(move |c| {
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
        self.run(move |c| {
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
        self.run(move |c| {
            query_docs(
                c,
                "SELECT u.data FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.username = m.username
                 WHERE m.pool_id = ?1 AND m.group_name = ?2 AND m.username > ?3 ORDER BY m.username LIMIT ?4",
                params![pool, group, after, limit as i64],
            )
        })
        .await
    }

    async fn insert_refresh_token(&self, record: &RefreshTokenRecord) -> StoreResult<()> {
        let r = record.clone();
        let data = to_json(&r)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO refresh_tokens (token_hash, origin_jti, pool_id, username, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![r.token_hash, r.origin_jti, r.pool_id, r.username, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
        let h = token_hash.to_owned();
        self.run(move |c| {
            query_doc(
                c,
                "SELECT data FROM refresh_tokens WHERE token_hash = ?1",
                params![h],
            )
        })
        .await
    }

    async fn get_refresh_token_by_origin(
        &self,
        origin_jti: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>> {
        let o = origin_jti.to_owned();
        self.run(move |c| {
            query_doc(
                c,
                "SELECT data FROM refresh_tokens WHERE origin_jti = ?1",
                params![o],
            )
        })
        .await
    }

    async fn revoke_refresh_token(&self, origin_jti: &str) -> StoreResult<bool> {
        let o = origin_jti.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE refresh_tokens SET data = json_set(data, '$.revoked', json('true')) WHERE origin_jti = ?1",
                params![o],
            )
            .map(|n| n > 0)
            .map_err(sql_err)
        })
        .await
    }

    async fn revoke_user_refresh_tokens(&self, pool_id: &str, username: &str) -> StoreResult<()> {
        let (pool, name) = (pool_id.to_owned(), username.to_owned());
        self.run(move |c| {
            c.execute(
                "UPDATE refresh_tokens SET data = json_set(data, '$.revoked', json('true')) WHERE pool_id = ?1 AND username = ?2",
                params![pool, name],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn insert_auth_session(&self, session: &AuthSessionRecord) -> StoreResult<()> {
        let (id, pool, expires, data) = (
            session.id_hash.clone(),
            session.pool_id.clone(),
            session.expires.millis(),
            to_json(session)?,
        );
        self.run(move |c| {
            c.execute(
                "INSERT INTO auth_sessions (id_hash, pool_id, consumed, expires, data) VALUES (?1, ?2, 0, ?3, ?4)",
                params![id, pool, expires, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn get_auth_session(&self, id_hash: &str) -> StoreResult<Option<AuthSessionRecord>> {
        let id = id_hash.to_owned();
        self.run(move |c| {
            let row: Option<(String, i64)> = c
                .query_row(
                    "SELECT data, consumed FROM auth_sessions WHERE id_hash = ?1",
                    params![id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql_err)?;
            row.map(|(data, consumed)| {
                from_json::<AuthSessionRecord>(&data).map(|mut s| {
                    s.consumed = consumed != 0;
                    s
                })
            })
            .transpose()
        })
        .await
    }

    async fn consume_auth_session(&self, id_hash: &str) -> StoreResult<bool> {
        let id = id_hash.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE auth_sessions SET consumed = 1 WHERE id_hash = ?1 AND consumed = 0",
                params![id],
            )
            .map(|n| n == 1)
            .map_err(sql_err)
        })
        .await
    }

    async fn delete_expired_auth_sessions(&self, before: Timestamp) -> StoreResult<()> {
        self.run(move |c| {
            c.execute(
                "DELETE FROM auth_sessions WHERE expires < ?1",
                params![before.millis()],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>> {
        let pool = pool_id.to_owned();
        self.run(move |c| {
            query_docs(
                c,
                "SELECT data FROM signing_keys WHERE pool_id = ?1 ORDER BY purpose",
                params![pool],
            )
        })
        .await
    }

    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()> {
        let (pool, purpose, kid, data) = (
            key.pool_id.clone(),
            key.purpose.clone(),
            key.kid.clone(),
            to_json(key)?,
        );
        self.run(move |c| {
            c.execute(
                "INSERT INTO signing_keys (pool_id, purpose, kid, data) VALUES (?1, ?2, ?3, ?4)",
                params![pool, purpose, kid, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }
}
