//! Refresh tokens, stored by hash and revocable by origin or by user.

use async_trait::async_trait;

use crate::model::RefreshTokenRecord;
use crate::store::StoreResult;

#[async_trait]
pub trait RefreshTokenStore: Send + Sync {
    async fn insert_refresh_token(&self, record: &RefreshTokenRecord) -> StoreResult<()>;
    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>>;
    async fn get_refresh_token_by_origin(
        &self,
        origin_jti: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>>;
    /// Marks one refresh token (by origin_jti) revoked. Returns false if unknown.
    async fn revoke_refresh_token(&self, origin_jti: &str) -> StoreResult<bool>;
    /// Marks every refresh token of the user revoked.
    async fn revoke_user_refresh_tokens(&self, pool_id: &str, username: &str) -> StoreResult<()>;
}
