//! Versioned schema migrations, one list per backend, kept in step: the same versions with the
//! same names (`migrations/<backend>/NNNN_<name>.sql`), each applied once, in order, inside one
//! transaction. SQLite keeps its version in `PRAGMA user_version`; PostgreSQL in the
//! `cognate_migrations` table (see `postgres::migrate`).

use rusqlite::Connection;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! migration {
    ($backend:literal, $version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../migrations/", $backend, "/", $name, ".sql")),
        }
    };
}

/// Append only: never edit a migration that has shipped.
pub(crate) const SQLITE: &[Migration] = &[
    migration!("sqlite", 1, "0001_init"),
    migration!("sqlite", 2, "0002_columns_and_resources"),
    migration!("sqlite", 3, "0003_domains_unique"),
    migration!("sqlite", 4, "0004_user_import_jobs"),
    migration!("sqlite", 5, "0005_user_search"),
];

/// The same versions as [`SQLITE`], in PostgreSQL's dialect (and CockroachDB's).
pub(crate) const POSTGRES: &[Migration] = &[
    migration!("postgres", 1, "0001_init"),
    migration!("postgres", 2, "0002_columns_and_resources"),
    migration!("postgres", 3, "0003_domains_unique"),
    migration!("postgres", 4, "0004_user_import_jobs"),
    migration!("postgres", 5, "0005_user_search"),
];

/// The version that creates `user_search`, whose rows for existing users each runner then
/// writes in Rust, in the migration's transaction.
pub(crate) const USER_SEARCH: i64 = 5;

/// Every schema version this build knows, in order.
pub fn versions() -> Vec<i64> {
    SQLITE.iter().map(|m| m.version).collect()
}

/// The newest schema version this build knows.
pub fn latest() -> i64 {
    SQLITE.last().map_or(0, |m| m.version)
}

pub fn run_sqlite(conn: &mut Connection) -> Result<Vec<i64>, String> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if current > latest() {
        return Err(format!(
            "the database is at schema version {current}, newer than this build knows ({}); \
             run a newer cognate",
            latest()
        ));
    }
    let mut applied = Vec::new();
    for m in SQLITE.iter().filter(|m| m.version > current) {
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        tx.execute_batch(m.sql)
            .map_err(|e| format!("migration {}: {e}", m.name))?;
        if m.version == USER_SEARCH {
            crate::sqlite::user_search::backfill(&tx)
                .map_err(|e| format!("migration {}: {e}", m.name))?;
        }
        tx.pragma_update(None, "user_version", m.version)
            .map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
        applied.push(m.version);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_are_in_step() {
        let names =
            |list: &[Migration]| list.iter().map(|m| (m.version, m.name)).collect::<Vec<_>>();
        assert_eq!(names(SQLITE), names(POSTGRES));
        // Versions are 1, 2, 3, ... with no gap: the runners apply every version above the
        // database's current one, so a version added below it later would never run.
        for (i, m) in SQLITE.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "versions are contiguous");
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }

    #[test]
    fn user_search_is_filled_for_existing_users() {
        let mut conn = Connection::open_in_memory().expect("open");
        for m in SQLITE.iter().filter(|m| m.version < USER_SEARCH) {
            conn.execute_batch(m.sql).expect("migration");
            conn.pragma_update(None, "user_version", m.version)
                .expect("version");
        }
        let user = serde_json::json!({
            "pool_id": "p", "username": "Ann", "sub": "s-1", "status": "ForceChangePassword",
            "attributes": {"email": "ann@example.com", "given_name": "Ann", "locale": "fr"},
            "enabled": false, "created": 0, "modified": 0, "password": null,
            "password_history": [],
            "codes": {"confirm_sign_up": null, "forgot_password": null, "verify_attribute": {}},
            "lockout": {"failed_attempts": 0, "locked_until": null}, "tokens_valid_after": 0,
            "keys": {"username": "ann", "aliases": {}}
        });
        conn.execute_batch(&format!(
            "INSERT INTO pools (id, data) VALUES ('p', '{{}}');
             INSERT INTO users (pool_id, username, username_key, sub, data)
             VALUES ('p', 'Ann', 'ann', 's-1', '{user}');"
        ))
        .expect("user");
        assert_eq!(
            run_sqlite(&mut conn).expect("run").last(),
            Some(&USER_SEARCH)
        );
        let mut stmt = conn
            .prepare("SELECT attribute, value_key, username FROM user_search ORDER BY attribute")
            .expect("select");
        let rows: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("read");
        let row = |a: &str, v: &str| (a.to_owned(), v.to_owned(), "Ann".to_owned());
        assert_eq!(
            rows,
            [
                row("cognito:user_status", "force_change_password"),
                row("email", "ann@example.com"),
                row("given_name", "Ann"),
                row("status", "Disabled"),
                row("sub", "s-1"),
                row("username", "ann"),
            ]
        );
    }
}
