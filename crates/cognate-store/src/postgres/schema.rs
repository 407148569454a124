//! Schemas for isolated runs (the conformance suite, the end-to-end suites): a database URL
//! whose connections use one schema, created and dropped here.

use tokio_postgres::NoTls;

/// `url` with its connections' `search_path` set to `schema` and `application_name` naming it
/// (so its connections can be told apart in `pg_stat_activity`).
pub fn url_with_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}&application_name=cognate_{schema}")
}

/// Runs one statement on a connection of its own.
async fn run(url: &str, sql: &str) -> Result<(), String> {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|e| format!("connecting to the database: {e}"))?;
    let task = tokio::spawn(conn);
    let result = client.batch_execute(sql).await.map_err(|e| e.to_string());
    drop(client);
    let _ = task.await;
    result
}

fn checked(schema: &str) -> Result<&str, String> {
    if !schema.is_empty()
        && schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(schema)
    } else {
        Err(format!("unusable schema name {schema:?}"))
    }
}

pub async fn create_schema(url: &str, schema: &str) -> Result<(), String> {
    run(url, &format!("CREATE SCHEMA {}", checked(schema)?)).await
}

pub async fn drop_schema(url: &str, schema: &str) -> Result<(), String> {
    run(
        url,
        &format!("DROP SCHEMA IF EXISTS {} CASCADE", checked(schema)?),
    )
    .await
}
