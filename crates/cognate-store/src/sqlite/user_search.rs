//! The ListUsers filter index on SQLite (`user_search`, see `cognate_core::store::user_search`):
//! its rows are written in the transaction that writes the user.

use cognate_core::model::User;
use cognate_core::store::user_search::{search_entries, SearchBounds, SearchCursor};
use cognate_core::store::StoreResult;
use rusqlite::{params, Connection};

use super::{from_json, sql_err};

/// Writes the index rows of a user being inserted (every insert path calls this).
pub(super) fn insert_search(tx: &Connection, user: &User) -> StoreResult<()> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO user_search (pool_id, attribute, value_key, username) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(sql_err)?;
    for (attr, key) in search_entries(user) {
        stmt.execute(params![user.pool_id, attr, key, user.username])
            .map_err(sql_err)?;
    }
    Ok(())
}

pub(super) fn delete_search(tx: &Connection, pool_id: &str, username: &str) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM user_search WHERE pool_id = ?1 AND username = ?2")
        .and_then(|mut s| s.execute(params![pool_id, username]))
        .map_err(sql_err)?;
    Ok(())
}

/// Rewrites the rows of an updated user when its searchable fields changed.
pub(super) fn update_search(tx: &Connection, before: &User, after: &User) -> StoreResult<()> {
    if search_entries(before) != search_entries(after) {
        delete_search(tx, &after.pool_id, &after.username)?;
        insert_search(tx, after)?;
    }
    Ok(())
}

macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT s.value_key, s.username, u.data FROM user_search s
             JOIN users u ON u.pool_id = s.pool_id AND u.username = s.username
             WHERE s.pool_id = ?1 AND s.attribute = ?2 AND ",
            $rest
        )
    };
}

/// The rest of one value, in username order.
const WITHIN: &str = select!("s.value_key = ?3 AND s.username > ?4 ORDER BY s.username LIMIT ?5");
/// The values after one, up to an end.
const BEYOND_TO: &str =
    select!("s.value_key > ?3 AND s.value_key < ?4 ORDER BY s.value_key, s.username LIMIT ?5");
/// The values after one.
const BEYOND: &str = select!("s.value_key > ?3 ORDER BY s.value_key, s.username LIMIT ?4");

/// The rows of `b` (see [`SearchBounds`]), up to `limit`.
pub(super) fn search(
    c: &Connection,
    pool_id: &str,
    attribute: &str,
    b: &SearchBounds,
    limit: usize,
) -> StoreResult<Vec<(SearchCursor, User)>> {
    let mut out = Vec::new();
    if let Some((value, after)) = &b.within {
        let limit = limit as i64;
        read_rows(
            c,
            WITHIN,
            params![pool_id, attribute, value, after, limit],
            &mut out,
        )?;
    }
    let rest = (limit - out.len()) as i64;
    match &b.beyond {
        Some((low, Some(end))) if rest > 0 => {
            read_rows(
                c,
                BEYOND_TO,
                params![pool_id, attribute, low, end, rest],
                &mut out,
            )?;
        }
        Some((low, None)) if rest > 0 => {
            read_rows(c, BEYOND, params![pool_id, attribute, low, rest], &mut out)?;
        }
        _ => {}
    }
    Ok(out)
}

fn read_rows(
    c: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    out: &mut Vec<(SearchCursor, User)>,
) -> StoreResult<()> {
    let mut stmt = c.prepare_cached(sql).map_err(sql_err)?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(sql_err)?;
    for row in rows {
        let (value_key, username, data) = row.map_err(sql_err)?;
        out.push((
            SearchCursor {
                value_key,
                username,
            },
            from_json(&data)?,
        ));
    }
    Ok(())
}

/// Migration 0005: the index rows of the users stored before it.
pub(crate) fn backfill(tx: &Connection) -> Result<(), String> {
    let mut stmt = tx
        .prepare("SELECT data FROM users")
        .map_err(|e| e.to_string())?;
    let mut rows = stmt.query([]).map_err(|e| e.to_string())?;
    while let Some(row) = rows.next().map_err(|e| e.to_string())? {
        let data: String = row.get(0).map_err(|e| e.to_string())?;
        let user: User = serde_json::from_str(&data).map_err(|e| e.to_string())?;
        insert_search(tx, &user).map_err(|e| format!("{e:?}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each search is one seek on the primary key, with no sort, on the bundled SQLite.
    #[test]
    fn searches_seek_the_index() {
        let mut c = Connection::open_in_memory().expect("open");
        crate::migrations::run_sqlite(&mut c).expect("migrate");
        for (sql, n) in [(WITHIN, 5), (BEYOND_TO, 5), (BEYOND, 4)] {
            let mut stmt = c
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect("explain");
            let args = vec!["x"; n];
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get(3))
                .expect("plan")
                .collect::<Result<_, _>>()
                .expect("rows");
            let plan = plan.join("; ");
            assert!(
                plan.starts_with(
                    "SEARCH s USING PRIMARY KEY (pool_id=? AND attribute=? AND value_key"
                ),
                "{plan}"
            );
            assert!(
                !plan.contains("TEMP B-TREE") && !plan.contains("SCAN"),
                "{plan}"
            );
        }
    }
}
