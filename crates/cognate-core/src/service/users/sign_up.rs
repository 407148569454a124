//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp; plus the pieces other
//! unsigned operations share (SECRET_HASH, username attributes, alias take-over).

use std::collections::BTreeMap;

use crate::model::{CodePurpose, MessageKind, User, UserPool, UserStatus};
use crate::service::common::attributes::{self, looks_like_email, looks_like_phone, Writer};
use crate::service::common::client_auth::client_and_pool;
use crate::service::common::code_limits;
use crate::service::common::codes::{self, Channel, CodeDeliveryDetails};
use crate::service::common::password_policy;
use crate::service::common::passwords::set_password;
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// In pools with UsernameAttributes the typed username must be an email or phone number; it
/// becomes that attribute (returned) and the internal username becomes the user's sub. In alias
/// pools the username must not look like an alias.
pub fn username_attribute(
    pool: &UserPool,
    username: &str,
    attrs: &mut BTreeMap<String, String>,
) -> Result<Option<&'static str>> {
    let allows = |a: &str| pool.username_attributes.iter().any(|x| x == a);
    if pool.username_attributes.is_empty() {
        for (attr, looks, what) in [
            ("email", looks_like_email(username), "email"),
            ("phone_number", looks_like_phone(username), "phone number"),
        ] {
            if looks && pool.alias_attributes.iter().any(|a| a == attr) {
                return Err(CognitoError::invalid_parameter(format!(
                    "Username cannot be of {what} format, since user pool is configured for {attr} alias."
                )));
            }
        }
        return Ok(None);
    }
    let attr = if allows("email") && looks_like_email(username) {
        "email"
    } else if allows("phone_number") && looks_like_phone(username) {
        "phone_number"
    } else {
        return Err(CognitoError::invalid_parameter(
            match (allows("email"), allows("phone_number")) {
                (true, false) => "Username should be an email.",
                (false, true) => "Username should be a phone number.",
                _ => "Username should be either an email or a phone number.",
            },
        ));
    };
    attrs.insert(attr.to_owned(), username.to_owned());
    Ok(Some(attr))
}

/// Builds a new (unsaved) user; in username-attribute pools the internal username is the sub.
pub fn build_user(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    username: &str,
    attrs: BTreeMap<String, String>,
    status: UserStatus,
    by_attribute: bool,
) -> User {
    let mut user = ctx.new_user(pool, username, attrs, status);
    if by_attribute {
        user.username = user.sub.clone();
        user.keys = attributes::user_keys(pool, &user);
    }
    user
}

/// A taken email/phone in a pool that uses it as the username is a UsernameExists.
pub fn map_insert_conflict(e: CognitoError, by_attribute: Option<&str>) -> CognitoError {
    match (e.kind, by_attribute) {
        (ErrorKind::AliasExists, Some(attr)) => CognitoError::new(
            ErrorKind::UsernameExists,
            format!("An account with the given {attr} already exists."),
        ),
        _ => e,
    }
}

/// ForceAliasCreation: moves the aliases `user` claims away from whoever holds them now (their
/// `<attr>_verified` becomes false). Only for alias pools; a username attribute cannot move.
pub async fn take_over_aliases(ctx: &Ctx<'_>, pool: &UserPool, user: &User) -> Result<()> {
    for (attr, key) in attributes::user_keys(pool, user).aliases {
        if pool.username_attributes.contains(&attr) {
            continue;
        }
        if let Some(other) = ctx.store.get_user_by_alias(&pool.id, &attr, &key).await? {
            if other.sub != user.sub {
                ctx.modify_user(pool, &other.username, |o| {
                    o.attributes
                        .insert(format!("{attr}_verified"), "false".into());
                    Ok(())
                })
                .await?;
            }
        }
    }
    Ok(())
}

/// Where a sign-up confirmation code goes: the auto-verified phone number, else email.
pub fn confirmation_channel(pool: &UserPool, user: &User) -> Option<Channel> {
    ["phone_number", "email"]
        .into_iter()
        .filter(|a| pool.auto_verified_attributes.iter().any(|x| x == a))
        .find_map(|a| Channel::of(user, a))
}

#[derive(Debug, Clone)]
pub struct SignUpRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
    pub password: String,
    pub attributes: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct SignUpResult {
    pub user_sub: String,
    pub confirmed: bool,
    pub delivery: Option<CodeDeliveryDetails>,
}

pub async fn sign_up(ctx: &Ctx<'_>, req: SignUpRequest) -> Result<SignUpResult> {
    let (client, pool) = client_and_pool(
        ctx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
    )
    .await?;
    if pool.allow_admin_create_user_only {
        return Err(CognitoError::not_authorized(
            "SignUp is not permitted for this user pool",
        ));
    }
    password_policy::check(&pool.password_policy, &req.password)?;
    attributes::check_client_writes(&client, req.attributes.iter().map(|(n, _)| n))?;
    attributes::check_writes(&pool, &req.attributes, Writer::User, true)?;
    let mut attrs = attributes::initial_values(&req.attributes);
    let by_attribute = username_attribute(&pool, &req.username, &mut attrs)?;
    attributes::check_required(&pool, &attrs)?;

    let mut user = build_user(
        ctx,
        &pool,
        &req.username,
        attrs,
        UserStatus::Unconfirmed,
        by_attribute.is_some(),
    );
    set_password(ctx, &pool, &mut user, &req.password, false).await?;
    let channel = confirmation_channel(&pool, &user);
    let code = match channel {
        Some(_) => {
            code_limits::note_issue(&mut user, CodePurpose::ConfirmSignUp, ctx.now)?;
            let (code, pending) = codes::issue_code(ctx, codes::CONFIRM_SIGN_UP_VALIDITY_SECS);
            user.codes.confirm_sign_up = Some(pending);
            Some(code)
        }
        None => None,
    };
    ctx.insert_user(&user)
        .await
        .map_err(|e| map_insert_conflict(e, by_attribute))?;
    let delivery = match (channel, code) {
        (Some(ch), Some(code)) => {
            match codes::deliver(ctx, &pool, &user, MessageKind::SignUp, &ch, &code).await {
                Ok(d) => Some(d),
                Err(e) => {
                    // Nobody has the code: the user is not left behind, so signing up again works.
                    ctx.store.delete_user(&pool.id, &user.username).await?;
                    return Err(e);
                }
            }
        }
        _ => None,
    };
    Ok(SignUpResult {
        user_sub: user.sub,
        confirmed: false,
        delivery,
    })
}

fn cannot_confirm(status: UserStatus) -> CognitoError {
    CognitoError::not_authorized(format!(
        "User cannot be confirmed. Current status is {}",
        status.as_str()
    ))
}

pub async fn confirm_sign_up(
    ctx: &Ctx<'_>,
    client_id: &str,
    secret_hash: Option<&str>,
    username: &str,
    code: &str,
    force_alias_creation: bool,
) -> Result<()> {
    let (client, pool) = client_and_pool(ctx, client_id, username, secret_hash).await?;
    let Some(user) = ctx.find_user(&pool, username).await? else {
        return Err(if client.prevent_user_existence_errors {
            codes::mismatch()
        } else {
            CognitoError::user_not_found()
        });
    };
    if user.status != UserStatus::Unconfirmed {
        return Err(cannot_confirm(user.status));
    }
    // No code was sent (the pool verifies no attribute): every code is wrong, not expired.
    if user.codes.confirm_sign_up.is_none() {
        return Err(codes::mismatch());
    }
    let purpose = CodePurpose::ConfirmSignUp;
    let user = code_limits::reserve(ctx, &pool, &user.username, purpose).await?;
    codes::check_code(user.codes.confirm_sign_up.as_ref(), code, ctx.now)?;
    let now = ctx.now;
    let verified =
        confirmation_channel(&pool, &user).map(|ch| format!("{}_verified", ch.attribute));
    // Checked again inside the write: of concurrent right answers exactly one confirms.
    let mut confirm = |u: &mut User| {
        if u.status != UserStatus::Unconfirmed {
            return Err(cannot_confirm(u.status));
        }
        codes::check_code(u.codes.confirm_sign_up.as_ref(), code, now)?;
        if let Some(flag) = &verified {
            u.attributes.insert(flag.clone(), "true".into());
        }
        u.status = UserStatus::Confirmed;
        u.codes.confirm_sign_up = None;
        code_limits::clear(u, purpose);
        Ok(())
    };
    match ctx.modify_user(&pool, &user.username, &mut confirm).await {
        Err(e) if e.kind == ErrorKind::AliasExists && force_alias_creation => {
            // The aliases the confirmed user will have are taken from their current holders.
            let mut confirmed = user.clone();
            confirm(&mut confirmed)?;
            take_over_aliases(ctx, &pool, &confirmed).await?;
            ctx.modify_user(&pool, &user.username, &mut confirm).await?;
            Ok(())
        }
        other => other.map(|_| ()),
    }
}

pub async fn resend_confirmation_code(
    ctx: &Ctx<'_>,
    client_id: &str,
    secret_hash: Option<&str>,
    username: &str,
) -> Result<CodeDeliveryDetails> {
    let (client, pool) = client_and_pool(ctx, client_id, username, secret_hash).await?;
    let Some(user) = ctx.find_user(&pool, username).await? else {
        return if client.prevent_user_existence_errors {
            Ok(codes::simulated_details(username))
        } else {
            Err(CognitoError::user_not_found())
        };
    };
    if user.status != UserStatus::Unconfirmed {
        return Err(CognitoError::invalid_parameter(
            "User is already confirmed.",
        ));
    }
    let Some(channel) = confirmation_channel(&pool, &user) else {
        return Err(CognitoError::invalid_parameter(
            "Cannot resend codes. Auto verification not turned on.",
        ));
    };
    codes::send_code(
        ctx,
        &pool,
        &user.username,
        CodePurpose::ConfirmSignUp,
        MessageKind::ResendConfirmationCode,
        &channel,
    )
    .await
}

pub async fn admin_confirm_sign_up(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    ctx.modify_user(&pool, &user.username, |u| {
        if u.status != UserStatus::Unconfirmed {
            return Err(cannot_confirm(u.status));
        }
        u.status = UserStatus::Confirmed;
        u.codes.confirm_sign_up = None;
        Ok(())
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::common::test_support::{pool, user};

    fn kind<T>(r: Result<T>) -> Option<ErrorKind> {
        r.err().map(|e| e.kind)
    }

    #[test]
    fn username_attributes_and_aliases() {
        let mut p = pool(false);
        let mut attrs = BTreeMap::new();
        assert_eq!(username_attribute(&p, "alice", &mut attrs).ok(), Some(None));
        p.username_attributes = vec!["email".into()];
        let r = username_attribute(&p, "eve@example.com", &mut attrs);
        assert_eq!(r.ok(), Some(Some("email")));
        assert_eq!(attrs["email"], "eve@example.com");
        let e = username_attribute(&p, "eve", &mut attrs)
            .err()
            .map(|e| e.message);
        assert_eq!(e.as_deref(), Some("Username should be an email."));
        p.username_attributes.push("phone_number".into());
        assert_eq!(
            username_attribute(&p, "+12065551212", &mut attrs).ok(),
            Some(Some("phone_number"))
        );
        let e = username_attribute(&p, "eve", &mut attrs)
            .err()
            .map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some("Username should be either an email or a phone number.")
        );
        p.username_attributes.clear();
        p.alias_attributes = vec!["email".into()];
        assert_eq!(
            kind(username_attribute(&p, "a@example.com", &mut attrs)),
            Some(ErrorKind::InvalidParameter)
        );
    }

    #[test]
    fn confirmation_prefers_an_auto_verified_phone() {
        let mut p = pool(false);
        let u = user(&[("email", "a@example.com"), ("phone_number", "+12065551212")]);
        assert_eq!(confirmation_channel(&p, &u), None);
        p.auto_verified_attributes = vec!["email".into()];
        assert_eq!(
            confirmation_channel(&p, &u).map(|c| c.attribute),
            Some("email")
        );
        p.auto_verified_attributes.push("phone_number".into());
        assert_eq!(
            confirmation_channel(&p, &u).map(|c| c.medium.as_str()),
            Some("SMS")
        );
        let no_email = user(&[]);
        assert_eq!(confirmation_channel(&p, &no_email), None);
    }
}
