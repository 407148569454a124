//! `RefreshTokenStore` on PostgreSQL. `revoked` is a column, updated in place.

use async_trait::async_trait;
use cognate_core::model::RefreshTokenRecord;
use cognate_core::store::{RefreshTokenStore, StoreResult};
use deadpool_postgres::GenericClient;

use super::{execute, from_json, to_json, Attempt, PgStore};

/// The record with `revoked` from its column.
async fn query_token(
    c: &impl GenericClient,
    sql: &str,
    key: &str,
) -> Attempt<Option<RefreshTokenRecord>> {
    let stmt = c.prepare_cached(sql).await?;
    match c.query_opt(&stmt, &[&key]).await? {
        Some(row) => {
            let mut record: RefreshTokenRecord = from_json(row.try_get::<_, &str>(0)?)?;
            record.revoked = row.try_get(1)?;
            Ok(Some(record))
        }
        None => Ok(None),
    }
}

#[async_trait]
impl RefreshTokenStore for PgStore {
    async fn insert_refresh_token(&self, record: &RefreshTokenRecord) -> StoreResult<()> {
        let r = record;
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO refresh_tokens (token_hash, origin_jti, pool_id, username, revoked, data) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&r.token_hash, &r.origin_jti, &r.pool_id, &r.username, &r.revoked, &to_json(r)?],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_token(
                &c,
                "SELECT data, revoked FROM refresh_tokens WHERE token_hash = $1",
                token_hash,
            )
            .await
        })
        .await
    }

    async fn get_refresh_token_by_origin(
        &self,
        origin_jti: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_token(
                &c,
                "SELECT data, revoked FROM refresh_tokens WHERE origin_jti = $1",
                origin_jti,
            )
            .await
        })
        .await
    }

    async fn revoke_refresh_token(&self, origin_jti: &str) -> StoreResult<bool> {
        self.attempt(|| async move {
            let c = self.client().await?;
            let n = execute(
                &c,
                "UPDATE refresh_tokens SET revoked = TRUE WHERE origin_jti = $1",
                &[&origin_jti],
            )
            .await?;
            Ok(n > 0)
        })
        .await
    }

    async fn revoke_user_refresh_tokens(&self, pool_id: &str, username: &str) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "UPDATE refresh_tokens SET revoked = TRUE WHERE pool_id = $1 AND username = $2",
                &[&pool_id, &username],
            )
            .await?;
            Ok(())
        })
        .await
    }
}
