//! PostgreSQL backend (also CockroachDB: plain SQL only, no advisory locks, no LISTEN/NOTIFY).
//!
//! A pool of connections (deadpool-postgres over tokio-postgres). Every store call is one
//! attempt closure run by [`PgStore::attempt`]: it takes a connection, runs its statements (in a
//! transaction when there are several) and is run again, whole, after a serialization failure
//! or a deadlock. A connection the database dropped is discarded when it is next taken from
//! the pool, so the store recovers by itself when the database comes back. Durability is the
//! database's: a committed transaction is durable under PostgreSQL's default
//! `synchronous_commit = on`.

use std::future::Future;
use std::time::Duration;

use cognate_core::store::{StoreError, StoreResult};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio_postgres::types::ToSql;
use tokio_postgres::NoTls;

mod auth_sessions;
mod clients;
mod error;
mod groups;
mod health;
mod migrate;
mod pools;
mod refresh_tokens;
mod resources;
pub mod schema;
mod signing_keys;
mod user_import_jobs;
pub(crate) mod user_search;
mod users;

pub use migrate::{check, migrate};

use error::{retryable, store_error, Attempt, Failure};

/// The pool size when none is given.
pub const DEFAULT_POOL_SIZE: usize = 10;
/// How long a call waits for a connection (from the pool, or a new one) before failing.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts of one call when the database asks for a retry.
const ATTEMPTS: u32 = 5;

pub struct PgStore {
    pool: Pool,
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db?options=...`), checks the database is
    /// reachable and applies pending migrations.
    /// While the database refuses connections, has no slot left, or another instance's
    /// migration gets in the way, it tries again for a bounded time (see `migrate`).
    pub async fn open(url: &str, pool_size: usize) -> Result<Self, String> {
        let store = Self::connect(url, pool_size)?;
        migrate::with_start_retries("open", || async {
            let mut client = store.pool.get().await.map_err(migrate::pool_error)?;
            migrate::run(&mut client).await
        })
        .await?;
        Ok(store)
    }

    /// The pool alone: no connection is made until one is needed.
    pub(crate) fn connect(url: &str, pool_size: usize) -> Result<Self, String> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| format!("invalid database URL: {e}"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("cognate");
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| format!("database pool: {e}"))?;
        Ok(Self { pool })
    }

    async fn client(&self) -> Attempt<deadpool_postgres::Object> {
        self.pool
            .get()
            .await
            .map_err(|e| Failure::Store(StoreError::Other(format!("database unavailable: {e}"))))
    }

    /// Runs `f`, again after a serialization failure or deadlock (with a short pause), and
    /// turns its failure into a store error.
    async fn attempt<T, F, Fut>(&self, f: F) -> StoreResult<T>
    where
        F: Fn() -> Fut + Send + Sync,
        Fut: Future<Output = Attempt<T>> + Send,
        T: Send,
    {
        let mut tries = 0;
        loop {
            tries += 1;
            match f().await {
                Ok(v) => return Ok(v),
                Err(Failure::Db(e)) if retryable(&e) && tries < ATTEMPTS => {
                    tokio::time::sleep(Duration::from_millis(5 << tries)).await;
                }
                Err(Failure::Db(e)) => return Err(store_error(&e)),
                Err(Failure::Store(e)) => return Err(e),
            }
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> Attempt<String> {
    serde_json::to_string(v).map_err(|e| Failure::Store(StoreError::Other(e.to_string())))
}

fn from_json<T: DeserializeOwned>(s: &str) -> Attempt<T> {
    serde_json::from_str(s).map_err(|e| Failure::Store(StoreError::Other(e.to_string())))
}

async fn execute(c: &impl GenericClient, sql: &str, params: Params<'_>) -> Attempt<u64> {
    let stmt = c.prepare_cached(sql).await?;
    Ok(c.execute(&stmt, params).await?)
}

async fn query_doc<T: DeserializeOwned>(
    c: &impl GenericClient,
    sql: &str,
    params: Params<'_>,
) -> Attempt<Option<T>> {
    let stmt = c.prepare_cached(sql).await?;
    match c.query_opt(&stmt, params).await? {
        Some(row) => Ok(Some(from_json(row.try_get::<_, &str>(0)?)?)),
        None => Ok(None),
    }
}

async fn query_docs<T: DeserializeOwned>(
    c: &impl GenericClient,
    sql: &str,
    params: Params<'_>,
) -> Attempt<Vec<T>> {
    let stmt = c.prepare_cached(sql).await?;
    let rows = c.query(&stmt, params).await?;
    rows.iter()
        .map(|row| from_json(row.try_get::<_, &str>(0)?))
        .collect()
}

/// The conflict of an expected shape, or the failure as it was.
fn conflict_as(e: tokio_postgres::Error, constraint: cognate_core::store::Constraint) -> Failure {
    match store_error(&e) {
        StoreError::Conflict { .. } => Failure::Store(StoreError::Conflict { constraint }),
        _ => Failure::Db(e),
    }
}
