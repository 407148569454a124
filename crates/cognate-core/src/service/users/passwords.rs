//! AdminSetUserPassword, ForgotPassword, ConfirmForgotPassword and AdminResetUserPassword.
//! Passwords themselves are stored by `common::passwords::set_password`.

use crate::model::{CodePurpose, Lockout, MessageKind, RecoveryOption, User, UserPool, UserStatus};
use crate::service::common::client_auth::client_and_pool;
use crate::service::common::code_limits;
use crate::service::common::codes::{self, Channel, CodeDeliveryDetails};
use crate::service::common::passwords::{set_password, take_password};
use crate::service::Ctx;
use crate::{CognitoError, Result};

pub async fn admin_set_user_password(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    password: &str,
    permanent: bool,
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    let mut prepared = user.clone();
    set_password(ctx, &pool, &mut prepared, password, !permanent).await?;
    ctx.modify_user(&pool, &user.username, |u| {
        take_password(u, &prepared);
        // A reset code sent before must not reset the password the administrator just set.
        u.codes.forgot_password = None;
        u.status = if permanent {
            UserStatus::Confirmed
        } else {
            UserStatus::ForceChangePassword
        };
        u.lockout = Lockout::default();
        Ok(())
    })
    .await?;
    Ok(())
}

/// Where a password-reset code goes: the pool's AccountRecoverySetting order if it has one
/// (verified_phone_number / verified_email), else Cognito's legacy order: a verified phone
/// number, then a verified email.
pub fn recovery_channel(pool: &UserPool, user: &User) -> Option<Channel> {
    let mut order: Vec<(i64, RecoveryOption)> = match &pool.account_recovery {
        Some(mechanisms) => mechanisms.iter().map(|m| (m.priority, m.option)).collect(),
        None => vec![
            (1, RecoveryOption::VerifiedPhoneNumber),
            (2, RecoveryOption::VerifiedEmail),
        ],
    };
    order.sort();
    order.into_iter().find_map(|(_, option)| {
        let attr = match option {
            RecoveryOption::VerifiedEmail => "email",
            RecoveryOption::VerifiedPhoneNumber => "phone_number",
            RecoveryOption::AdminOnly => return None,
        };
        if user.attr_is_true(&format!("{attr}_verified")) {
            Channel::of(user, attr)
        } else {
            None
        }
    })
}

fn disabled() -> CognitoError {
    CognitoError::not_authorized("User is disabled.")
}

pub async fn forgot_password(
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
    if !user.enabled {
        return Err(disabled());
    }
    if user.status == UserStatus::ForceChangePassword {
        return Err(CognitoError::not_authorized(
            "User password cannot be reset in the current state.",
        ));
    }
    let Some(channel) = recovery_channel(&pool, &user) else {
        // A hidden-existence client must not reveal that this user exists either.
        if client.prevent_user_existence_errors {
            return Ok(codes::simulated_details(username));
        }
        return Err(CognitoError::invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        ));
    };
    codes::send_code(
        ctx,
        &pool,
        &user.username,
        CodePurpose::ForgotPassword,
        MessageKind::ForgotPassword,
        &channel,
    )
    .await
}

pub async fn confirm_forgot_password(
    ctx: &Ctx<'_>,
    client_id: &str,
    secret_hash: Option<&str>,
    username: &str,
    code: &str,
    password: &str,
) -> Result<()> {
    let (client, pool) = client_and_pool(ctx, client_id, username, secret_hash).await?;
    let Some(user) = ctx.find_user(&pool, username).await? else {
        return Err(if client.prevent_user_existence_errors {
            codes::mismatch()
        } else {
            CognitoError::user_not_found()
        });
    };
    if !user.enabled {
        return Err(disabled());
    }
    let purpose = CodePurpose::ForgotPassword;
    let mut user = code_limits::reserve(ctx, &pool, &user.username, purpose).await?;
    let now = ctx.now;
    codes::check_code(user.codes.forgot_password.as_ref(), code, now)?;
    if let Err(e) = set_password(ctx, &pool, &mut user, password, false).await {
        // The code was right: the guess is not held against the user.
        ctx.modify_user(&pool, &user.username, |u| {
            code_limits::clear(u, purpose);
            Ok(())
        })
        .await?;
        return Err(e);
    }
    // Checked again inside the write: the code works once, even for concurrent requests.
    ctx.modify_user(&pool, &user.username, |u| {
        codes::check_code(u.codes.forgot_password.as_ref(), code, now)?;
        take_password(u, &user);
        u.codes.forgot_password = None;
        u.status = UserStatus::Confirmed;
        u.lockout = Lockout::default();
        code_limits::clear(u, purpose);
        Ok(())
    })
    .await?;
    Ok(())
}

/// Marks the password as needing a reset (sign-in answers PasswordResetRequiredException; the
/// hash is kept) and sends a reset code if the user has a verified email or phone number.
pub async fn admin_reset_user_password(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    let before = user.status;
    let channel = recovery_channel(&pool, &user);
    let issued = channel
        .as_ref()
        .map(|_| codes::issue_code(ctx, codes::FORGOT_PASSWORD_VALIDITY_SECS));
    let (user, ()) = ctx
        .modify_user(&pool, &user.username, |u| {
            u.status = UserStatus::ResetRequired;
            if let Some((_, pending)) = &issued {
                u.codes.forgot_password = Some(pending.clone());
            }
            Ok(())
        })
        .await?;
    let (Some(ch), Some((code, pending))) = (channel, issued) else {
        return Ok(());
    };
    let kind = MessageKind::AdminResetUserPassword;
    if let Err(e) = codes::deliver(ctx, &pool, &user, kind, &ch, &code).await {
        // Nothing changed: the code is withdrawn and the status is what it was.
        ctx.modify_user(&pool, &user.username, |u| {
            if u.codes.forgot_password.as_ref() == Some(&pending) {
                u.codes.forgot_password = None;
                u.status = before;
            }
            Ok(())
        })
        .await?;
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RecoveryMechanism;
    use crate::service::common::test_support::{pool, user};

    #[test]
    fn recovery_goes_to_a_verified_contact() {
        let mut p = pool(false);
        let unverified = user(&[("email", "a@example.com")]);
        assert_eq!(recovery_channel(&p, &unverified), None);
        let both = user(&[
            ("email", "a@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+12065551212"),
            ("phone_number_verified", "true"),
        ]);
        assert_eq!(
            recovery_channel(&p, &both).map(|c| c.medium.as_str()),
            Some("SMS")
        );
        let mechanism = |priority, option| RecoveryMechanism { priority, option };
        p.account_recovery = Some(vec![
            mechanism(2, RecoveryOption::VerifiedPhoneNumber),
            mechanism(1, RecoveryOption::VerifiedEmail),
        ]);
        let ch = recovery_channel(&p, &both).expect("channel");
        assert_eq!(
            (ch.attribute, ch.destination.as_str()),
            ("email", "a@example.com")
        );
        p.account_recovery = Some(vec![mechanism(1, RecoveryOption::AdminOnly)]);
        assert_eq!(recovery_channel(&p, &both), None);
    }
}
