//! `RefreshTokenStore` on SQLite.

use async_trait::async_trait;
use cognate_core::model::RefreshTokenRecord;
use cognate_core::store::{RefreshTokenStore, StoreResult};
use rusqlite::{params, OptionalExtension};

use super::{from_json, sql_err, to_json, SqliteStore};

/// The record with `revoked` from its column (revocation is updated in place).
fn query_token(
    c: &rusqlite::Connection,
    sql: &str,
    key: &str,
) -> StoreResult<Option<RefreshTokenRecord>> {
    let row: Option<(String, i64)> = c
        .query_row(sql, params![key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(sql_err)?;
    row.map(|(data, revoked)| {
        from_json::<RefreshTokenRecord>(&data).map(|mut t| {
            t.revoked = revoked != 0;
            t
        })
    })
    .transpose()
}

#[async_trait]
impl RefreshTokenStore for SqliteStore {
    async fn insert_refresh_token(&self, record: &RefreshTokenRecord) -> StoreResult<()> {
        let r = record.clone();
        let data = to_json(&r)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO refresh_tokens (token_hash, origin_jti, pool_id, username, revoked, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.token_hash, r.origin_jti, r.pool_id, r.username, r.revoked, data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
        let h = token_hash.to_owned();
        self.read_point(move |c| {
            query_token(
                c,
                "SELECT data, revoked FROM refresh_tokens WHERE token_hash = ?1",
                &h,
            )
        })
        .await
    }

    async fn get_refresh_token_by_origin(
        &self,
        origin_jti: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>> {
        let o = origin_jti.to_owned();
        self.read_point(move |c| {
            query_token(
                c,
                "SELECT data, revoked FROM refresh_tokens WHERE origin_jti = ?1",
                &o,
            )
        })
        .await
    }

    async fn revoke_refresh_token(&self, origin_jti: &str) -> StoreResult<bool> {
        let o = origin_jti.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE refresh_tokens SET revoked = 1 WHERE origin_jti = ?1",
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
                "UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ?1 AND username = ?2",
                params![pool, name],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }
}
