//! ListUsers with a Filter on a large pool: fills a pool straight through the store (no
//! password hashing), then times filtered pages through the service, and the full scan the
//! search index replaced, for comparison. Ignored by default; run with
//! `cargo test -p cognate-core --test list_users_scale -- --ignored --nocapture`.
//! `COGNATE_SCALE_USERS` (default 100000) sets the pool size; `COGNATE_SCALE_DATABASE_URL`
//! (`sqlite:<path>` or `postgres://...`) the store, a fresh SQLite file by default.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognate_core::clock::Timestamp;
use cognate_core::crypto::secret_box::SecretBox;
use cognate_core::model::{UserPool, UserStatus};
use cognate_core::random::SeededRandom;
use cognate_core::service::common::key_cache::KeyCache;
use cognate_core::service::pools::user_pools::{self as pools, PoolConfig, PoolIdentity};
use cognate_core::service::users::{list_users, user_filter};
use cognate_core::service::{Ctx, InlineOffload, Settings};
use cognate_core::store::Store;

mod support;

const GIVEN: &[&str] = &["Ann", "Bob", "Carl", "Dora", "Eve", "Finn", "Gus", "Hana"];

fn ctx<'a>(
    store: &'a dyn Store,
    random: &'a SeededRandom,
    keys: &'a KeyCache,
    sealer: &'a SecretBox,
    settings: &'a Settings,
) -> Ctx<'a> {
    Ctx {
        store,
        now: Timestamp::from_secs(support::NOW),
        random,
        delivery: &support::NoDelivery,
        keys,
        cpu: &InlineOffload,
        sealer,
        settings,
    }
}

async fn fill(ctx: &Ctx<'_>, store: &Arc<dyn Store>, pool: &UserPool, n: usize) {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let given = GIVEN[i % GIVEN.len()];
        let attrs: BTreeMap<String, String> = [
            ("email", format!("user{i:07}@example.com")),
            ("given_name", given.to_owned()),
            ("family_name", format!("Family{}", i % 1000)),
            ("name", format!("{given} Family{}", i % 1000)),
            ("phone_number", format!("+1555{i:07}")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let mut user = ctx.new_user(pool, &format!("u{i:07}"), attrs, UserStatus::Confirmed);
        user.enabled = i % 10 != 0;
        let store = store.clone();
        tasks.spawn(async move { store.insert_user(&user).await });
        if tasks.len() >= 256 {
            if let Some(r) = tasks.join_next().await {
                r.expect("task").expect("insert");
            }
        }
    }
    while let Some(r) = tasks.join_next().await {
        r.expect("task").expect("insert");
    }
    eprintln!("filled {n} users in {:.1?}", started.elapsed());
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Times `rounds` first pages and, when there is one, the second page.
async fn time_filter(ctx: &Ctx<'_>, pool: &UserPool, filter: &str, rounds: usize) {
    let mut first = Vec::with_capacity(rounds);
    let mut second = Vec::with_capacity(rounds);
    let mut count = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let page = list_users::list_users(ctx, &pool.id, Some(filter), None, None, None)
            .await
            .expect("page");
        first.push(t.elapsed());
        count = page.users.len();
        if let Some(next) = page.next {
            let t = Instant::now();
            list_users::list_users(ctx, &pool.id, Some(filter), None, None, Some(&next))
                .await
                .expect("page 2");
            second.push(t.elapsed());
        }
    }
    first.sort();
    second.sort();
    let p2 = if second.is_empty() {
        "-".to_owned()
    } else {
        format!("{:.2?}", percentile(&second, 0.99))
    };
    eprintln!(
        "{filter:<40} {count:>3} users  p50 {:>9.2?}  p99 {:>9.2?}  page-2 p99 {p2}",
        percentile(&first, 0.5),
        percentile(&first, 0.99),
    );
}

/// What ListUsers did before the index: every user of the pool, 200 at a time, matched in
/// memory (until a page of 60 was full).
async fn time_old_scan(ctx: &Ctx<'_>, pool: &UserPool, filter: &str) {
    let f = user_filter::parse(filter).expect("filter").expect("some");
    let t = Instant::now();
    let (mut after, mut found) = (None::<String>, 0);
    loop {
        let batch = ctx
            .store
            .list_users(&pool.id, after.as_deref(), 200)
            .await
            .expect("batch");
        let done = batch.len() < 200;
        for u in batch {
            if f.matches(pool, &u) {
                found += 1;
            }
            after = Some(u.username);
            if found > 60 {
                break;
            }
        }
        if done || found > 60 {
            break;
        }
    }
    eprintln!(
        "old scan: {filter:<30} {found:>3} users  {:.2?}",
        t.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn list_users_filter_scale() {
    let n: usize = std::env::var("COGNATE_SCALE_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let url = std::env::var("COGNATE_SCALE_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite:{}", dir.path().join("scale.db").display()));
    let store = cognate_store::open(&url, &Default::default())
        .await
        .expect("store");
    let (random, keys, sealer) = (
        SeededRandom::new(7),
        KeyCache::default(),
        SecretBox::new([3; 32]),
    );
    let settings = Settings {
        region: "us-east-1".into(),
        account_id: "000000000000".into(),
        issuer_prefix: "http://localhost".into(),
        public_url: "http://localhost".into(),
        password_hash: cognate_core::crypto::password::HashProfile::PRODUCTION,
    };
    let ctx = ctx(store.as_ref(), &random, &keys, &sealer, &settings);
    let identity = PoolIdentity {
        name: "scale".into(),
        ..Default::default()
    };
    let pool = pools::create_user_pool(&ctx, identity, PoolConfig::default())
        .await
        .expect("pool");
    fill(&ctx, &store, &pool, n).await;
    let last = format!("user{:07}@example.com", n - 1);
    for filter in [
        format!(r#"email = "{last}""#),
        r#"email = "nobody@example.com""#.to_owned(),
        r#"email ^= "user00012""#.to_owned(),
        r#"email ^= "user""#.to_owned(),
        r#"given_name = "Eve""#.to_owned(),
        r#"given_name ^= "D""#.to_owned(),
        r#"family_name = "Family999""#.to_owned(),
        r#"status = "Disabled""#.to_owned(),
        r#"cognito:user_status = "confirmed""#.to_owned(),
        format!(r#"username = "u{:07}""#, n / 2),
        r#"username ^= "u00""#.to_owned(),
        r#"phone_number ^= "+1555""#.to_owned(),
        r#"name ^= "Hana Family99""#.to_owned(),
    ] {
        time_filter(&ctx, &pool, &filter, 200).await;
    }
    for filter in [
        format!(r#"email = "{last}""#),
        r#"given_name = "Eve""#.to_owned(),
        r#"name = "nobody""#.to_owned(),
    ] {
        time_old_scan(&ctx, &pool, &filter).await;
    }
    pools::delete_user_pool(&ctx, &pool.id).await.ok();
}
