//! The conformance cases every `Store` backend passes unchanged (run by `tests/conformance.rs`).

use std::collections::BTreeMap;

use cognate_core::clock::Timestamp;
use cognate_core::model::*;
use cognate_core::store::{Constraint, Store, StoreError};

mod concurrency;
mod resources;
mod user_import;
mod user_search;

pub use concurrency::concurrency;
pub use resources::resources;
pub use user_import::user_import;
pub use user_search::user_search;

pub fn pool(id: &str) -> UserPool {
    UserPool {
        id: id.into(),
        name: "p".into(),
        region: "us-east-1".into(),
        created: Timestamp(1),
        modified: Timestamp(1),
        password_policy: PasswordPolicy::default(),
        mfa_configuration: MfaConfiguration::Off,
        username_attributes: vec![],
        alias_attributes: vec!["email".into()],
        auto_verified_attributes: vec![],
        case_sensitive: false,
        case_sensitivity_given: false,
        allow_admin_create_user_only: false,
        deletion_protection: false,
        schema: vec![],
        mfa_factors: Default::default(),
        account_recovery: None,
        message_templates: Default::default(),
        settings: Default::default(),
    }
}

pub fn user(pool_id: &str, name: &str, email: Option<&str>) -> User {
    let mut aliases = BTreeMap::new();
    if let Some(e) = email {
        aliases.insert("email".to_owned(), e.to_owned());
    }
    User {
        pool_id: pool_id.into(),
        username: name.into(),
        sub: format!("sub-{name}"),
        attributes: BTreeMap::new(),
        status: UserStatus::Confirmed,
        enabled: true,
        created: Timestamp(1),
        modified: Timestamp(1),
        password: None,
        password_history: vec![],
        codes: Default::default(),
        code_attempts: Default::default(),
        lockout: Default::default(),
        tokens_valid_after: Timestamp(0),
        keys: UserKeys {
            username: name.to_lowercase(),
            aliases,
        },
        mfa: Default::default(),
        versions: Default::default(),
    }
}

pub fn conflict(constraint: Constraint) -> StoreError {
    StoreError::Conflict { constraint }
}

/// Pools, users (unique keys, part-wise compare-and-set), groups, refresh tokens, deletion.
pub async fn suite(s: &dyn Store) {
    s.insert_pool(&pool("us-east-1_A")).await.expect("pool");
    s.insert_pool(&pool("us-east-1_B")).await.expect("pool");
    assert_eq!(
        s.insert_pool(&pool("us-east-1_A")).await,
        Err(conflict(Constraint::Pool))
    );
    let page = s.list_pools(Some("us-east-1_A"), 10).await.expect("list");
    assert_eq!(
        page.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["us-east-1_B"]
    );

    // users: unique username key, sub and alias; CAS on version
    let alice = user("us-east-1_A", "Alice", Some("a@x.com"));
    s.insert_user(&alice).await.expect("alice");
    assert_eq!(
        s.insert_user(&user("us-east-1_A", "alice", None)).await,
        Err(conflict(Constraint::Username))
    );
    assert_eq!(
        s.insert_user(&user("us-east-1_A", "bob", Some("a@x.com")))
            .await,
        Err(conflict(Constraint::Alias("email".into())))
    );
    // the failed insert left nothing behind
    assert_eq!(s.get_user("us-east-1_A", "bob").await.expect("get"), None);
    s.insert_user(&user("us-east-1_B", "alice", Some("a@x.com")))
        .await
        .expect("other pool");
    let found = s
        .get_user_by_alias("us-east-1_A", "email", "a@x.com")
        .await
        .expect("alias");
    assert_eq!(found.map(|u| u.username), Some("Alice".to_owned()));
    assert_eq!(
        s.get_user_by_sub("us-east-1_A", "sub-Alice")
            .await
            .expect("sub")
            .map(|u| u.versions.profile),
        Some(0)
    );

    // Part-wise compare-and-set: a second write of the same part from the same snapshot
    // conflicts; a write of another part from that snapshot does not, and keeps the first.
    let mut v2 = alice.clone();
    v2.keys.aliases.clear();
    let stored = s
        .update_user(&v2, &[UserPart::Profile])
        .await
        .expect("cas ok");
    assert_eq!(stored.versions.profile, 1);
    assert_eq!(
        s.update_user(&v2, &[UserPart::Profile]).await,
        Err(conflict(Constraint::Version))
    );
    let mut locked = alice.clone();
    locked.lockout.failed_attempts = 3;
    let stored = s
        .update_user(&locked, &[UserPart::Lockout])
        .await
        .expect("other part");
    assert_eq!(stored.lockout.failed_attempts, 3);
    assert!(stored.keys.aliases.is_empty(), "the profile write stays");
    assert_eq!(
        s.get_user_by_alias("us-east-1_A", "email", "a@x.com")
            .await
            .expect("alias"),
        None
    );
    assert_eq!(
        s.update_user(&user("us-east-1_A", "ghost", None), &[UserPart::Profile])
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(s.count_users("us-east-1_A").await.expect("count"), 1);

    // groups and memberships
    let g = Group {
        pool_id: "us-east-1_A".into(),
        name: "admins".into(),
        description: None,
        role_arn: None,
        precedence: Some(1),
        created: Timestamp(1),
        modified: Timestamp(1),
    };
    s.insert_group(&g).await.expect("group");
    assert_eq!(s.insert_group(&g).await, Err(conflict(Constraint::Group)));
    s.add_user_to_group("us-east-1_A", "admins", "Alice")
        .await
        .expect("add");
    s.add_user_to_group("us-east-1_A", "admins", "Alice")
        .await
        .expect("idempotent");
    assert_eq!(
        s.list_groups_for_user("us-east-1_A", "Alice")
            .await
            .expect("groups")
            .len(),
        1
    );
    assert_eq!(
        s.list_users_in_group("us-east-1_A", "admins", None, 10)
            .await
            .expect("members")
            .len(),
        1
    );

    // refresh tokens
    let r = RefreshTokenRecord {
        token_hash: "h1".into(),
        pool_id: "us-east-1_A".into(),
        client_id: "c".into(),
        username: "Alice".into(),
        origin_jti: "o1".into(),
        auth_time: 1,
        issued: Timestamp(1),
        expires: Timestamp(10),
        revoked: false,
    };
    s.insert_refresh_token(&r).await.expect("refresh");
    assert!(s.revoke_refresh_token("o1").await.expect("revoke"));
    assert!(s
        .get_refresh_token("h1")
        .await
        .expect("get")
        .is_some_and(|r| r.revoked));

    // deleting a user removes memberships and tokens; deleting a pool removes everything
    assert!(s.delete_user("us-east-1_A", "Alice").await.expect("delete"));
    assert!(s
        .list_users_in_group("us-east-1_A", "admins", None, 10)
        .await
        .expect("members")
        .is_empty());
    assert_eq!(s.get_refresh_token("h1").await.expect("get"), None);
    assert!(s.delete_pool("us-east-1_B").await.expect("delete pool"));
    assert_eq!(s.get_user("us-east-1_B", "alice").await.expect("get"), None);
    assert!(!s.delete_pool("us-east-1_B").await.expect("again"));
}
