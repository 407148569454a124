//! `AuthSessionStore` on SQLite.

use async_trait::async_trait;
use cognate_core::clock::Timestamp;
use cognate_core::model::AuthSessionRecord;
use cognate_core::store::{AuthSessionStore, StoreResult};
use rusqlite::{params, OptionalExtension};

use super::{from_json, sql_err, to_json, SqliteStore};

#[async_trait]
impl AuthSessionStore for SqliteStore {
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
        self.read_point(move |c| {
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
}
