//! Migrations on PostgreSQL, safe when several instances start at once without advisory locks
//! (CockroachDB has none): each version is claimed by inserting its row into
//! `cognate_migrations` inside the transaction that applies it. A second migrator's insert of
//! the same version waits for the first transaction and then does nothing (it committed) or
//! claims the version itself (it rolled back), so every version is applied exactly once, and
//! in order, since a version is only tried once all lower ones are committed.

use std::time::Duration;

use tokio_postgres::error::SqlState;

use crate::migrations::{latest, POSTGRES, USER_SEARCH};

/// How long start-up keeps trying while the database is not ready for it yet (refusing
/// connections, out of connection slots, or in a migration race another instance is winning).
const START_BUDGET: Duration = Duration::from_secs(30);

/// A failed start-up step: its message, and whether trying the whole step again may succeed.
#[derive(Debug)]
pub(crate) struct StartError {
    pub message: String,
    pub transient: bool,
}

impl StartError {
    fn db(context: &str, e: &tokio_postgres::Error) -> Self {
        // A database error displays as "db error" alone; its message and code say why.
        let why = match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), db.code().code()),
            None => e.to_string(),
        };
        Self {
            message: format!("{context}: {why}"),
            transient: transient(e),
        }
    }

    fn fatal(message: String) -> Self {
        Self {
            message,
            transient: false,
        }
    }
}

/// Errors that say "not now" rather than "never": the server cannot be reached or has no
/// connection slot left, or a concurrent migrator's catalog change or lock got in the way.
fn transient(e: &tokio_postgres::Error) -> bool {
    match e.code() {
        // No SQLSTATE: not an answer from the database (refused, reset, closed, timed out).
        None => true,
        Some(c) => [
            SqlState::TOO_MANY_CONNECTIONS,
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::ADMIN_SHUTDOWN,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::UNIQUE_VIOLATION,
            SqlState::DUPLICATE_TABLE,
            SqlState::DUPLICATE_OBJECT,
            SqlState::LOCK_NOT_AVAILABLE,
        ]
        .contains(c),
    }
}

pub(crate) fn pool_error(e: deadpool_postgres::PoolError) -> StartError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => {
            StartError::db("connecting to the database", &e)
        }
        other => StartError {
            message: format!("connecting to the database: {other}"),
            transient: true,
        },
    }
}

/// Runs `step` until it succeeds, fails for good, or [`START_BUDGET`] is spent; each transient
/// failure is logged (it names no secret: database errors carry no credentials).
pub(crate) async fn with_start_retries<T, F, Fut>(what: &str, step: F) -> Result<T, String>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, StartError>>,
{
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(50);
    loop {
        match step().await {
            Ok(v) => return Ok(v),
            Err(e) if e.transient && started.elapsed() + pause < START_BUDGET => {
                tracing::warn!(step = what, error = %e.message, "database not ready, trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(e) => return Err(e.message),
        }
    }
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS cognate_migrations (
    version    BIGINT NOT NULL,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cognate_migrations_pkey PRIMARY KEY (version)
)";

/// Connects to `url` and applies pending migrations; returns the versions applied here.
pub async fn migrate(url: &str) -> Result<Vec<i64>, String> {
    let store = super::PgStore::connect(url, 1)?;
    with_start_retries("migrate", || async {
        let mut client = store.pool.get().await.map_err(pool_error)?;
        run(&mut client).await
    })
    .await
}

/// The schema version the database is at (0: none applied).
pub async fn current_version(client: &deadpool_postgres::ClientWrapper) -> Result<i64, String> {
    let row = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM cognate_migrations",
            &[],
        )
        .await
        .map_err(|e| format!("reading the schema version: {e}"))?;
    row.try_get(0).map_err(|e| e.to_string())
}

/// Applies the pending migrations. A transient failure leaves every version either applied
/// and recorded or not at all (each is one transaction), so the caller may run it again.
pub(crate) async fn run(client: &mut deadpool_postgres::Object) -> Result<Vec<i64>, StartError> {
    create_table(client).await?;
    let current = read_version(client).await?;
    if current > latest() {
        return Err(StartError::fatal(format!(
            "the database is at schema version {current}, newer than this build knows ({}); \
             run a newer cognate",
            latest()
        )));
    }
    let mut applied = Vec::new();
    for m in POSTGRES.iter().filter(|m| m.version > current) {
        let context = format!("migration {}", m.name);
        let fail = |e: tokio_postgres::Error| StartError::db(&context, &e);
        let tx = client.transaction().await.map_err(fail)?;
        let claimed = tx
            .execute(
                "INSERT INTO cognate_migrations (version, name) VALUES ($1, $2)
                 ON CONFLICT (version) DO NOTHING",
                &[&m.version, &m.name],
            )
            .await
            .map_err(fail)?;
        if claimed == 0 {
            // Another instance applied it meanwhile.
            tx.rollback().await.map_err(fail)?;
            continue;
        }
        tx.batch_execute(m.sql).await.map_err(fail)?;
        if m.version == USER_SEARCH {
            super::user_search::backfill(&tx)
                .await
                .map_err(|e| StartError::fatal(format!("{context}: {e}")))?;
        }
        tx.commit().await.map_err(fail)?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
        applied.push(m.version);
    }
    Ok(applied)
}

async fn read_version(client: &deadpool_postgres::ClientWrapper) -> Result<i64, StartError> {
    current_version(client).await.map_err(|message| StartError {
        message,
        transient: true,
    })
}

/// `CREATE TABLE IF NOT EXISTS` run by two sessions at once can fail in one of them with a
/// unique violation on the catalog; once the other has committed, the table exists, so the
/// failure is transient and the caller's retry finds it.
async fn create_table(client: &deadpool_postgres::ClientWrapper) -> Result<(), StartError> {
    let exists = client
        .query_opt(
            "SELECT 1 FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = 'cognate_migrations'",
            &[],
        )
        .await
        .map_err(|e| StartError::db("looking for the migrations table", &e))?;
    if exists.is_some() {
        return Ok(());
    }
    client
        .batch_execute(CREATE_TABLE)
        .await
        .map_err(|e| StartError::db("creating the migrations table", &e))
}

/// `cognate check` on PostgreSQL: the database answers and its schema is current.
pub async fn check(url: &str) -> Result<crate::Integrity, String> {
    let store = super::PgStore::connect(url, 1)?;
    let version = with_start_retries("check", || async {
        let client = store.pool.get().await.map_err(pool_error)?;
        create_table(&client).await?;
        read_version(&client).await
    })
    .await?;
    if version == latest() {
        Ok(crate::Integrity::Ok)
    } else {
        Ok(crate::Integrity::Damaged(vec![format!(
            "schema version {version}, this build expects {} (run `cognate migrate`)",
            latest()
        )]))
    }
}
