//! AdminSetUserPassword, ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword, and
//! [`set_password`], the one place a password is checked and stored.

use crate::model::{Lockout, PasswordCredential, User, UserPool, UserStatus};
use crate::service::codes::{self, Channel, CodeDeliveryDetails};
use crate::service::sign_up::client_and_pool;
use crate::service::{password_policy, Ctx};
use crate::{CognitoError, ErrorKind, Result};

/// Checks `password` against the pool's policy and password history, then stores its hash in
/// `user.password` (the caller saves the user). With `PasswordHistorySize = n`, the last n
/// passwords (the current one and the n-1 before it) cannot be reused; `user.password_history`
/// keeps the earlier hashes, newest first.
pub async fn set_password(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &mut User,
    password: &str,
    temporary: bool,
) -> Result<()> {
    password_policy::check(&pool.password_policy, password)?;
    let keep = pool.password_policy.password_history_size as usize;
    for phc in recent_passwords(user, keep) {
        if ctx.verify_password(password, &phc).await {
            return Err(CognitoError::new(
                ErrorKind::PasswordHistoryPolicyViolation,
                "The password was used previously",
            ));
        }
    }
    let phc = ctx.hash_password(password).await?;
    let (srp_salt, srp_verifier) = srp_credential(ctx, pool, user, password).await?;
    replace_password(
        user,
        PasswordCredential {
            phc,
            set_at: ctx.now,
            temporary,
            srp_salt,
            srp_verifier,
        },
        keep,
    );
    Ok(())
}

/// A fresh 16-byte salt and the SRP verifier for the user's internal username (x mixes in the
/// pool name and the username, so the verifier is bound to both).
async fn srp_credential(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &User,
    password: &str,
) -> Result<(Vec<u8>, Vec<u8>)> {
    use crate::random::RandomExt;
    let salt = ctx.random.bytes::<16>().to_vec();
    let (pool_name, username, password) = (
        pool.pool_name_for_srp().to_owned(),
        user.username.clone(),
        password.to_owned(),
    );
    let s = salt.clone();
    let verifier = ctx
        .offload(move || crate::crypto::srp::verifier(&pool_name, &username, &password, &s))
        .await?;
    Ok((salt, verifier))
}

/// The hashes a new password must not match: the last `keep` passwords, current one first.
fn recent_passwords(user: &User, keep: usize) -> Vec<String> {
    if keep == 0 {
        return vec![];
    }
    user.password
        .iter()
        .map(|p| p.phc.clone())
        .chain(user.password_history.iter().take(keep - 1).cloned())
        .collect()
}

/// Installs `new`, moving the current hash into the history (which keeps `keep - 1` entries).
fn replace_password(user: &mut User, new: PasswordCredential, keep: usize) {
    if let Some(old) = user.password.replace(new) {
        user.password_history.insert(0, old.phc);
    }
    user.password_history.truncate(keep.saturating_sub(1));
}

pub async fn admin_set_user_password(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    password: &str,
    permanent: bool,
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let mut user = ctx.user(&pool, username).await?;
    set_password(ctx, &pool, &mut user, password, !permanent).await?;
    user.status = if permanent {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    user.lockout = Lockout::default();
    ctx.save_user(&pool, &mut user).await
}

/// Where a password-reset code goes: the pool's AccountRecoverySetting order if it has one
/// (verified_phone_number / verified_email), else Cognito's legacy order: a verified phone
/// number, then a verified email.
pub fn recovery_channel(pool: &UserPool, user: &User) -> Option<Channel> {
    let mut order: Vec<(i64, &str)> = pool
        .settings
        .get("AccountRecoverySetting")
        .and_then(|s| s.get("RecoveryMechanisms"))
        .and_then(|m| m.as_array())
        .map(|ms| {
            ms.iter()
                .filter_map(|m| {
                    let name = m.get("Name")?.as_str()?;
                    let prio = m.get("Priority").and_then(|p| p.as_i64()).unwrap_or(99);
                    Some((prio, name))
                })
                .collect()
        })
        .unwrap_or_else(|| vec![(1, "verified_phone_number"), (2, "verified_email")]);
    order.sort();
    order.into_iter().find_map(|(_, name)| {
        let attr = name.strip_prefix("verified_")?;
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
    let Some(mut user) = ctx.find_user(&pool, username).await? else {
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
    let (code, pending) = codes::issue_code(ctx, codes::FORGOT_PASSWORD_VALIDITY_SECS);
    user.codes.forgot_password = Some(pending);
    ctx.save_user(&pool, &mut user).await?;
    codes::deliver(ctx, &pool, &user, "ForgotPassword", &channel, &code).await
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
    let Some(mut user) = ctx.find_user(&pool, username).await? else {
        return Err(if client.prevent_user_existence_errors {
            codes::mismatch()
        } else {
            CognitoError::user_not_found()
        });
    };
    if !user.enabled {
        return Err(disabled());
    }
    if let Err(e) = codes::check_code(user.codes.forgot_password.as_mut(), code, ctx.now) {
        if e.kind == ErrorKind::CodeMismatch {
            ctx.save_user(&pool, &mut user).await?;
        }
        return Err(e);
    }
    set_password(ctx, &pool, &mut user, password, false).await?;
    user.codes.forgot_password = None;
    user.status = UserStatus::Confirmed;
    user.lockout = Lockout::default();
    ctx.save_user(&pool, &mut user).await
}

/// Marks the password as needing a reset (sign-in answers PasswordResetRequiredException; the
/// hash is kept) and sends a reset code if the user has a verified email or phone number.
pub async fn admin_reset_user_password(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let mut user = ctx.user(&pool, username).await?;
    user.status = UserStatus::ResetRequired;
    let channel = recovery_channel(&pool, &user);
    let code = channel.as_ref().map(|_| {
        let (code, pending) = codes::issue_code(ctx, codes::FORGOT_PASSWORD_VALIDITY_SECS);
        user.codes.forgot_password = Some(pending);
        code
    });
    ctx.save_user(&pool, &mut user).await?;
    if let (Some(ch), Some(code)) = (channel, code) {
        codes::deliver(ctx, &pool, &user, "AdminResetUserPassword", &ch, &code).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::service::codes::fixtures::{pool, user};

    fn cred(phc: &str) -> PasswordCredential {
        PasswordCredential {
            phc: phc.into(),
            set_at: Timestamp(0),
            temporary: false,
            srp_salt: vec![],
            srp_verifier: vec![],
        }
    }

    #[test]
    fn history_keeps_the_last_n_passwords() {
        let mut u = user(&[]);
        assert!(recent_passwords(&u, 3).is_empty());
        for p in ["a", "b", "c", "d"] {
            replace_password(&mut u, cred(p), 3);
        }
        assert_eq!(u.password_history, vec!["c", "b"]);
        assert_eq!(recent_passwords(&u, 3), vec!["d", "c", "b"]);
        assert_eq!(recent_passwords(&u, 1), vec!["d"]);
        assert!(recent_passwords(&u, 0).is_empty());
        replace_password(&mut u, cred("e"), 0);
        assert!(u.password_history.is_empty());
    }

    #[test]
    fn recovery_goes_to_a_verified_contact() {
        let p = pool(serde_json::json!({}));
        let unverified = user(&[("email", "a@example.com")]);
        assert_eq!(recovery_channel(&p, &unverified), None);
        let both = user(&[
            ("email", "a@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+12065551212"),
            ("phone_number_verified", "true"),
        ]);
        assert_eq!(recovery_channel(&p, &both).map(|c| c.medium), Some("SMS"));
        let email_first = pool(
            serde_json::json!({"AccountRecoverySetting": {"RecoveryMechanisms": [
            {"Priority": 2, "Name": "verified_phone_number"},
            {"Priority": 1, "Name": "verified_email"}]}}),
        );
        let ch = recovery_channel(&email_first, &both).expect("channel");
        assert_eq!(
            (ch.attribute, ch.destination.as_str()),
            ("email", "a@example.com")
        );
        let admin_only = pool(
            serde_json::json!({"AccountRecoverySetting": {"RecoveryMechanisms": [
            {"Priority": 1, "Name": "admin_only"}]}}),
        );
        assert_eq!(recovery_channel(&admin_only, &both), None);
    }
}
