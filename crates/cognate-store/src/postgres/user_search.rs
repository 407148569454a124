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

/// The index rows are limited first and each then looks up its user (a correlated subquery,
/// one primary-key probe per row): as a join, PostgreSQL may merge- or hash-join the run of
/// index rows against all of `users`, above all in the generic plan of a prepared statement,
/// which cannot see the small LIMIT.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT s.value_key, s.username,
                (SELECT u.data FROM users u WHERE u.pool_id = $1 AND u.username = s.username)
             FROM (
                SELECT value_key, username FROM user_search
                WHERE pool_id = $1 AND attribute = $2 AND ",
            $rest,
            ") s ORDER BY s.value_key, s.username"
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::postgres::schema::{create_schema, drop_schema, url_with_schema};

    /// Each search reads a bounded run of the primary key, then joins only those rows (no
    /// sequential scan, no merge join over `users`), with the plan a prepared statement gets.
    /// Runs when `COGNATE_TEST_POSTGRES_URL` is set.
    #[tokio::test]
    async fn searches_seek_the_index() {
        let Ok(base) = std::env::var("COGNATE_TEST_POSTGRES_URL") else {
            eprintln!("skipped: COGNATE_TEST_POSTGRES_URL is not set");
            return;
        };
        let schema = format!("cognate_plan_{}", std::process::id());
        create_schema(&base, &schema).await.expect("schema");
        let url = url_with_schema(&base, &schema);
        let store = super::super::PgStore::open(&url, 2).await.expect("open");
        let c = store.pool.get().await.expect("client");
        c.batch_execute(
            "INSERT INTO pools (id, data) VALUES ('p', '{}');
             INSERT INTO users (pool_id, username, username_key, sub, data)
               SELECT 'p', 'u' || i, 'u' || i, 's' || i, '{}' FROM generate_series(1, 50000) i;
             INSERT INTO user_search SELECT 'p', 'status', 'Enabled', 'u' || i
               FROM generate_series(1, 50000) i;
             INSERT INTO user_search SELECT 'p', 'email', 'e' || i, 'u' || i
               FROM generate_series(1, 50000) i;
             ANALYZE;
             SET plan_cache_mode = force_generic_plan;",
        )
        .await
        .expect("rows");
        let mut plans = vec![];
        for (sql, args) in [
            (WITHIN, "'p', 'status', 'Enabled', 'u25000', 61"),
            (BEYOND_TO, "'p', 'email', 'e2', 'e3', 61"),
            (BEYOND, "'p', 'email', 'e2', 61"),
        ] {
            let types = if sql == BEYOND {
                "text, text, text, bigint"
            } else {
                "text, text, text, text, bigint"
            };
            c.batch_execute(&format!("DEALLOCATE ALL; PREPARE q ({types}) AS {sql}"))
                .await
                .expect("prepare");
            let rows = c
                .query(&format!("EXPLAIN EXECUTE q ({args})"), &[])
                .await
                .expect("explain");
            let plan: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
            plans.push(plan.join("\n"));
        }
        drop(c);
        drop(store);
        drop_schema(&base, &schema).await.expect("drop");
        for plan in plans {
            assert!(plan.contains("using user_search_pkey"), "{plan}");
            assert!(
                !plan.contains("Seq Scan") && !plan.contains("Merge Join"),
                "{plan}"
            );
        }
    }
}
