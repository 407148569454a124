//! SQLite backend.
//!
//! Durability: WAL journal with `synchronous = FULL`, so every committed transaction is fsynced
//! to the WAL before the call returns; an acknowledged write survives `kill -9` and power loss.
//! One connection, on a thread of its own, runs every write and every read-then-write (SQLite
//! has one writer anyway), committing the writes that queued together in one transaction and
//! one fsync (group commit, see `writer`). Calls that only read (single SELECTs: GetUser's
//! lookups, clients, keys, lists) go to a few read-only connections instead, which WAL lets
//! run alongside the writer and each other, each seeing the latest committed state. Reads and
//! writes run on their connections' own threads (a fixed number), so the async runtime never
//! waits on disk and concurrent calls queue as tasks, not as threads.

use std::path::Path;
use std::time::Duration;

use cognate_core::store::{Constraint, StoreError, StoreResult};
use rusqlite::{Connection, ErrorCode, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

mod auth_sessions;
mod clients;
mod groups;
mod health;
pub mod integrity;
mod pools;
mod readers;
mod refresh_tokens;
mod resources;
mod signing_keys;
mod user_import_jobs;
pub(crate) mod user_search;
mod users;
mod writer;

use integrity::Integrity;

/// Read-only connections beside the writer.
const READERS: usize = 4;

/// Read-only connections for point lookups on the caller's own thread (`readers.rs`): one per
/// runtime thread on a small machine; a caller that finds both busy uses the reader threads.
const INLINE_READERS: usize = 2;

pub struct SqliteStore {
    // Fields drop in this order: the readers close first, so that the writer's connection is
    // the last one and checkpoints the WAL when the store is dropped.
    readers: readers::Readers,
    writer: writer::Writer,
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn to_json<T: Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(other)
}

fn from_json<T: DeserializeOwned>(s: &str) -> StoreResult<T> {
    serde_json::from_str(s).map_err(other)
}

/// Maps a constraint violation to `Conflict`, naming the constraint from SQLite's message.
fn sql_err(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e {
        if f.code == ErrorCode::ConstraintViolation {
            let constraint = if msg.contains("users.username_key")
                || msg.contains("users.pool_id, users.username")
            {
                Constraint::Username
            } else if msg.contains("users.sub") {
                Constraint::Sub
            } else if msg.contains("pools.id") {
                Constraint::Pool
            } else if msg.contains("clients.client_id") {
                Constraint::Client
            } else if msg.contains("signing_keys.") {
                Constraint::SigningKey
            } else if msg.contains("resources.") {
                Constraint::Resource
            } else if msg.contains("groups.") {
                Constraint::Group
            } else if msg.contains("FOREIGN KEY") {
                Constraint::Reference
            } else {
                Constraint::Unique
            };
            return StoreError::Conflict { constraint };
        }
    }
    other(e)
}

/// Creates the database file with mode 0600 (or makes an existing one so): it holds password
/// hashes and sealed secrets.
fn private_file(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    restrict(path)
}

fn restrict(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other.map_err(|e| format!("{}: {e}", path.display())),
    }
}

/// How long the integrity check at open may take by default.
pub const DEFAULT_INTEGRITY_BUDGET: Duration = Duration::from_secs(5);

impl SqliteStore {
    /// Opens (creating if needed) with the default quick integrity check.
    pub async fn open(path: &Path) -> Result<Self, String> {
        Self::open_with(path, Some(DEFAULT_INTEGRITY_BUDGET)).await
    }

    /// Opens the file, checks it (`integrity_budget`: a quick check bounded in time; None
    /// skips it) and applies pending migrations. A damaged file is an error naming it.
    pub async fn open_with(
        path: &Path,
        integrity_budget: Option<Duration>,
    ) -> Result<Self, String> {
        let (conn, _) = Self::open_conn(path, integrity_budget).await?;
        let mut conns = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            conns.push(Self::open_reader(path).await?);
        }
        let mut inline = Vec::with_capacity(INLINE_READERS);
        for _ in 0..INLINE_READERS {
            inline.push(Self::open_reader(path).await?);
        }
        let readers = readers::Readers::start(conns, inline)?;
        Ok(Self {
            writer: writer::Writer::start(conn)?,
            readers,
        })
    }

    /// A connection that can only read (`query_only`), opened once the writer has migrated
    /// the file.
    async fn open_reader(path: &Path) -> Result<Connection, String> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || -> Result<Connection, String> {
            let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
            let conn = Connection::open(&path).map_err(fail)?;
            conn.pragma_update(None, "query_only", "ON").map_err(fail)?;
            conn.busy_timeout(Duration::from_secs(5)).map_err(fail)?;
            Ok(conn)
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Opens the file, applies pending migrations and closes it; returns the versions applied.
    pub async fn migrate(path: &Path) -> Result<Vec<i64>, String> {
        Ok(Self::open_conn(path, Some(DEFAULT_INTEGRITY_BUDGET))
            .await?
            .1)
    }

    async fn open_conn(
        path: &Path,
        integrity_budget: Option<Duration>,
    ) -> Result<(Connection, Vec<i64>), String> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || -> Result<(Connection, Vec<i64>), String> {
            private_file(&path)?;
            let fail = |e: rusqlite::Error| {
                if integrity::is_damage(&e) {
                    integrity::damage_report(&path, &[e.to_string()])
                } else {
                    format!("{}: {e}", path.display())
                }
            };
            let mut conn = Connection::open(&path).map_err(fail)?;
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(fail)?;
            conn.pragma_update(None, "synchronous", "FULL")
                .map_err(fail)?;
            conn.pragma_update(None, "foreign_keys", "ON")
                .map_err(fail)?;
            conn.busy_timeout(Duration::from_secs(5)).map_err(fail)?;
            if let Some(budget) = integrity_budget {
                if let Integrity::Damaged(problems) =
                    integrity::quick_check(&conn, budget).map_err(fail)?
                {
                    return Err(integrity::damage_report(&path, &problems));
                }
            }
            let applied = crate::migrations::run_sqlite(&mut conn)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            // SQLite gives its WAL files the database file's mode; older ones are fixed here.
            for suffix in ["-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                restrict(Path::new(&p))?;
            }
            Ok((conn, applied))
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Runs a write (or a read-then-write) on the writer: committed with the writes queued
    /// beside it, answered once durable (see `writer`).
    async fn run<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        self.writer.write(f).await
    }

    /// [`SqliteStore::run`] for a call that only reads: on one of the read-only connections,
    /// taken in turn, each on a thread of its own.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        self.readers.read(f).await
    }

    /// [`SqliteStore::read`] for a lookup by a unique key: on the caller's thread when an
    /// inline connection is free (see `readers.rs`).
    async fn read_point<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        self.readers.read_point(f).await
    }
}

fn query_docs<T: DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(sql_err)?;
    let rows = stmt
        .query_map(params, |r| r.get::<_, String>(0))
        .map_err(sql_err)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(from_json(&row.map_err(sql_err)?)?);
    }
    Ok(out)
}

fn query_doc<T: DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Option<T>> {
    let s: Option<String> = conn
        .query_row(sql, params, |r| r.get(0))
        .optional()
        .map_err(sql_err)?;
    s.map(|s| from_json(&s)).transpose()
}
