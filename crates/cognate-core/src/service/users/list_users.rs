//! ListUsers: users in internal-username order, optionally filtered (see [`user_filter`]),
//! paginated by the last username a page scanned.

use crate::model::{User, UserPool};
use crate::service::users::user_filter::{self, Filter};
use crate::service::Ctx;
use crate::{CognitoError, Result};

pub const DEFAULT_LIMIT: usize = 60;
/// Users read from the store per round while scanning for filter matches.
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
    scan(ctx, &pool, filter.as_ref(), limit, after).await
}

fn check_attribute_names(pool: &UserPool, names: &[String]) -> Result<()> {
    match names.iter().find(|n| pool.schema_attribute(n).is_none()) {
        Some(bad) => Err(CognitoError::invalid_parameter(format!(
            "One or more requested attributes do not exist: {bad}"
        ))),
        None => Ok(()),
    }
}

/// Scans users after `after`, collecting up to `limit` matches. When a further match exists,
/// the token is the username scanned just before it, so the next page starts right at it
/// without rescanning (and no token is given when nothing else matches).
async fn scan(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    filter: Option<&Filter>,
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
            if filter.is_none_or(|f| f.matches(pool, &user)) {
                if users.len() == limit {
                    return Ok(UsersPage {
                        users,
                        next: cursor,
                    });
                }
                cursor = Some(user.username.clone());
                users.push(user);
            } else {
                cursor = Some(user.username);
            }
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
    fn attributes_to_get_must_exist() {
        let p = pool(true);
        assert!(check_attribute_names(&p, &["email".into(), "sub".into()]).is_ok());
        let e = check_attribute_names(&p, &["nope".into()]).expect_err("unknown");
        assert_eq!(e.kind, crate::ErrorKind::InvalidParameter);
    }
}
