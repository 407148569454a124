//! `AuthSessionStore` on PostgreSQL. `consumed` and `expires` are columns: a session is
//! consumed by one conditional update, which exactly one caller sees change a row.

use async_trait::async_trait;
use cognate_core::clock::Timestamp;
use cognate_core::model::AuthSessionRecord;
use cognate_core::store::{AuthSessionStore, StoreResult};

use super::{execute, from_json, to_json, PgStore};

#[async_trait]
impl AuthSessionStore for PgStore {
    async fn insert_auth_session(&self, session: &AuthSessionRecord) -> StoreResult<()> {
        let s = session;
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO auth_sessions (id_hash, pool_id, consumed, expires, data) VALUES ($1, $2, FALSE, $3, $4)",
                &[&s.id_hash, &s.pool_id, &s.expires.millis(), &to_json(s)?],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn get_auth_session(&self, id_hash: &str) -> StoreResult<Option<AuthSessionRecord>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            let stmt = c
                .prepare_cached("SELECT data, consumed FROM auth_sessions WHERE id_hash = $1")
                .await?;
            match c.query_opt(&stmt, &[&id_hash]).await? {
                Some(row) => {
                    let mut s: AuthSessionRecord = from_json(row.try_get::<_, &str>(0)?)?;
                    s.consumed = row.try_get(1)?;
                    Ok(Some(s))
                }
                None => Ok(None),
            }
        })
        .await
    }

    async fn consume_auth_session(&self, id_hash: &str) -> StoreResult<bool> {
        self.attempt(|| async move {
            let c = self.client().await?;
            let n = execute(
                &c,
                "UPDATE auth_sessions SET consumed = TRUE WHERE id_hash = $1 AND NOT consumed",
                &[&id_hash],
            )
            .await?;
            Ok(n == 1)
        })
        .await
    }

    async fn delete_expired_auth_sessions(&self, before: Timestamp) -> StoreResult<()> {
        let before = before.millis();
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "DELETE FROM auth_sessions WHERE expires < $1",
                &[&before],
            )
            .await?;
            Ok(())
        })
        .await
    }
}
