//! Cognate's persistence. The only crate with SQL.
//!
//! [`open`] picks a backend from a URL; today that is SQLite (`sqlite:<path>`), and the entity
//! traits that make up [`cognate_core::store::Store`] are what a PostgreSQL backend will
//! implement too.
#![forbid(unsafe_code)]

mod migrations;
mod sqlite;

use std::sync::Arc;

use cognate_core::store::Store;

pub use sqlite::SqliteStore;

/// Opens the store named by `url` (`sqlite:/path/to/cognate.db`), running pending migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, String> {
    match url.strip_prefix("sqlite:") {
        Some(path) => Ok(Arc::new(SqliteStore::open(path.as_ref()).await?)),
        None => Err(format!("unsupported store URL scheme: {url}")),
    }
}
