//! The pool's password policy, checked on every path that sets a password.

use crate::model::PasswordPolicy;
use crate::{CognitoError, ErrorKind, Result};

/// Characters Cognito counts as symbols.
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

pub fn check(policy: &PasswordPolicy, password: &str) -> Result<()> {
    let fail = |what: &str| {
        Err(CognitoError::new(
            ErrorKind::InvalidPassword,
            format!("Password did not conform with policy: {what}"),
        ))
    };
    if password.chars().count() < policy.minimum_length as usize {
        return fail("Password not long enough");
    }
    if password.chars().count() > 256 {
        return fail("Password is too long");
    }
    if policy.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if policy.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(p: &str) -> String {
        match check(&PasswordPolicy::default(), p) {
            Ok(()) => "ok".into(),
            Err(e) => e.message,
        }
    }

    #[test]
    fn default_policy() {
        assert_eq!(msg("Passw0rd!"), "ok");
        assert_eq!(
            msg("Pa0!"),
            "Password did not conform with policy: Password not long enough"
        );
        assert_eq!(
            msg("PASSW0RD!"),
            "Password did not conform with policy: Password must have lowercase characters"
        );
        assert_eq!(
            msg("passw0rd!"),
            "Password did not conform with policy: Password must have uppercase characters"
        );
        assert_eq!(
            msg("Password!"),
            "Password did not conform with policy: Password must have numeric characters"
        );
        assert_eq!(
            msg("Passw0rdd"),
            "Password did not conform with policy: Password must have symbol characters"
        );
        let relaxed = PasswordPolicy {
            minimum_length: 6,
            require_uppercase: false,
            require_lowercase: false,
            require_numbers: false,
            require_symbols: false,
            ..PasswordPolicy::default()
        };
        assert!(check(&relaxed, "aaaaaa").is_ok());
        assert!(check(&relaxed, "aaaaa").is_err());
    }
}
