//! ListUsers: users in internal-username order, paginated by the last username a page read;
//! or, with a filter (see [`user_filter`]), the users the search index finds for it, in
//! `(value_key, username)` order (username order for `=`, value order for `^=`), paginated by
//! the last index position read.

use crate::model::{User, UserPool};
use crate::service::users::user_filter::{self, Filter};
use crate::service::Ctx;
use crate::store::user_search::SearchCursor;
use crate::{CognitoError, Result};

pub const DEFAULT_LIMIT: usize = 60;
/// Users read from the store per round while listing without a filter.
const SCAN_BATCH: usize = 200;

/// One page of users and, when more matches remain, the key to continue after.
#[derive(Debug)]
pub struct UsersPage {
    pub users: Vec<User>,
    pub next: Option<String>,
}

/// `limit` of `None` or 0 means the default (60); larger values are capped at 60.
/// `attributes_to_get` names must exist in the pool's schema (`sub` included).
pub async fn list_users(
    ctx: &Ctx<'_>,
    pool_id: &str,
    filter: Option<&str>,
    attributes_to_get: Option<&[String]>,
    limit: Option<i64>,
    after: Option<&str>,
) -> Result<UsersPage> {
    let pool = ctx.pool(pool_id).await?;
    let filter = user_filter::parse(filter.unwrap_or(""))?;
    if let Some(names) = attributes_to_get {
        check_attribute_names(&pool, names)?;
    }
    let limit = match limit {
        None | Some(0) => DEFAULT_LIMIT,
        Some(n) => n.clamp(1, DEFAULT_LIMIT as i64) as usize,
    };
    match filter {
        Some(f) => search(ctx, &pool, &f, limit, after).await,
        None => scan(ctx, &pool, limit, after).await,
    }
}

fn bad_token() -> CognitoError {
    CognitoError::invalid_parameter("Invalid pagination token.")
}

/// A filtered list's position as a token: the JSON pair `[value_key, username]`.
fn encode_cursor(c: &SearchCursor) -> Option<String> {
    serde_json::to_string(&(&c.value_key, &c.username)).ok()
}

fn decode_cursor(token: &str) -> Result<SearchCursor> {
    let (value_key, username): (String, String) =
        serde_json::from_str(token).map_err(|_| bad_token())?;
    Ok(SearchCursor {
        value_key,
        username,
    })
}

/// Reads the index after `after`, keeping the candidates the filter matches (all of them,
/// unless a value was longer than the index keeps), up to `limit`. When a further match
/// exists, the token is the position just before it, as in [`scan`].
async fn search(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    filter: &Filter,
    limit: usize,
    after: Option<&str>,
) -> Result<UsersPage> {
    let (attribute, key) = filter.search_key(pool);
    let mut cursor = after.map(decode_cursor).transpose()?;
    let batch_size = limit + 1;
    let mut users = Vec::new();
    loop {
        let batch = ctx
            .store
            .search_users(&pool.id, attribute, &key, cursor.as_ref(), batch_size)
            .await?;
        let exhausted = batch.len() < batch_size;
        for (position, user) in batch {
            if filter.matches(pool, &user) {
                if users.len() == limit {
                    let next = cursor.as_ref().and_then(encode_cursor);
                    return Ok(UsersPage { users, next });
                }
                users.push(user);
            }
            cursor = Some(position);
        }
        if exhausted {
            return Ok(UsersPage { users, next: None });
        }
    }
}

fn check_attribute_names(pool: &UserPool, names: &[String]) -> Result<()> {
    match names.iter().find(|n| pool.schema_attribute(n).is_none()) {
        Some(bad) => Err(CognitoError::invalid_parameter(format!(
            "One or more requested attributes do not exist: {bad}"
        ))),
        None => Ok(()),
    }
}

/// Reads users after `after`, up to `limit`. When a further user exists, the token is the
/// username read just before it (and no token is given when no other user exists).
async fn scan(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    limit: usize,
    after: Option<&str>,
) -> Result<UsersPage> {
    let mut users = Vec::new();
    let mut cursor = after.map(str::to_owned);
    loop {
        let batch = ctx
            .store
            .list_users(&pool.id, cursor.as_deref(), SCAN_BATCH)
            .await?;
        let exhausted = batch.len() < SCAN_BATCH;
        for user in batch {
            if users.len() == limit {
                return Ok(UsersPage {
                    users,
                    next: cursor,
                });
            }
            cursor = Some(user.username.clone());
            users.push(user);
        }
        if exhausted {
            return Ok(UsersPage { users, next: None });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UserStatus;
    use crate::service::common::test_support::pool;

    fn user(name: &str, attrs: &[(&str, &str)], status: UserStatus, enabled: bool) -> User {
        let mut u = crate::service::common::test_support::user(attrs);
        u.pool_id = "us-east-1_test".into();
        u.username = name.into();
        u.sub = format!("sub-{name}");
        u.status = status;
        u.enabled = enabled;
        u
    }

    fn m(filter: &str, pool: &UserPool, u: &User) -> bool {
        match user_filter::parse(filter) {
            Ok(Some(f)) => f.matches(pool, u),
            other => panic!("{filter}: {other:?}"),
        }
    }

    #[test]
    fn filter_matching() {
        let p = pool(true);
        let alice = user(
            "Alice",
            &[("email", "alice@example.com"), ("name", "Alice A")],
            UserStatus::Confirmed,
            true,
        );
        assert!(m(r#"email = "alice@example.com""#, &p, &alice));
        assert!(!m(r#"email = "ALICE@example.com""#, &p, &alice));
        assert!(m(r#"email ^= "ali""#, &p, &alice));
        assert!(!m(r#"email ^= "bob""#, &p, &alice));
        assert!(m(r#"name = "Alice A""#, &p, &alice));
        assert!(
            !m(r#"given_name ^= """#, &p, &alice),
            "absent attribute never matches"
        );
        assert!(m(r#"username = "Alice""#, &p, &alice));
        assert!(!m(r#"username = "alice""#, &p, &alice));
        assert!(m(r#"sub = "sub-Alice""#, &p, &alice));
        assert!(m(r#"status = "Enabled""#, &p, &alice));
        assert!(!m(r#"status = "enabled""#, &p, &alice));
        assert!(!m(r#"status = "Disabled""#, &p, &alice));
        assert!(m(r#"cognito:user_status = "confirmed""#, &p, &alice));
        assert!(m(r#"cognito:user_status = "CONFIRMED""#, &p, &alice));
        assert!(!m(r#"cognito:user_status = "UNCONFIRMED""#, &p, &alice));
    }

    #[test]
    fn username_follows_pool_case_setting() {
        let p = pool(false);
        let u = user("Alice", &[], UserStatus::Unconfirmed, false);
        assert!(m(r#"username = "alice""#, &p, &u));
        assert!(m(r#"username ^= "AL""#, &p, &u));
        assert!(m(r#"status = "Disabled""#, &p, &u));
        assert!(m(r#"cognito:user_status = "Unconfirmed""#, &p, &u));
    }

    #[test]
    fn filtered_tokens_round_trip_and_bad_ones_are_refused() {
        let c = SearchCursor {
            value_key: "a\"b,[c".into(),
            username: "Ünï".into(),
        };
        let token = encode_cursor(&c).expect("token");
        assert_eq!(decode_cursor(&token), Ok(c));
        for bad in [
            "alice",
            "",
            "[\"a\"]",
            "[1, 2]",
            "{\"a\": 1}",
            "[\"a\", \"b\", \"c\"]",
        ] {
            let e = decode_cursor(bad).expect_err(bad);
            assert_eq!(
                (e.kind, e.message.as_str()),
                (
                    crate::ErrorKind::InvalidParameter,
                    "Invalid pagination token."
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn attributes_to_get_must_exist() {
        let p = pool(true);
        assert!(check_attribute_names(&p, &["email".into(), "sub".into()]).is_ok());
        let e = check_attribute_names(&p, &["nope".into()]).expect_err("unknown");
        assert_eq!(e.kind, crate::ErrorKind::InvalidParameter);
    }
}
