//! `StoreHealth` on SQLite.

use async_trait::async_trait;
use cognate_core::store::{StoreHealth, StoreResult};

use super::{sql_err, SqliteStore};

#[async_trait]
impl StoreHealth for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.run(|c| {
            c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                .map_err(sql_err)?;
            Ok(())
        })
        .await
    }
}
