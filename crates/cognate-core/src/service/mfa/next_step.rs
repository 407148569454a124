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
//! | ON       | none, pool offers TOTP       | MFA_SETUP                          |
//! | ON       | none, nothing to set up      | InvalidUserPoolConfiguration       |

use crate::model::{MfaConfiguration, MfaFactor, User, UserPool};
use crate::{CognitoError, ErrorKind, Result};

/// What follows a successful first factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    Tokens,
    SoftwareTokenMfa,
    SelectMfaType(Vec<MfaFactor>),
    MfaSetup(Vec<MfaFactor>),
}

pub fn next_step(pool: &UserPool, user: &User) -> Result<NextStep> {
    if pool.mfa_configuration == MfaConfiguration::Off {
        return Ok(NextStep::Tokens);
    }
    let has_token = user.mfa.software_token.is_some();
    // Only software tokens can be used today: SMS and e-mail codes cannot be delivered.
    let usable: Vec<MfaFactor> = user
        .mfa
        .enabled
        .iter()
        .copied()
        .filter(|f| *f == MfaFactor::SoftwareTokenMfa && has_token)
        .collect();
    let challenge_for = |f: MfaFactor| match f {
        MfaFactor::SoftwareTokenMfa => NextStep::SoftwareTokenMfa,
        MfaFactor::SmsMfa | MfaFactor::EmailOtp => NextStep::Tokens,
    };
    if let Some(p) = user.mfa.preferred.filter(|p| usable.contains(p)) {
        return Ok(challenge_for(p));
    }
    match usable.as_slice() {
        [only] => Ok(challenge_for(*only)),
        [_, _, ..] => Ok(NextStep::SelectMfaType(usable)),
        _ if pool.mfa_configuration == MfaConfiguration::Optional => Ok(NextStep::Tokens),
        _ if has_token => Ok(NextStep::SoftwareTokenMfa),
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
            Ok(NextStep::SoftwareTokenMfa)
        );
        // ...but does in ON pools
        assert_eq!(
            step(&mfa_pool(On, true), &mfa_user(true, &[], None)),
            Ok(NextStep::SoftwareTokenMfa)
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
}
