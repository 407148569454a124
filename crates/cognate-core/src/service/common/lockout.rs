//! Failed sign-in attempts (passwords and MFA codes share one counter) and the lockout they
//! cause, kept in the store with the user. After 5 failures the user is locked for 2^(n-5)
//! seconds (n = failures so far), at most 15 minutes; a success resets the counter.

use crate::clock::Timestamp;
use crate::model::{User, UserPool};
use crate::service::Ctx;
use crate::{CognitoError, Result};

const FREE_ATTEMPTS: u32 = 5;
const MAX_LOCK_SECS: i64 = 15 * 60;

pub fn check(ctx: &Ctx<'_>, user: &User) -> Result<()> {
    match user.lockout.locked_until {
        Some(until) if until > ctx.now => Err(locked()),
        _ => Ok(()),
    }
}

pub fn locked() -> CognitoError {
    CognitoError::not_authorized("Password attempts exceeded")
}

pub fn lock_seconds(failures: u32) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let exp = (failures - FREE_ATTEMPTS).min(20);
    (1i64 << exp).min(MAX_LOCK_SECS)
}

/// Counts one failure on `user` (not saved).
pub fn note_failure(user: &mut User, now: Timestamp) {
    user.lockout.failed_attempts = user.lockout.failed_attempts.saturating_add(1);
    let secs = lock_seconds(user.lockout.failed_attempts);
    if secs > 0 {
        user.lockout.locked_until = Some(now.plus_secs(secs));
    }
}

/// Counts a failure and saves it (retrying on concurrent updates).
pub async fn record_failure(ctx: &Ctx<'_>, pool: &UserPool, user: &mut User) -> Result<()> {
    let now = ctx.now;
    let (saved, ()) = ctx
        .modify_user(pool, &user.username, |u| {
            note_failure(u, now);
            Ok(())
        })
        .await?;
    *user = saved;
    Ok(())
}

pub async fn record_success(ctx: &Ctx<'_>, pool: &UserPool, user: &mut User) -> Result<()> {
    if user.lockout.failed_attempts == 0 && user.lockout.locked_until.is_none() {
        return Ok(());
    }
    let (saved, ()) = ctx
        .modify_user(pool, &user.username, |u| {
            u.lockout = Default::default();
            Ok(())
        })
        .await?;
    *user = saved;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn lock_schedule() {
        let l = super::lock_seconds;
        assert_eq!(
            (l(4), l(5), l(6), l(7), l(14), l(15)),
            (0, 1, 2, 4, 512, 900)
        );
        assert_eq!(l(40), 900);
    }
}
