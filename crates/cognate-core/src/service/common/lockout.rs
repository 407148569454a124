//! Failed sign-in attempts (passwords and MFA codes share one counter) and the lockout they
//! cause, kept in the store with the user. After 5 failures the user is locked for 2^(n-5)
//! seconds (n = failures so far), at most 15 minutes; a completed sign-in resets the counter.
//!
//! A password attempt is reserved before the password is checked ([`reserve`]): the counter
//! goes up with compare-and-set, refusing when the user is locked, so of N concurrent guesses
//! against a locked or nearly locked account at most the allowed number are evaluated. A
//! password that proves right gives its attempt back ([`refund`]).

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

/// Reserves one attempt for `username`: counted as a failure unless refunded. Refused when the
/// user is locked. Returns the user as saved.
pub async fn reserve(ctx: &Ctx<'_>, pool: &UserPool, username: &str) -> Result<User> {
    let now = ctx.now;
    let (saved, ()) = ctx
        .modify_user(pool, username, |u| {
            if u.lockout.locked_until.is_some_and(|t| t > now) {
                return Err(locked());
            }
            note_failure(u, now);
            Ok(())
        })
        .await?;
    Ok(saved)
}

/// Gives back an attempt [`reserve`] took, once the password proved right (`user` is what
/// `reserve` returned): the counter goes down by one, and the lock the reservation set (the
/// user was not locked before it) is lifted unless a later failure replaced it.
pub async fn refund(ctx: &Ctx<'_>, pool: &UserPool, user: &mut User) -> Result<()> {
    let ours = user.lockout.locked_until;
    let (saved, ()) = ctx
        .modify_user(pool, &user.username, |u| {
            u.lockout.failed_attempts = u.lockout.failed_attempts.saturating_sub(1);
            if u.lockout.locked_until == ours {
                u.lockout.locked_until = None;
            }
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

/// Passes `result` through; an error (the check could not run) gives the reserved attempt
/// back, since it says nothing about the password.
pub async fn refund_on_error<T>(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &mut User,
    result: Result<T>,
) -> Result<T> {
    if result.is_err() {
        refund(ctx, pool, user).await?;
    }
    result
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
