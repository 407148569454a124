//! Versioned schema migrations, applied in order inside one transaction each. The schema
//! version is kept in SQLite's `user_version` pragma.

use rusqlite::Connection;

/// (version, SQL). Append only: never edit a migration that has shipped.
const SQLITE: &[(i64, &str)] = &[(1, include_str!("../migrations/sqlite/0001_init.sql"))];

pub fn run_sqlite(conn: &mut Connection) -> Result<(), String> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    for (version, sql) in SQLITE.iter().filter(|(v, _)| *v > current) {
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        tx.execute_batch(sql)
            .map_err(|e| format!("migration {version}: {e}"))?;
        tx.pragma_update(None, "user_version", version)
            .map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
        tracing::info!(version, "applied migration");
    }
    Ok(())
}
