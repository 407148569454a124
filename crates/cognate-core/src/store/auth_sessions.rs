//! Sessions of multi-step sign-in flows, consumed once.

use async_trait::async_trait;

use crate::model::AuthSessionRecord;
use crate::store::StoreResult;

#[async_trait]
pub trait AuthSessionStore: Send + Sync {
    async fn insert_auth_session(&self, session: &AuthSessionRecord) -> StoreResult<()>;
    async fn get_auth_session(&self, id_hash: &str) -> StoreResult<Option<AuthSessionRecord>>;
    /// Marks the session consumed if it was not: true for exactly one caller (compare-and-set).
    async fn consume_auth_session(&self, id_hash: &str) -> StoreResult<bool>;
    /// Deletes sessions that expired before `before`.
    async fn delete_expired_auth_sessions(
        &self,
        before: crate::clock::Timestamp,
    ) -> StoreResult<()>;
}
