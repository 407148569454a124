//! AdminCreateUser: a user with a temporary password (FORCE_CHANGE_PASSWORD), invited through
//! the delivery interface unless the caller suppresses the message.

use crate::model::{MessageKind, PasswordPolicy, User, UserPool, UserStatus};
use crate::random::{Random, RandomExt};
use crate::service::common::attributes::{self, Writer};
use crate::service::common::codes::{self, Channel};
use crate::service::common::password_policy;
use crate::service::common::passwords::{set_password, take_password};
use crate::service::users::sign_up::{
    build_user, map_insert_conflict, take_over_aliases, username_attribute,
};
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAction {
    /// Create the user and send the invitation (the default).
    Send,
    /// Create the user, send nothing.
    Suppress,
    /// The user exists: reset the temporary password and send the invitation again.
    Resend,
}

#[derive(Debug, Clone)]
pub struct AdminCreateUserRequest {
    pub pool_id: String,
    pub username: String,
    pub attributes: Vec<(String, String)>,
    pub temporary_password: Option<String>,
    pub message_action: MessageAction,
    /// `EMAIL` and/or `SMS`; empty means "whichever the user has" (email first).
    pub desired_delivery_mediums: Vec<String>,
    pub force_alias_creation: bool,
}

const SYMBOLS: &[u8] = b"!#$%&*+-=?@^_~";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";

/// A temporary password with every character class, at least 12 characters (or the policy's
/// minimum if longer), so it satisfies any policy.
pub fn generate_temporary_password(random: &dyn Random, policy: &PasswordPolicy) -> String {
    let len = (policy.minimum_length as usize).clamp(12, 99);
    let all: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<char> = [UPPER, LOWER, DIGITS, SYMBOLS]
        .iter()
        .map(|set| random.string_from(set, 1))
        .chain(std::iter::once(random.string_from(&all, len - 4)))
        .flat_map(|s| s.chars().collect::<Vec<_>>())
        .collect();
    // Fisher-Yates, so the mandatory classes are not always in front.
    for i in (1..chars.len()).rev() {
        let j = (u32::from_le_bytes(random.bytes::<4>()) as usize) % (i + 1);
        chars.swap(i, j);
    }
    chars.into_iter().collect()
}

/// The invitation channels: the requested mediums the user has an address for.
fn invitation_channels(user: &User, desired: &[String]) -> Vec<Channel> {
    if desired.is_empty() {
        return Channel::of(user, "email")
            .or_else(|| Channel::of(user, "phone_number"))
            .into_iter()
            .collect();
    }
    desired
        .iter()
        .filter_map(|m| match m.as_str() {
            "EMAIL" => Channel::of(user, "email"),
            "SMS" => Channel::of(user, "phone_number"),
            _ => None,
        })
        .collect()
}

async fn invite(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &User,
    password: &str,
    desired: &[String],
) -> Result<()> {
    for channel in invitation_channels(user, desired) {
        codes::deliver(
            ctx,
            pool,
            user,
            MessageKind::AdminCreateUser,
            &channel,
            password,
        )
        .await?;
    }
    Ok(())
}

pub async fn admin_create_user(ctx: &Ctx<'_>, req: AdminCreateUserRequest) -> Result<User> {
    let pool = ctx.pool(&req.pool_id).await?;
    if req.message_action == MessageAction::Resend {
        return resend(ctx, &pool, &req).await;
    }
    if let Some(p) = &req.temporary_password {
        password_policy::check(&pool.password_policy, p)?;
    }
    attributes::check_writes(&pool, &req.attributes, Writer::Admin, true)?;
    // Required attributes may be left for the user to give in NEW_PASSWORD_REQUIRED.
    let mut attrs = attributes::initial_values(&req.attributes);
    let by_attribute = username_attribute(&pool, &req.username, &mut attrs)?;

    let mut user = build_user(
        ctx,
        &pool,
        &req.username,
        attrs,
        UserStatus::ForceChangePassword,
        by_attribute.is_some(),
    );
    let password = match &req.temporary_password {
        Some(p) => p.clone(),
        None => generate_temporary_password(ctx.random, &pool.password_policy),
    };
    set_password(ctx, &pool, &mut user, &password, true).await?;
    let mut inserted = ctx.insert_user(&user).await;
    if req.force_alias_creation && matches!(&inserted, Err(e) if e.kind == ErrorKind::AliasExists) {
        take_over_aliases(ctx, &pool, &user).await?;
        inserted = ctx.insert_user(&user).await;
    }
    inserted.map_err(|e| {
        let e = map_insert_conflict(e, by_attribute);
        if e.kind == ErrorKind::UsernameExists && by_attribute.is_none() {
            CognitoError::new(ErrorKind::UsernameExists, "User account already exists")
        } else {
            e
        }
    })?;
    if req.message_action == MessageAction::Send {
        if let Err(e) = invite(ctx, &pool, &user, &password, &req.desired_delivery_mediums).await {
            // Nobody has the temporary password: the user is not left behind.
            ctx.store.delete_user(&pool.id, &user.username).await?;
            return Err(e);
        }
    }
    Ok(user)
}

/// MessageAction RESEND: a new temporary password (the given one or a generated one), valid
/// for the pool's TemporaryPasswordValidityDays from now, sent again.
async fn resend(ctx: &Ctx<'_>, pool: &UserPool, req: &AdminCreateUserRequest) -> Result<User> {
    let user = ctx.user(pool, &req.username).await?;
    if user.status != UserStatus::ForceChangePassword {
        return Err(CognitoError::new(
            ErrorKind::UnsupportedUserState,
            format!(
                "Resend not possible. {} status is not FORCE_CHANGE_PASSWORD",
                req.username
            ),
        ));
    }
    let password = match &req.temporary_password {
        Some(p) => p.clone(),
        None => generate_temporary_password(ctx.random, &pool.password_policy),
    };
    let mut prepared = user.clone();
    set_password(ctx, pool, &mut prepared, &password, true).await?;
    let (updated, ()) = ctx
        .modify_user(pool, &user.username, |u| {
            take_password(u, &prepared);
            Ok(())
        })
        .await?;
    if let Err(e) = invite(
        ctx,
        pool,
        &updated,
        &password,
        &req.desired_delivery_mediums,
    )
    .await
    {
        // The temporary password nobody received is replaced by the one sent before.
        ctx.modify_user(pool, &user.username, |u| {
            if u.password == prepared.password {
                take_password(u, &user);
            }
            Ok(())
        })
        .await?;
        return Err(e);
    }
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SeededRandom;

    #[test]
    fn generated_passwords_satisfy_the_strictest_policy() {
        let r = SeededRandom::new(7);
        let strict = PasswordPolicy {
            minimum_length: 20,
            ..PasswordPolicy::default()
        };
        for policy in [PasswordPolicy::default(), strict] {
            for _ in 0..50 {
                let p = generate_temporary_password(&r, &policy);
                assert!(password_policy::check(&policy, &p).is_ok(), "{p}");
                assert!(p.len() >= 12);
            }
        }
    }
}
