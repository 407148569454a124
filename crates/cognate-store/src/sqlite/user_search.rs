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

const SELECT: &str = "SELECT s.value_key, s.username, u.data FROM user_search s
     JOIN users u ON u.pool_id = s.pool_id AND u.username = s.username
     WHERE s.pool_id = ?1 AND s.attribute = ?2";

pub(super) fn search(
    c: &Connection,
    pool_id: &str,
    attribute: &str,
    b: &SearchBounds,
    limit: usize,
) -> StoreResult<Vec<(SearchCursor, User)>> {
    let order = "ORDER BY s.value_key, s.username LIMIT ?6";
    let after = "(s.value_key, s.username) > (?4, ?5)";
    let (sql, end) = match (&b.end, b.exact) {
        (_, true) => (format!("{SELECT} AND s.value_key = ?3 AND {after} {order}"), None),
        (Some(end), false) => (
            format!("{SELECT} AND s.value_key >= ?3 AND s.value_key < ?7 AND {after} {order}"),
            Some(end.clone()),
        ),
        (None, false) => (format!("{SELECT} AND s.value_key >= ?3 AND {after} {order}"), None),
    };
    let mut stmt = c.prepare_cached(&sql).map_err(sql_err)?;
    let limit = limit as i64;
    let map = |r: &rusqlite::Row<'_>| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    };
    let base = params![pool_id, attribute, b.low, b.from_key, b.from_username, limit];
    let rows = match &end {
        Some(end) => {
            let mut all = base.to_vec();
            all.push(end as &dyn rusqlite::ToSql);
            stmt.query_map(all.as_slice(), map)
        }
        None => stmt.query_map(base, map),
    }
    .map_err(sql_err)?;
    let mut out = Vec::new();
    for row in rows {
        let (value_key, username, data) = row.map_err(sql_err)?;
        out.push((SearchCursor { value_key, username }, from_json(&data)?));
    }
    Ok(out)
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
