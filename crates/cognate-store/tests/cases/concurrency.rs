//! What several writers at once must see: one winner of a uniqueness race, one winner of a
//! compare-and-set on one user part, no lost update, parts that do not conflict with each
//! other, and a session consumed exactly once.

use std::sync::Arc;

use cognate_core::clock::Timestamp;
use cognate_core::model::{AuthSessionRecord, ChallengeName, SessionStage, UserPart};
use cognate_core::store::{Constraint, Store, StoreError};

use super::{conflict, pool, user};

const TASKS: usize = 8;

async fn join<T: Send + 'static>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

pub async fn concurrency(s: Arc<dyn Store>) {
    let p = "us-east-1_C";
    s.insert_pool(&pool(p)).await.expect("pool");

    // Sign-ups of one username at once: exactly one winner.
    let results = join(
        (0..TASKS)
            .map(|i| {
                let s = s.clone();
                tokio::spawn(async move {
                    let mut u = user(p, "racer", None);
                    u.sub = format!("sub-racer-{i}");
                    s.insert_user(&u).await
                })
            })
            .collect(),
    )
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(results
        .iter()
        .all(|r| r.is_ok() || *r == Err(conflict(Constraint::Username))));

    // Writers of one part from one snapshot: exactly one wins.
    let snapshot = s.get_user(p, "racer").await.expect("get").expect("racer");
    let results = join(
        (0..TASKS)
            .map(|i| {
                let (s, mut u) = (s.clone(), snapshot.clone());
                tokio::spawn(async move {
                    u.lockout.failed_attempts = i as u32 + 1;
                    s.update_user(&u, &[UserPart::Lockout]).await
                })
            })
            .collect(),
    )
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(results
        .iter()
        .all(|r| r.is_ok() || *r == Err(conflict(Constraint::Version))));
    let start = s
        .get_user(p, "racer")
        .await
        .expect("get")
        .expect("racer")
        .lockout
        .failed_attempts;

    // Read-modify-write loops on one part lose no update, while a writer of another part
    // never conflicts with them.
    const ROUNDS: u32 = 5;
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..ROUNDS {
                loop {
                    let mut u = s.get_user(p, "racer").await?.ok_or(StoreError::NotFound)?;
                    u.lockout.failed_attempts += 1;
                    match s.update_user(&u, &[UserPart::Lockout]).await {
                        Ok(_) => break,
                        Err(StoreError::Conflict {
                            constraint: Constraint::Version,
                        }) => continue,
                        Err(e) => return Err(e),
                    }
                }
            }
            Ok(())
        }));
    }
    let profile_writer = {
        let s = s.clone();
        tokio::spawn(async move {
            for i in 0..ROUNDS * 2 {
                let mut u = s.get_user(p, "racer").await?.ok_or(StoreError::NotFound)?;
                u.attributes.insert("name".into(), format!("n{i}"));
                u.modified = Timestamp(i as i64);
                s.update_user(&u, &[UserPart::Profile]).await?;
            }
            Ok::<_, StoreError>(())
        })
    };
    for r in join(tasks).await {
        r.expect("counter writer");
    }
    profile_writer
        .await
        .expect("task")
        .expect("a profile write never conflicts with lockout writes");
    let after = s.get_user(p, "racer").await.expect("get").expect("racer");
    assert_eq!(after.lockout.failed_attempts, start + TASKS as u32 * ROUNDS);
    assert_eq!(after.attributes["name"], format!("n{}", ROUNDS * 2 - 1));

    // A challenge session answered at once from everywhere is consumed exactly once.
    let session = AuthSessionRecord {
        id_hash: "session-1".into(),
        pool_id: p.into(),
        client_id: "c".into(),
        username: "racer".into(),
        challenge: ChallengeName::SoftwareTokenMfa,
        stage: SessionStage::Challenge,
        expires: Timestamp(1_000),
        consumed: false,
    };
    s.insert_auth_session(&session).await.expect("session");
    let results = join(
        (0..TASKS * 2)
            .map(|_| {
                let s = s.clone();
                tokio::spawn(async move { s.consume_auth_session("session-1").await })
            })
            .collect(),
    )
    .await;
    assert_eq!(
        results.iter().filter(|r| **r == Ok(true)).count(),
        1,
        "{results:?}"
    );
    assert!(results.iter().all(|r| r.is_ok()));
    assert!(s
        .get_auth_session("session-1")
        .await
        .expect("get")
        .is_some_and(|s| s.consumed));
    s.delete_expired_auth_sessions(Timestamp(1_001))
        .await
        .expect("expire");
    assert_eq!(s.get_auth_session("session-1").await.expect("get"), None);

    assert!(s.delete_pool(p).await.expect("delete pool"));
}
