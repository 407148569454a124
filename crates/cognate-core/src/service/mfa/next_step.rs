//! Which MFA step follows a successful first factor, from the pool's MFA configuration and
//! the user's factors and preference.
//!
//! | pool     | user's usable factors        | next step                          |
//! |----------|------------------------------|------------------------------------|
//! | OFF      | any                          | tokens                             |
//! | any      | preferred one usable         | that factor's challenge            |
//! | any      | exactly one                  | its challenge                      |
//! | any      | several, none preferred      | SELECT_MFA_TYPE                    |
//! | OPTIONAL | none                         | tokens                             |
//! | ON       | none, but a verified token   | SOFTWARE_TOKEN_MFA                 |
//! | ON       | none, pool SMS, phone_number | SMS_MFA                            |
//! | ON       | none, pool e-mail, email     | EMAIL_OTP                          |
//! | ON       | none, pool offers TOTP       | MFA_SETUP                          |
//!
//! A factor is usable when it is enabled for the user and can be answered: TOTP needs a
//! verified token (it keeps working if the pool turns TOTP off), SMS needs `phone_number` and
//! the pool's SMS MFA, e-mail needs `email` and the pool's e-mail MFA (codes need a sender).
//! | ON       | none, nothing to set up      | InvalidUserPoolConfiguration       |

use crate::model::{MfaConfiguration, MfaFactor, User, UserPool};
use crate::{CognitoError, ErrorKind, Result};

/// What follows a successful first factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    Tokens,
    /// The challenge of one factor (SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP).
    Factor(MfaFactor),
    SelectMfaType(Vec<MfaFactor>),
    MfaSetup(Vec<MfaFactor>),
}

/// Whether `user` can answer `factor`'s challenge in `pool` (enabled or not).
pub fn can_answer(pool: &UserPool, user: &User, factor: MfaFactor) -> bool {
    match factor {
        MfaFactor::SoftwareTokenMfa => user.mfa.software_token.is_some(),
        MfaFactor::SmsMfa => pool.mfa_factors.sms && user.attr("phone_number").is_some(),
        MfaFactor::EmailOtp => pool.mfa_factors.email && user.attr("email").is_some(),
    }
}

/// The user's enabled factors that can be answered, in the order they were enabled.
pub fn usable_factors(pool: &UserPool, user: &User) -> Vec<MfaFactor> {
    user.mfa
        .enabled
        .iter()
        .copied()
        .filter(|f| can_answer(pool, user, *f))
        .collect()
}

pub fn next_step(pool: &UserPool, user: &User) -> Result<NextStep> {
    if pool.mfa_configuration == MfaConfiguration::Off {
        return Ok(NextStep::Tokens);
    }
    let usable = usable_factors(pool, user);
    if let Some(p) = user.mfa.preferred.filter(|p| usable.contains(p)) {
        return Ok(NextStep::Factor(p));
    }
    let can = |f| can_answer(pool, user, f);
    match usable.as_slice() {
        [only] => Ok(NextStep::Factor(*only)),
        [_, _, ..] => Ok(NextStep::SelectMfaType(usable)),
        _ if pool.mfa_configuration == MfaConfiguration::Optional => Ok(NextStep::Tokens),
        _ if can(MfaFactor::SoftwareTokenMfa) => Ok(NextStep::Factor(MfaFactor::SoftwareTokenMfa)),
        _ if can(MfaFactor::SmsMfa) => Ok(NextStep::Factor(MfaFactor::SmsMfa)),
        _ if can(MfaFactor::EmailOtp) => Ok(NextStep::Factor(MfaFactor::EmailOtp)),
        _ if pool.mfa_factors.software_token => {
            Ok(NextStep::MfaSetup(vec![MfaFactor::SoftwareTokenMfa]))
        }
        _ => Err(CognitoError::new(
            ErrorKind::InvalidUserPoolConfiguration,
            "MFA is required in this user pool, but no MFA method the user can set up is enabled.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::common::test_support::{mfa_pool, mfa_user};

    const T: MfaFactor = MfaFactor::SoftwareTokenMfa;

    #[test]
    fn next_step_follows_the_spec_table() {
        use MfaConfiguration::*;
        let t = T;
        let step = |p: &UserPool, u: &User| next_step(p, u).map_err(|e| e.kind);
        assert_eq!(
            step(&mfa_pool(Off, true), &mfa_user(true, &[t], Some(t))),
            Ok(NextStep::Tokens)
        );
        assert_eq!(
            step(&mfa_pool(Optional, true), &mfa_user(false, &[], None)),
            Ok(NextStep::Tokens)
        );
        // a verified but not enabled token does not challenge in OPTIONAL pools...
        assert_eq!(
            step(&mfa_pool(Optional, true), &mfa_user(true, &[], None)),
            Ok(NextStep::Tokens)
        );
        assert_eq!(
            step(&mfa_pool(Optional, true), &mfa_user(true, &[t], None)),
            Ok(NextStep::Factor(T))
        );
        // ...but does in ON pools
        assert_eq!(
            step(&mfa_pool(On, true), &mfa_user(true, &[], None)),
            Ok(NextStep::Factor(T))
        );
        assert_eq!(
            step(&mfa_pool(On, true), &mfa_user(false, &[], None)),
            Ok(NextStep::MfaSetup(vec![t]))
        );
        // enabled without a token (deleted) is not usable
        assert_eq!(
            step(&mfa_pool(On, true), &mfa_user(false, &[t], None)),
            Ok(NextStep::MfaSetup(vec![t]))
        );
        assert_eq!(
            step(&mfa_pool(On, false), &mfa_user(false, &[], None)),
            Err(ErrorKind::InvalidUserPoolConfiguration)
        );
    }

    #[test]
    fn sms_and_email_factors() {
        use MfaConfiguration::*;
        const S: MfaFactor = MfaFactor::SmsMfa;
        const E: MfaFactor = MfaFactor::EmailOtp;
        let step = |p: &UserPool, u: &User| next_step(p, u).map_err(|e| e.kind);
        let mut pool = mfa_pool(Optional, true);
        pool.mfa_factors.sms = true;
        pool.mfa_factors.email = true;
        let mut u = mfa_user(true, &[T, S, E], None);
        // without phone_number and email only TOTP can be answered
        assert_eq!(step(&pool, &u), Ok(NextStep::Factor(T)));
        u.attributes
            .insert("phone_number".into(), "+15555550100".into());
        u.attributes.insert("email".into(), "a@example.com".into());
        assert_eq!(step(&pool, &u), Ok(NextStep::SelectMfaType(vec![T, S, E])));
        u.mfa.preferred = Some(E);
        assert_eq!(step(&pool, &u), Ok(NextStep::Factor(E)));
        // a factor the pool turned off is not offered
        pool.mfa_factors.email = false;
        assert_eq!(step(&pool, &u), Ok(NextStep::SelectMfaType(vec![T, S])));
        // ON pool, nothing enabled, a phone number and SMS MFA: SMS_MFA
        let mut on = mfa_pool(On, true);
        on.mfa_factors.sms = true;
        let mut v = mfa_user(false, &[], None);
        v.attributes
            .insert("phone_number".into(), "+15555550100".into());
        assert_eq!(step(&on, &v), Ok(NextStep::Factor(S)));
    }
}
