//! Whether the backend can be reached (the server's readiness answer).

use async_trait::async_trait;

use crate::store::StoreResult;

#[async_trait]
pub trait StoreHealth: Send + Sync {
    /// One round trip to the database; an error if it cannot be reached.
    async fn ping(&self) -> StoreResult<()>;
}
