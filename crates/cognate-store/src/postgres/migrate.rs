//! Migrations on PostgreSQL, safe when several instances start at once without advisory locks
//! (CockroachDB has none): each version is claimed by inserting its row into
//! `cognate_migrations` inside the transaction that applies it. A second migrator's insert of
//! the same version waits for the first transaction and then does nothing (it committed) or
//! claims the version itself (it rolled back), so every version is applied exactly once, and
//! in order, since a version is only tried once all lower ones are committed.

use tokio_postgres::error::SqlState;

use crate::migrations::{latest, POSTGRES};

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS cognate_migrations (
    version    BIGINT NOT NULL,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cognate_migrations_pkey PRIMARY KEY (version)
)";

/// Connects to `url` and applies pending migrations; returns the versions applied here.
pub async fn migrate(url: &str) -> Result<Vec<i64>, String> {
    let store = super::PgStore::connect(url, 1)?;
    let mut client = store
        .pool
        .get()
        .await
        .map_err(|e| format!("connecting to the database: {e}"))?;
    run(&mut client).await
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

pub(crate) async fn run(client: &mut deadpool_postgres::Object) -> Result<Vec<i64>, String> {
    create_table(client).await?;
    let current = current_version(client).await?;
    if current > latest() {
        return Err(format!(
            "the database is at schema version {current}, newer than this build knows ({}); \
             run a newer cognate",
            latest()
        ));
    }
    let mut applied = Vec::new();
    for m in POSTGRES.iter().filter(|m| m.version > current) {
        let fail = |e: tokio_postgres::Error| format!("migration {}: {e}", m.name);
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
        tx.commit().await.map_err(fail)?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
        applied.push(m.version);
    }
    Ok(applied)
}

/// `CREATE TABLE IF NOT EXISTS` run by two sessions at once can fail in one of them with a
/// unique violation on the catalog; once the other has committed, the table exists.
async fn create_table(client: &deadpool_postgres::ClientWrapper) -> Result<(), String> {
    let exists = client
        .query_opt(
            "SELECT 1 FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = 'cognate_migrations'",
            &[],
        )
        .await
        .map_err(|e| format!("looking for the migrations table: {e}"))?;
    if exists.is_some() {
        return Ok(());
    }
    let mut tries = 0;
    loop {
        tries += 1;
        match client.batch_execute(CREATE_TABLE).await {
            Ok(()) => return Ok(()),
            Err(e) if tries < 5 && e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                tokio::time::sleep(std::time::Duration::from_millis(20 * tries)).await;
            }
            Err(e) => return Err(format!("creating the migrations table: {e}")),
        }
    }
}

/// `cognate check` on PostgreSQL: the database answers and its schema is current.
pub async fn check(url: &str) -> Result<crate::Integrity, String> {
    let store = super::PgStore::connect(url, 1)?;
    let client = store
        .pool
        .get()
        .await
        .map_err(|e| format!("connecting to the database: {e}"))?;
    create_table(&client).await?;
    let version = current_version(&client).await?;
    if version == latest() {
        Ok(crate::Integrity::Ok)
    } else {
        Ok(crate::Integrity::Damaged(vec![format!(
            "schema version {version}, this build expects {} (run `cognate migrate`)",
            latest()
        )]))
    }
}
