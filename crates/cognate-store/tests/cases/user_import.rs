//! Batch insert of users (`insert_users`) and user import jobs with their files.

use cognate_core::clock::Timestamp;
use cognate_core::model::{ImportJobStatus, UserImportJob};
use cognate_core::store::{Constraint, Store, StoreError};

use super::{conflict, pool, user};

fn job(pool_id: &str, id: &str, created: i64) -> UserImportJob {
    UserImportJob {
        pool_id: pool_id.into(),
        job_id: id.into(),
        job_name: "j".into(),
        cloud_watch_logs_role_arn: "arn:aws:iam::123456789012:role/r".into(),
        status: ImportJobStatus::Created,
        created: Timestamp(created),
        started: None,
        completed: None,
        imported_users: 0,
        skipped_users: 0,
        failed_users: 0,
        completion_message: None,
        uploaded: None,
    }
}

pub async fn user_import(s: &dyn Store) {
    let p = "us-east-1_Imp";
    s.insert_pool(&pool(p)).await.expect("pool");
    s.insert_user(&user(p, "taken", Some("taken@x.com")))
        .await
        .expect("user");

    // One batch: new rows are kept with their aliases; a taken username, a taken alias, and a
    // duplicate inside the batch fail alone.
    let mut batch = vec![
        user(p, "a1", Some("a1@x.com")),
        user(p, "taken", None),
        user(p, "a2", Some("taken@x.com")),
        user(p, "a3", None),
        user(p, "a3", None),
    ];
    batch[1].sub = "sub-taken-2".into();
    batch[4].sub = "sub-other".into();
    let outcomes = s.insert_users(&batch).await.expect("batch");
    assert_eq!(
        outcomes,
        vec![
            Ok(()),
            Err(conflict(Constraint::Username)),
            Err(conflict(Constraint::Alias("email".into()))),
            Ok(()),
            Err(conflict(Constraint::Username)),
        ]
    );
    let a1 = s
        .get_user_by_alias(p, "email", "a1@x.com")
        .await
        .expect("alias lookup");
    assert_eq!(a1.map(|u| u.username), Some("a1".into()));
    assert!(s.get_user(p, "a3").await.expect("get").is_some());
    assert!(s.get_user(p, "a2").await.expect("get").is_none());
    assert!(s.get_user_by_sub(p, "sub-a2").await.expect("get").is_none());
    assert!(s.insert_users(&[]).await.expect("empty").is_empty());
    let many: Vec<_> = (0..1500)
        .map(|i| user(p, &format!("bulk{i:05}"), Some(&format!("bulk{i}@x.com"))))
        .collect();
    let outcomes = s.insert_users(&many).await.expect("bulk");
    assert!(outcomes.iter().all(|o| o.is_ok()));
    let listed = s.list_users(p, Some("bulk"), 2000).await.expect("list");
    assert_eq!(
        listed
            .iter()
            .filter(|u| u.username.starts_with("bulk"))
            .count(),
        1500
    );

    // Jobs: unique ids, listed by creation time then id, compare-and-set on the status.
    s.insert_user_import_job(&job(p, "import-b", 2))
        .await
        .expect("job");
    s.insert_user_import_job(&job(p, "import-a", 3))
        .await
        .expect("job");
    s.insert_user_import_job(&job(p, "import-c", 2))
        .await
        .expect("job");
    assert!(matches!(
        s.insert_user_import_job(&job(p, "import-a", 9)).await,
        Err(StoreError::Conflict { .. })
    ));
    let ids = |jobs: Vec<UserImportJob>| jobs.into_iter().map(|j| j.job_id).collect::<Vec<_>>();
    let all = s.list_user_import_jobs(p, None, 10).await.expect("list");
    assert_eq!(ids(all), ["import-b", "import-c", "import-a"]);
    let rest = s
        .list_user_import_jobs(p, Some((2, "import-b")), 1)
        .await
        .expect("list");
    assert_eq!(ids(rest), ["import-c"]);
    assert!(s
        .list_user_import_jobs("us-east-1_None", None, 10)
        .await
        .expect("list")
        .is_empty());

    let mut pending = job(p, "import-a", 3);
    pending.status = ImportJobStatus::Pending;
    assert!(s
        .next_pending_user_import_job()
        .await
        .expect("next")
        .is_none());
    assert!(s
        .update_user_import_job(&pending, ImportJobStatus::Created)
        .await
        .expect("cas"));
    assert!(!s
        .update_user_import_job(&pending, ImportJobStatus::Created)
        .await
        .expect("cas lost"));
    let next = s.next_pending_user_import_job().await.expect("next");
    assert_eq!(next.map(|j| j.job_id), Some("import-a".into()));
    assert_eq!(
        s.update_user_import_job(&job(p, "import-zz", 1), ImportJobStatus::Created)
            .await,
        Err(StoreError::NotFound)
    );
    let stored = s.get_user_import_job("import-a").await.expect("get");
    assert_eq!(stored.map(|j| j.status), Some(ImportJobStatus::Pending));
    assert!(s
        .get_user_import_job("import-zz")
        .await
        .expect("get")
        .is_none());

    // Files: stored, replaced, deleted; only for a job that exists.
    assert_eq!(
        s.get_user_import_file("import-b").await.expect("file"),
        None
    );
    s.put_user_import_file("import-b", b"first")
        .await
        .expect("put");
    s.put_user_import_file("import-b", b"a,b\n\xffc")
        .await
        .expect("put");
    assert_eq!(
        s.get_user_import_file("import-b").await.expect("file"),
        Some(b"a,b\n\xffc".to_vec())
    );
    assert_eq!(
        s.put_user_import_file("import-zz", b"x").await,
        Err(StoreError::NotFound)
    );
    s.delete_user_import_file("import-b").await.expect("delete");
    assert_eq!(
        s.get_user_import_file("import-b").await.expect("file"),
        None
    );

    // Deleting the pool takes its jobs and files with it.
    s.put_user_import_file("import-c", b"x").await.expect("put");
    s.delete_pool(p).await.expect("delete pool");
    assert!(s
        .get_user_import_job("import-c")
        .await
        .expect("get")
        .is_none());
}
