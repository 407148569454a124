//! Limits on one-time codes (sign-up confirmation, password reset, attribute verification),
//! per user and purpose, that survive reissued codes and concurrent guesses:
//!
//! - A guess is reserved before the code is checked ([`reserve`]): the purpose's failure
//!   counter goes up with compare-and-set, refusing while it is locked, and only a right code
//!   clears it ([`clear`]). After 5 failures each further one locks the purpose for 2^(n-5)
//!   seconds, at most 15 minutes, whatever new codes were sent meanwhile.
//! - At most [`MAX_CODES_PER_HOUR`] codes of a purpose are sent in an hour ([`note_issue`]).
//!
//! Both answer LimitExceededException "Attempt limit exceeded, please try after some time.".

use crate::model::{CodePurpose, User, UserPool};
use crate::service::common::lockout::lock_seconds;
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// Codes of one purpose sent to one user in an hour.
pub const MAX_CODES_PER_HOUR: usize = 5;
const HOUR_SECS: i64 = 3600;

pub fn limit_exceeded() -> CognitoError {
    CognitoError::new(
        ErrorKind::LimitExceeded,
        "Attempt limit exceeded, please try after some time.",
    )
}

/// Counts a code about to be sent (the caller saves the user); refused past the hourly limit.
pub fn note_issue(
    user: &mut User,
    purpose: CodePurpose,
    now: crate::clock::Timestamp,
) -> Result<()> {
    let attempts = user.code_attempts.entry(purpose).or_default();
    attempts.issued.retain(|t| t.plus_secs(HOUR_SECS) > now);
    if attempts.issued.len() >= MAX_CODES_PER_HOUR {
        return Err(limit_exceeded());
    }
    attempts.issued.push(now);
    Ok(())
}

/// Reserves one guess at a `purpose` code of `username`; returns the user as saved.
pub async fn reserve(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    username: &str,
    purpose: CodePurpose,
) -> Result<User> {
    let now = ctx.now;
    let (user, ()) = ctx
        .modify_user(pool, username, |u| {
            let attempts = u.code_attempts.entry(purpose).or_default();
            if attempts.locked_until.is_some_and(|t| t > now) {
                return Err(limit_exceeded());
            }
            attempts.failures = attempts.failures.saturating_add(1);
            let secs = lock_seconds(attempts.failures);
            if secs > 0 {
                attempts.locked_until = Some(now.plus_secs(secs));
            }
            Ok(())
        })
        .await?;
    Ok(user)
}

/// A right code: the purpose's failures are forgotten (its issue count stays).
pub fn clear(user: &mut User, purpose: CodePurpose) {
    if let Some(a) = user.code_attempts.get_mut(&purpose) {
        a.failures = 0;
        a.locked_until = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::service::common::test_support::user;

    #[test]
    fn codes_per_hour_are_limited() {
        let mut u = user(&[]);
        let t0 = Timestamp::from_secs(1_000_000);
        for i in 0..MAX_CODES_PER_HOUR as i64 {
            assert!(note_issue(&mut u, CodePurpose::ForgotPassword, t0.plus_secs(i)).is_ok());
        }
        let refused = note_issue(&mut u, CodePurpose::ForgotPassword, t0.plus_secs(60));
        assert_eq!(
            refused.err().map(|e| e.kind),
            Some(ErrorKind::LimitExceeded)
        );
        // other purposes have their own count; an hour later the window has moved
        assert!(note_issue(&mut u, CodePurpose::ConfirmSignUp, t0).is_ok());
        assert!(note_issue(&mut u, CodePurpose::ForgotPassword, t0.plus_secs(3600)).is_ok());
    }
}
