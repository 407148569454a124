//! Cognate's persistence. The only crate with SQL.
//!
//! [`open`] picks a backend from a URL: SQLite (`sqlite:<path>`) or PostgreSQL
//! (`postgres://...`, also CockroachDB). Both implement the entity traits that make up
//! [`cognate_core::store::Store`], one file per trait, and run the same conformance suite.
#![forbid(unsafe_code)]

mod migrations;
pub mod postgres;
mod sqlite;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cognate_core::store::Store;

pub use migrations::latest as latest_schema_version;
pub use migrations::versions as schema_versions;
pub use postgres::PgStore;
pub use sqlite::integrity::Integrity;
pub use sqlite::{SqliteStore, DEFAULT_INTEGRITY_BUDGET};

/// How a store is opened.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// PostgreSQL: the most connections the pool holds.
    pub pool_size: usize,
    /// SQLite: the time budget of the integrity check at open; None skips it.
    pub integrity_budget: Option<Duration>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            pool_size: postgres::DEFAULT_POOL_SIZE,
            integrity_budget: Some(DEFAULT_INTEGRITY_BUDGET),
        }
    }
}

enum Backend<'a> {
    Sqlite(&'a Path),
    Postgres(&'a str),
}

fn backend(url: &str) -> Result<Backend<'_>, String> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        Ok(Backend::Sqlite(Path::new(path)))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres(url))
    } else {
        Err("unsupported database URL: expected sqlite:<path> or postgres://...".to_owned())
    }
}

/// Opens the store named by `url`, running pending migrations.
pub async fn open(url: &str, options: &OpenOptions) -> Result<Arc<dyn Store>, String> {
    Ok(match backend(url)? {
        Backend::Sqlite(path) => {
            Arc::new(SqliteStore::open_with(path, options.integrity_budget).await?)
        }
        Backend::Postgres(url) => Arc::new(PgStore::open(url, options.pool_size).await?),
    })
}

/// Applies pending migrations and returns the versions applied (none: already current).
pub async fn migrate(url: &str) -> Result<Vec<i64>, String> {
    match backend(url)? {
        Backend::Sqlite(path) => SqliteStore::migrate(path).await,
        Backend::Postgres(url) => postgres::migrate(url).await,
    }
}

/// A full integrity check. SQLite: `PRAGMA integrity_check` of the file. PostgreSQL keeps its
/// own storage sound; there it checks that the database answers and its schema version.
pub async fn check(url: &str) -> Result<Integrity, String> {
    match backend(url)? {
        Backend::Sqlite(path) => {
            let path = path.to_owned();
            tokio::task::spawn_blocking(move || sqlite::integrity::full_check(&path))
                .await
                .map_err(|e| e.to_string())?
        }
        Backend::Postgres(url) => postgres::check(url).await,
    }
}
