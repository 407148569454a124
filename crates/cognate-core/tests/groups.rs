//! Group use-cases against the real SQLite store.

mod support;

use cognate_core::service::users::groups;
use cognate_core::ErrorKind;
use support::{case_sensitive, Env};

#[tokio::test]
async fn groups_crud_and_membership() {
    let env = Env::new().await;
    let pool = env.pool(case_sensitive()).await;
    let ctx = env.ctx();
    let cfg = groups::GroupConfig {
        description: Some("first".into()),
        role_arn: None,
        precedence: Some(3),
    };
    groups::create_group(&ctx, &pool.id, "team", cfg.clone())
        .await
        .expect("create");
    let e = groups::create_group(&ctx, &pool.id, "team", Default::default())
        .await
        .expect_err("dup");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (
            ErrorKind::GroupExists,
            "A group with the name already exists."
        )
    );

    let g = groups::update_group(
        &ctx,
        &pool.id,
        "team",
        groups::GroupConfig {
            role_arn: Some("arn:aws:iam::000000000000:role/x".into()),
            ..Default::default()
        },
    )
    .await
    .expect("update");
    assert_eq!(g.description.as_deref(), Some("first"));
    assert_eq!(g.precedence, Some(3));
    assert!(g.role_arn.is_some());

    for name in ["a", "b", "c", "d"] {
        groups::create_group(&ctx, &pool.id, name, Default::default())
            .await
            .expect("create");
    }
    let (page, next) = groups::list_groups(&ctx, &pool.id, None, 2)
        .await
        .expect("list");
    assert_eq!(
        page.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    let (page, next) = groups::list_groups(&ctx, &pool.id, next.as_deref(), 2)
        .await
        .expect("list");
    assert_eq!(
        page.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["c", "d"]
    );
    let (page, next) = groups::list_groups(&ctx, &pool.id, next.as_deref(), 2)
        .await
        .expect("list");
    assert_eq!((page.len(), next), (1, None));

    env.user(&pool, "dee", &[]).await;
    for g in ["d", "a", "team"] {
        groups::admin_add_user_to_group(&ctx, &pool.id, "dee", g)
            .await
            .expect("add");
    }
    groups::admin_add_user_to_group(&ctx, &pool.id, "dee", "a")
        .await
        .expect("idempotent");
    let (mine, next) = groups::admin_list_groups_for_user(&ctx, &pool.id, "dee", None, 2)
        .await
        .expect("mine");
    assert_eq!(
        mine.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["a", "d"]
    );
    let (mine, next) =
        groups::admin_list_groups_for_user(&ctx, &pool.id, "dee", next.as_deref(), 2)
            .await
            .expect("mine");
    assert_eq!((mine[0].name.as_str(), next), ("team", None));

    let e = groups::admin_add_user_to_group(&ctx, &pool.id, "ghost", "a")
        .await
        .expect_err("ghost");
    assert_eq!(e.kind, ErrorKind::UserNotFound);
    let e = groups::admin_add_user_to_group(&ctx, &pool.id, "dee", "zzz")
        .await
        .expect_err("no group");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::ResourceNotFound, "Group not found.")
    );
    groups::admin_remove_user_from_group(&ctx, &pool.id, "dee", "a")
        .await
        .expect("remove");
    let (mine, _) = groups::admin_list_groups_for_user(&ctx, &pool.id, "dee", None, 60)
        .await
        .expect("mine");
    assert_eq!(mine.len(), 2);

    groups::delete_group(&ctx, &pool.id, "team")
        .await
        .expect("delete");
    let e = groups::get_group(&ctx, &pool.id, "team")
        .await
        .expect_err("gone");
    assert_eq!(e.message, "Group not found.");
    let e = groups::list_groups(&ctx, "us-east-1_nope", None, 60)
        .await
        .expect_err("no pool");
    assert_eq!(e.message, "User pool us-east-1_nope does not exist.");
}
