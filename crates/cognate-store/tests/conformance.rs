//! One behavioural suite for every `Store` backend (the cases are in `tests/cases/`). SQLite
//! always runs; PostgreSQL runs the same cases when `COGNATE_TEST_POSTGRES_URL` is set, in a
//! schema of its own that is dropped afterwards.

mod cases;

use std::sync::Arc;

use cognate_core::store::{PoolStore, Store};
use cognate_store::postgres::schema::{create_schema, drop_schema, url_with_schema};

async fn all_cases(store: Arc<dyn Store>) {
    cases::suite(store.as_ref()).await;
    cases::resources(store.as_ref()).await;
    cases::user_import(store.as_ref()).await;
    cases::user_search(store.as_ref()).await;
    cases::concurrency(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_conformance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = cognate_store::SqliteStore::open(&dir.path().join("t.db"))
        .await
        .expect("open");
    all_cases(Arc::new(store)).await;
    // reopening runs no migration twice and keeps the data
    let again = cognate_store::SqliteStore::open(&dir.path().join("t.db"))
        .await
        .expect("reopen");
    assert_eq!(again.list_pools(None, 10).await.expect("list").len(), 1);
    assert_eq!(
        cognate_store::migrate(&format!("sqlite:{}", dir.path().join("t.db").display()))
            .await
            .expect("migrate"),
        Vec::<i64>::new()
    );
}

fn fresh_schema() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("cognate_test_{}_{nanos:x}", std::process::id())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_conformance() {
    let Ok(base) = std::env::var("COGNATE_TEST_POSTGRES_URL") else {
        eprintln!("postgres_conformance skipped: COGNATE_TEST_POSTGRES_URL is not set");
        return;
    };
    let schema = fresh_schema();
    create_schema(&base, &schema).await.expect("create schema");
    let url = url_with_schema(&base, &schema);
    let run = tokio::spawn(async move {
        // Two migrators at once on the empty schema: each version is applied exactly once.
        let migrator =
            |url: String| tokio::spawn(async move { cognate_store::migrate(&url).await });
        let (a, b) = (migrator(url.clone()), migrator(url.clone()));
        let mut applied = [
            a.await.expect("task").expect("migrator a"),
            b.await.expect("task").expect("migrator b"),
        ]
        .concat();
        applied.sort();
        assert_eq!(applied, cognate_store::schema_versions());
        let store = cognate_store::PgStore::open(&url, 8).await.expect("open");
        all_cases(Arc::new(store)).await;
        assert_eq!(
            cognate_store::migrate(&url).await.expect("again"),
            Vec::<i64>::new()
        );
    })
    .await;
    drop_schema(&base, &schema).await.expect("drop schema");
    if let Err(e) = run {
        std::panic::resume_unwind(e.into_panic());
    }
}
