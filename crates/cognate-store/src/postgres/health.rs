//! `StoreHealth` on PostgreSQL: a connection from the pool answers one query.

use async_trait::async_trait;
use cognate_core::store::{StoreHealth, StoreResult};

use super::PgStore;

#[async_trait]
impl StoreHealth for PgStore {
    async fn ping(&self) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            c.simple_query("SELECT 1").await?;
            Ok(())
        })
        .await
    }
}
