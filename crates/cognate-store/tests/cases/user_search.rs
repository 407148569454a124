//! The ListUsers filter index: rows written with every insert, update and delete, searched
//! exactly or by prefix in `(value_key, username)` order, with a cursor.

use cognate_core::model::{User, UserPart, UserStatus};
use cognate_core::store::user_search::{value_key, SearchCursor, SearchKey, MAX_KEY_CHARS};
use cognate_core::store::Store;

use super::{pool, user};

const P: &str = "us-east-1_Search";

fn person(name: &str, attrs: &[(&str, &str)]) -> User {
    let mut u = user(P, name, None);
    for (k, v) in attrs {
        u.attributes.insert((*k).into(), (*v).into());
    }
    u
}

fn exact(v: &str) -> SearchKey {
    SearchKey::Exact(value_key(v))
}

fn prefix(v: &str) -> SearchKey {
    SearchKey::Prefix(value_key(v))
}

async fn names(s: &dyn Store, attr: &str, key: &SearchKey) -> Vec<String> {
    let rows = s
        .search_users(P, attr, key, None, 1000)
        .await
        .expect("search");
    rows.into_iter().map(|(_, u)| u.username).collect()
}

/// Every page of `limit`, following the cursor; the usernames in order.
async fn paged(s: &dyn Store, attr: &str, key: &SearchKey, limit: usize) -> Vec<String> {
    let (mut out, mut after): (Vec<String>, Option<SearchCursor>) = (vec![], None);
    loop {
        let rows = s
            .search_users(P, attr, key, after.as_ref(), limit)
            .await
            .expect("page");
        assert!(rows.len() <= limit);
        let done = rows.len() < limit;
        for (c, u) in rows {
            assert_eq!(c.username, u.username);
            out.push(u.username);
            after = Some(c);
        }
        if done {
            return out;
        }
    }
}

pub async fn user_search(s: &dyn Store) {
    s.insert_pool(&pool(P)).await.expect("pool");
    let long = "Ö".repeat(MAX_KEY_CHARS + 40);
    let mut users = vec![
        person(
            "alice",
            &[("email", "alice@example.com"), ("name", "Alice A")],
        ),
        person(
            "alina",
            &[("email", "alina@example.com"), ("given_name", "Al")],
        ),
        person("Bob", &[("email", "bob@example.org"), ("name", &long)]),
        person(
            "zed",
            &[("email", "ali@example.net"), ("family_name", "a\0b")],
        ),
    ];
    users[2].enabled = false;
    users[3].status = UserStatus::Unconfirmed;
    for i in 0..25 {
        users.push(person(
            &format!("u{i:02}"),
            &[
                ("family_name", "Same"),
                ("email", &format!("u{:02}@x.co", 24 - i)),
            ],
        ));
    }
    for u in &users {
        s.insert_user(u).await.expect("insert");
    }

    // exact: in username order; prefix: in value order, then username
    assert_eq!(
        names(s, "email", &exact("alice@example.com")).await,
        ["alice"]
    );
    assert!(names(s, "email", &exact("ALICE@example.com"))
        .await
        .is_empty());
    assert_eq!(
        names(s, "email", &prefix("ali")).await,
        ["zed", "alice", "alina"]
    );
    assert_eq!(names(s, "given_name", &prefix("")).await, ["alina"]);
    assert_eq!(names(s, "family_name", &exact("a\0b")).await, ["zed"]);
    assert_eq!(names(s, "name", &exact(&long)).await, ["Bob"]);
    assert_eq!(names(s, "name", &prefix(&long[..40])).await, ["Bob"]);
    // the special fields, as the filter normalises them
    assert_eq!(names(s, "username", &exact("bob")).await, ["Bob"]);
    assert_eq!(names(s, "sub", &exact("sub-alina")).await, ["alina"]);
    assert_eq!(names(s, "status", &exact("Disabled")).await, ["Bob"]);
    assert_eq!(
        names(s, "cognito:user_status", &exact("unconfirmed")).await,
        ["zed"]
    );
    assert_eq!(
        names(s, "cognito:user_status", &prefix("con")).await.len(),
        users.len() - 1
    );

    // pages follow the cursor, without gaps or repeats, on both modes
    let same: Vec<String> = (0..25).map(|i| format!("u{i:02}")).collect();
    assert_eq!(paged(s, "family_name", &exact("Same"), 7).await, same);
    let by_email: Vec<String> = (0..25).rev().map(|i| format!("u{i:02}")).collect();
    assert_eq!(paged(s, "email", &prefix("u"), 4).await, by_email);
    assert_eq!(paged(s, "email", &prefix("u"), 25).await, by_email);

    // an update that changes an indexed value moves the user's row
    let stored = s.get_user(P, "alice").await.expect("get").expect("alice");
    let mut changed = stored.clone();
    changed
        .attributes
        .insert("email".into(), "zoe@example.com".into());
    changed.attributes.remove("name");
    changed.enabled = false;
    s.update_user(&changed, &[UserPart::Profile])
        .await
        .expect("update");
    assert!(names(s, "email", &exact("alice@example.com"))
        .await
        .is_empty());
    assert_eq!(
        names(s, "email", &exact("zoe@example.com")).await,
        ["alice"]
    );
    assert!(names(s, "name", &exact("Alice A")).await.is_empty());
    assert_eq!(
        names(s, "status", &exact("Disabled")).await,
        ["Bob", "alice"]
    );
    // an update of another part leaves the index as it was
    let mut locked = s.get_user(P, "alice").await.expect("get").expect("alice");
    locked.lockout.failed_attempts = 3;
    s.update_user(&locked, &[UserPart::Lockout])
        .await
        .expect("lockout");
    assert_eq!(
        names(s, "email", &exact("zoe@example.com")).await,
        ["alice"]
    );

    // a deleted user leaves no row; a new user of the same name gets its own
    assert!(s.delete_user(P, "alina").await.expect("delete"));
    assert!(names(s, "email", &prefix("alina")).await.is_empty());
    assert!(names(s, "sub", &exact("sub-alina")).await.is_empty());
    s.insert_user(&person("alina", &[("email", "new@example.com")]))
        .await
        .expect("again");
    assert_eq!(
        names(s, "email", &exact("new@example.com")).await,
        ["alina"]
    );

    // other pools see none of it, and a deleted pool takes its rows along
    let other = s
        .search_users("us-east-1_Other", "email", &prefix(""), None, 10)
        .await
        .expect("other pool");
    assert!(other.is_empty());
    assert!(s.delete_pool(P).await.expect("delete pool"));
    s.insert_pool(&pool(P)).await.expect("pool again");
    assert!(names(s, "family_name", &exact("Same")).await.is_empty());
    s.insert_user(&users[0]).await.expect("user again");
    assert_eq!(names(s, "email", &prefix("")).await, ["alice"]);
    assert!(s.delete_pool(P).await.expect("clean up"));
}
