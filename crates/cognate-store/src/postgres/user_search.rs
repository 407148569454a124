//! The ListUsers filter index on PostgreSQL (`user_search`, see
//! `cognate_core::store::user_search`): its rows are written in the transaction that writes
//! the user, in one statement per write (`unnest` of the rows as arrays).

use cognate_core::model::User;
use cognate_core::store::user_search::{search_entries, SearchBounds, SearchCursor};
use deadpool_postgres::GenericClient;
use tokio_postgres::types::ToSql;

use super::{execute, from_json, Attempt};

/// Writes the index rows of users being inserted (every insert path calls this).
pub(super) async fn insert_search(tx: &impl GenericClient, users: &[&User]) -> Attempt<()> {
    let (mut pools, mut attrs, mut keys, mut names) = (vec![], vec![], vec![], vec![]);
    for user in users {
        for (attr, key) in search_entries(user) {
            pools.push(user.pool_id.as_str());
            attrs.push(attr);
            keys.push(key);
            names.push(user.username.as_str());
        }
    }
    if pools.is_empty() {
        return Ok(());
    }
    execute(
        tx,
        "INSERT INTO user_search (pool_id, attribute, value_key, username)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])",
        &[&pools, &attrs, &keys, &names],
    )
    .await?;
    Ok(())
}

pub(super) async fn delete_search(
    tx: &impl GenericClient,
    pool_id: &str,
    username: &str,
) -> Attempt<()> {
    execute(
        tx,
        "DELETE FROM user_search WHERE pool_id = $1 AND username = $2",
        &[&pool_id, &username],
    )
    .await?;
    Ok(())
}

/// Rewrites the rows of an updated user when its searchable fields changed.
pub(super) async fn update_search(
    tx: &impl GenericClient,
    before: &User,
    after: &User,
) -> Attempt<()> {
    if search_entries(before) != search_entries(after) {
        delete_search(tx, &after.pool_id, &after.username).await?;
        insert_search(tx, &[after]).await?;
    }
    Ok(())
}

/// The index rows are limited first and only then joined to their users: PostgreSQL would
/// otherwise merge-join a long run of equal values against `users` from its first row.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT s.value_key, s.username, u.data FROM (
                SELECT value_key, username FROM user_search
                WHERE pool_id = $1 AND attribute = $2 AND ",
            $rest,
            ") s JOIN users u ON u.pool_id = $1 AND u.username = s.username
             ORDER BY s.value_key, s.username"
        )
    };
}

/// The rest of one value, in username order.
const WITHIN: &str = select!("value_key = $3 AND username > $4 ORDER BY username LIMIT $5");
/// The values after one, up to an end.
const BEYOND_TO: &str =
    select!("value_key > $3 AND value_key < $4 ORDER BY value_key, username LIMIT $5");
/// The values after one.
const BEYOND: &str = select!("value_key > $3 ORDER BY value_key, username LIMIT $4");

/// The rows of `b` (see [`SearchBounds`]), up to `limit`.
pub(super) async fn search(
    c: &impl GenericClient,
    pool_id: &str,
    attribute: &str,
    b: &SearchBounds,
    limit: usize,
) -> Attempt<Vec<(SearchCursor, User)>> {
    let mut out = Vec::new();
    if let Some((value, after)) = &b.within {
        let limit = limit as i64;
        read_rows(
            c,
            WITHIN,
            &[&pool_id, &attribute, value, after, &limit],
            &mut out,
        )
        .await?;
    }
    let rest = (limit - out.len()) as i64;
    match &b.beyond {
        Some((low, Some(end))) if rest > 0 => {
            read_rows(
                c,
                BEYOND_TO,
                &[&pool_id, &attribute, low, end, &rest],
                &mut out,
            )
            .await?;
        }
        Some((low, None)) if rest > 0 => {
            read_rows(c, BEYOND, &[&pool_id, &attribute, low, &rest], &mut out).await?;
        }
        _ => {}
    }
    Ok(out)
}

async fn read_rows(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    out: &mut Vec<(SearchCursor, User)>,
) -> Attempt<()> {
    let stmt = c.prepare_cached(sql).await?;
    for r in c.query(&stmt, params).await? {
        let cursor = SearchCursor {
            value_key: r.try_get(0)?,
            username: r.try_get(1)?,
        };
        out.push((cursor, from_json(r.try_get::<_, &str>(2)?)?));
    }
    Ok(())
}

/// Migration 0005: the index rows of the users stored before it, 500 users per statement.
pub(crate) async fn backfill(tx: &impl GenericClient) -> Result<(), String> {
    let (mut pool, mut name) = (String::new(), String::new());
    loop {
        let rows = tx
            .query(
                "SELECT pool_id, username, data FROM users WHERE (pool_id, username) > ($1, $2)
                 ORDER BY pool_id, username LIMIT 500",
                &[&pool, &name],
            )
            .await
            .map_err(|e| e.to_string())?;
        let mut users = Vec::with_capacity(rows.len());
        for r in &rows {
            pool = r.try_get(0).map_err(|e| e.to_string())?;
            name = r.try_get(1).map_err(|e| e.to_string())?;
            let data: &str = r.try_get(2).map_err(|e| e.to_string())?;
            users.push(serde_json::from_str::<User>(data).map_err(|e| e.to_string())?);
        }
        let refs: Vec<&User> = users.iter().collect();
        insert_search(tx, &refs).await.map_err(|e| match e {
            super::Failure::Db(e) => e.to_string(),
            super::Failure::Store(e) => format!("{e:?}"),
        })?;
        if rows.len() < 500 {
            return Ok(());
        }
    }
}
