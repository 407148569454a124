//! Noticing a damaged database file: a quick check bounded in time when the store opens, and a
//! full one for `cognate check`. Damage is reported naming the file; the store refuses to open.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags};

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Integrity {
    Ok,
    /// SQLite's own description of the damage, one problem a line (at most a few).
    Damaged(Vec<String>),
    /// The quick check ran out of its time budget; nothing was found up to there.
    Unfinished,
}

/// The message for a damaged file: names it and says what to do.
pub fn damage_report(path: &Path, problems: &[String]) -> String {
    format!(
        "the database file {} is damaged ({}); refusing to serve from it. Restore it from a \
         backup (run `cognate check` for a full report)",
        path.display(),
        problems.join("; ").replace('\n', " ")
    )
}

/// Whether an error means the file is not a sound SQLite database.
pub fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase)
    )
}

/// `PRAGMA quick_check`, interrupted after `budget` (reported as `Unfinished`).
pub fn quick_check(conn: &Connection, budget: Duration) -> Result<Integrity, rusqlite::Error> {
    let handle = conn.get_interrupt_handle();
    let (done, wait) = mpsc::channel::<()>();
    let timer = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(budget) {
            handle.interrupt();
        }
    });
    let started = Instant::now();
    let result = run_check(conn, "PRAGMA quick_check(5)");
    let _ = done.send(());
    let _ = timer.join();
    match result {
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::OperationInterrupted) => {
            tracing::warn!(
                budget_ms = budget.as_millis() as u64,
                "integrity check did not finish in its time budget; run `cognate check` for a full one"
            );
            Ok(Integrity::Unfinished)
        }
        Err(e) if is_damage(&e) => Ok(Integrity::Damaged(vec![e.to_string()])),
        other => {
            tracing::debug!(
                ms = started.elapsed().as_millis() as u64,
                "quick integrity check done"
            );
            other
        }
    }
}

/// `PRAGMA integrity_check` on the file at `path`, opened read-only.
pub fn full_check(path: &Path) -> Result<Integrity, String> {
    if !path.is_file() {
        return Err(format!("{}: no database file there", path.display()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    match run_check(&conn, "PRAGMA integrity_check(100)") {
        Err(e) if is_damage(&e) => Ok(Integrity::Damaged(vec![e.to_string()])),
        other => other.map_err(|e| format!("{}: {e}", path.display())),
    }
}

fn run_check(conn: &Connection, sql: &str) -> Result<Integrity, rusqlite::Error> {
    let mut stmt = conn.prepare(sql)?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if lines.len() == 1 && lines[0] == "ok" {
        Integrity::Ok
    } else {
        Integrity::Damaged(lines)
    })
}
