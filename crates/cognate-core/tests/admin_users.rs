//! AdminGetUser/Update/Delete/Disable/Enable and ListUsers use-cases against the real SQLite store.

mod support;

use cognate_core::model::UserPool;
use cognate_core::service::pools::user_pools::PoolIdentity;
use cognate_core::service::users::{admin_users, groups, list_users};
use cognate_core::service::Ctx;
use cognate_core::ErrorKind;
use support::{case_sensitive, Env};

/// Pages through ListUsers; returns the usernames seen and the number of pages.
async fn collect(ctx: &Ctx<'_>, pool: &UserPool, filter: &str, limit: i64) -> (Vec<String>, usize) {
    let (mut seen, mut after, mut pages) = (vec![], None::<String>, 0);
    loop {
        let page = list_users::list_users(
            ctx,
            &pool.id,
            Some(filter),
            None,
            Some(limit),
            after.as_deref(),
        )
        .await
        .expect("list users");
        assert!(page.users.len() <= limit as usize);
        if page.next.is_some() {
            assert_eq!(
                page.users.len(),
                limit as usize,
                "only the last page is short"
            );
        }
        pages += 1;
        seen.extend(page.users.into_iter().map(|u| u.username));
        match page.next {
            Some(n) => after = Some(n),
            None => return (seen, pages),
        }
        assert!(pages < 1000);
    }
}

#[tokio::test]
async fn filtered_pagination_visits_every_match_once() {
    let env = Env::new().await;
    let pool = env.pool(case_sensitive()).await;
    let (mut all, mut matching) = (vec![], vec![]);
    for n in 0..230 {
        let name = format!("user{n:03}");
        let display = if n % 7 == 0 {
            matching.push(name.clone());
            format!("Match {n}")
        } else {
            format!("Other {n}")
        };
        env.user(&pool, &name, &[("name", &display)]).await;
        all.push(name);
    }
    let ctx = env.ctx();
    for limit in [1, 3, 10, 60] {
        let (seen, pages) = collect(&ctx, &pool, "", limit).await;
        assert_eq!(seen, all, "limit {limit}");
        assert_eq!(pages, all.len().div_ceil(limit as usize));
    }
    // A prefix filter lists in the order of the filtered value (then username).
    let mut by_value = matching.clone();
    by_value.sort_by_key(|name| format!("Match {}", name[4..].parse::<u32>().unwrap_or(0)));
    for limit in [1, 4, 33, 60] {
        let (seen, pages) = collect(&ctx, &pool, r#"name ^= "Match""#, limit).await;
        assert_eq!(seen, by_value, "limit {limit}");
        assert_eq!(
            pages,
            matching.len().div_ceil(limit as usize),
            "no empty trailing page"
        );
    }
    // An exact filter lists in username order.
    let (seen, _) = collect(&ctx, &pool, r#"name = "Match 14""#, 1).await;
    assert_eq!(seen, ["user014"]);
    let (seen, _) = collect(&ctx, &pool, r#"cognito:user_status = "confirmed""#, 7).await;
    assert_eq!(seen, all);
    let (seen, pages) = collect(&ctx, &pool, r#"name = "nobody""#, 5).await;
    assert_eq!((seen.len(), pages), (0, 1));
    let e = list_users::list_users(&ctx, &pool.id, Some("name ~ \"x\""), None, None, None)
        .await
        .expect_err("bad filter");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::InvalidParameter, "Error while parsing filter.")
    );
}

#[tokio::test]
async fn update_attributes_and_alias_clash() {
    let env = Env::new().await;
    let pool = env
        .pool(PoolIdentity {
            alias_attributes: vec!["email".into()],
            ..Default::default()
        })
        .await;
    env.user(
        &pool,
        "ann",
        &[("email", "ann@example.com"), ("email_verified", "true")],
    )
    .await;
    env.user(
        &pool,
        "ben",
        &[("email", "ben@example.com"), ("email_verified", "true")],
    )
    .await;
    let ctx = env.ctx();
    let w = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };

    // ben takes ann's email, verified: alias clash, nothing changes
    let e = admin_users::admin_update_user_attributes(
        &ctx,
        &pool.id,
        "ben",
        &w(&[("email", "ANN@example.com"), ("email_verified", "true")]),
    )
    .await
    .expect_err("alias clash");
    assert_eq!(e.kind, ErrorKind::AliasExists);
    assert_eq!(e.message, "An account with the given email already exists.");
    let ben = admin_users::admin_get_user(&ctx, &pool.id, "ben")
        .await
        .expect("ben");
    assert_eq!(ben.attr("email"), Some("ben@example.com"));

    // a plain change of email leaves it unverified (and so not an alias)
    admin_users::admin_update_user_attributes(
        &ctx,
        &pool.id,
        "ben",
        &w(&[("email", "new@example.com")]),
    )
    .await
    .expect("update");
    let ben = admin_users::admin_get_user(&ctx, &pool.id, "ben")
        .await
        .expect("ben");
    assert_eq!(ben.attr("email_verified"), Some("false"));
    assert!(
        admin_users::admin_get_user(&ctx, &pool.id, "new@example.com")
            .await
            .is_err()
    );
    // ann is found by alias and by sub
    let ann = admin_users::admin_get_user(&ctx, &pool.id, "ann@example.com")
        .await
        .expect("alias");
    assert_eq!(ann.username, "ann");
    let by_sub = admin_users::admin_get_user(&ctx, &pool.id, &ann.sub)
        .await
        .expect("sub");
    assert_eq!(by_sub.username, "ann");

    // unknown attribute: whole call rejected
    let e = admin_users::admin_update_user_attributes(
        &ctx,
        &pool.id,
        "ann",
        &w(&[("name", "Ann"), ("favourite_colour", "red")]),
    )
    .await
    .expect_err("unknown attribute");
    assert_eq!(e.kind, ErrorKind::InvalidParameter);
    assert_eq!(
        admin_users::admin_get_user(&ctx, &pool.id, "ann")
            .await
            .expect("ann")
            .attr("name"),
        None
    );

    // delete attributes: sub and unknown names are rejected, email takes its flag along
    for bad in ["sub", "nope"] {
        let e = admin_users::admin_delete_user_attributes(&ctx, &pool.id, "ann", &[bad.into()])
            .await
            .expect_err("not deletable");
        assert_eq!(e.kind, ErrorKind::InvalidParameter, "{bad}");
    }
    admin_users::admin_delete_user_attributes(&ctx, &pool.id, "ann", &["email".into()])
        .await
        .expect("delete email");
    let ann = admin_users::admin_get_user(&ctx, &pool.id, "ann")
        .await
        .expect("ann");
    assert_eq!(
        (ann.attr("email"), ann.attr("email_verified")),
        (None, None)
    );
    assert!(
        admin_users::admin_get_user(&ctx, &pool.id, "ann@example.com")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn disable_enable_delete() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    env.user(&pool, "Carl", &[]).await;
    let ctx = env.ctx();
    admin_users::admin_disable_user(&ctx, &pool.id, "carl")
        .await
        .expect("disable");
    assert!(
        !admin_users::admin_get_user(&ctx, &pool.id, "CARL")
            .await
            .expect("get")
            .enabled
    );
    let (seen, _) = collect(&ctx, &pool, r#"status = "Disabled""#, 60).await;
    assert_eq!(seen, ["Carl"]);
    admin_users::admin_enable_user(&ctx, &pool.id, "carl")
        .await
        .expect("enable");
    assert!(
        admin_users::admin_get_user(&ctx, &pool.id, "carl")
            .await
            .expect("get")
            .enabled
    );

    groups::create_group(&ctx, &pool.id, "club", Default::default())
        .await
        .expect("group");
    groups::admin_add_user_to_group(&ctx, &pool.id, "carl", "club")
        .await
        .expect("add");
    admin_users::admin_delete_user(&ctx, &pool.id, "carl")
        .await
        .expect("delete");
    let e = admin_users::admin_get_user(&ctx, &pool.id, "Carl")
        .await
        .expect_err("gone");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::UserNotFound, "User does not exist.")
    );
    let (users, _) = groups::list_users_in_group(&ctx, &pool.id, "club", None, 60)
        .await
        .expect("list");
    assert!(users.is_empty());
    let e = admin_users::admin_delete_user(&ctx, &pool.id, "Carl")
        .await
        .expect_err("twice");
    assert_eq!(e.kind, ErrorKind::UserNotFound);
}
