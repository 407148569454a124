//! AdminGetUser, AdminDeleteUser, AdminDisableUser, AdminEnableUser, AdminUpdateUserAttributes,
//! AdminDeleteUserAttributes: an administrator acting on one user, found by username, alias or sub.

use crate::model::User;
use crate::service::common::attributes::{self, Writer};
use crate::service::users::attribute_verification;
use crate::service::Ctx;
use crate::{CognitoError, Result};

pub async fn admin_get_user(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Result<User> {
    let pool = ctx.pool(pool_id).await?;
    ctx.user(&pool, username).await
}

pub async fn admin_delete_user(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    if !ctx.store.delete_user(&pool.id, &user.username).await? {
        return Err(CognitoError::user_not_found());
    }
    Ok(())
}

/// AdminDisableUser "deactivates a user profile and revokes all access tokens": the user's
/// refresh tokens are revoked and every token issued so far is refused from now on, so
/// enabling the user again does not bring the old tokens back.
pub async fn admin_disable_user(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    ctx.store
        .revoke_user_refresh_tokens(&pool.id, &user.username)
        .await?;
    let now = ctx.now;
    ctx.modify_user(&pool, &user.username, |u| {
        u.enabled = false;
        u.tokens_valid_after = u.tokens_valid_after.max(now);
        Ok(())
    })
    .await?;
    Ok(())
}

pub async fn admin_enable_user(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    ctx.modify_user(&pool, &user.username, |u| {
        u.enabled = true;
        Ok(())
    })
    .await?;
    Ok(())
}

/// Writes attributes as an administrator: developer-only attributes and the `_verified` flags
/// are allowed; a blank value deletes the attribute. Changing email or phone number marks it
/// unverified unless the same call sets its flag; a changed email or phone number the pool
/// verifies automatically is sent a code, unless the same call marks it verified. A sign-in
/// alias taken by another user is AliasExistsException.
pub async fn admin_update_user_attributes(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    attrs: &[(String, String)],
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    attributes::check_writes(&pool, attrs, Writer::Admin, false)?;
    let user = ctx.user(&pool, username).await?;
    let now = ctx.now;
    let (user, planned) = ctx
        .modify_user(&pool, &user.username, |u| {
            let before = u.attributes.clone();
            attributes::apply_writes(u, attrs);
            attribute_verification::plan(ctx, &pool, &before, u, now)
        })
        .await?;
    attribute_verification::send(ctx, &pool, &user, planned).await?;
    Ok(())
}

/// Removes attributes. `sub`, required attributes, immutable attributes and the attribute a
/// pool uses as the username cannot be deleted; names outside the schema are rejected too.
/// Deleting email or phone number also deletes its `_verified` flag.
pub async fn admin_delete_user_attributes(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    names: &[String],
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    attributes::check_deletable(&pool, names)?;
    let user = ctx.user(&pool, username).await?;
    ctx.modify_user(&pool, &user.username, |u| {
        attributes::delete(u, names);
        Ok(())
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::common::attributes::check_deletable;
    use crate::service::common::test_support::user;

    fn w(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn deletable_attributes() {
        let mut pool = crate::service::common::test_support::pool(true);
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(check_deletable(&pool, &names(&["name", "email", "custom:none"])).is_err());
        assert!(check_deletable(&pool, &names(&["name", "email", "phone_number"])).is_ok());
        for bad in ["sub", "nope"] {
            let e = check_deletable(&pool, &names(&[bad])).expect_err(bad);
            assert_eq!(e.kind, crate::ErrorKind::InvalidParameter);
        }
        if let Some(a) = pool.schema.iter_mut().find(|a| a.name == "name") {
            a.required = true;
        }
        assert!(check_deletable(&pool, &names(&["name"])).is_err());
        pool.username_attributes = vec!["email".into()];
        assert!(check_deletable(&pool, &names(&["email"])).is_err());
    }

    #[test]
    fn changing_email_marks_it_unverified() {
        let mut u = user(&[("email", "a@x.io"), ("email_verified", "true")]);
        attributes::apply_writes(&mut u, &w(&[("email", "b@x.io")]));
        assert_eq!(u.attr("email"), Some("b@x.io"));
        assert_eq!(u.attr("email_verified"), Some("false"));
    }

    #[test]
    fn same_call_may_verify_new_email() {
        let mut u = user(&[("email", "a@x.io")]);
        attributes::apply_writes(
            &mut u,
            &w(&[("email", "b@x.io"), ("email_verified", "true")]),
        );
        assert_eq!(u.attr("email_verified"), Some("true"));
    }

    #[test]
    fn unchanged_email_keeps_flag() {
        let mut u = user(&[("email", "a@x.io"), ("email_verified", "true")]);
        attributes::apply_writes(&mut u, &w(&[("email", "a@x.io"), ("name", "A")]));
        assert_eq!(u.attr("email_verified"), Some("true"));
        assert_eq!(u.attr("name"), Some("A"));
        assert_eq!(u.attr("phone_number_verified"), None);
    }
}
