//! SetUserMFAPreference, AdminSetUserMFAPreference, GetUserAuthFactors,
//! AdminGetUserAuthFactors, and which MFA step follows the first factor (spec §3.7).

use crate::model::{MfaConfiguration, User, UserPool};
use crate::service::software_token::SOFTWARE_TOKEN_MFA;
use crate::service::{tokens, Ctx};
use crate::{CognitoError, ErrorKind, Result};

/// One factor's settings in a preference request (`{Enabled, PreferredMfa}`).
#[derive(Debug, Clone, Copy, Default)]
pub struct FactorSetting {
    pub enabled: Option<bool>,
    pub preferred: Option<bool>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct MfaPreference {
    pub software_token: Option<FactorSetting>,
    pub sms: Option<FactorSetting>,
    pub email: Option<FactorSetting>,
}

fn update_factors(pool: &UserPool, user: &mut User, pref: &MfaPreference) -> Result<()> {
    let had_factor = !user.mfa.enabled.is_empty();
    let factors = [
        (
            SOFTWARE_TOKEN_MFA,
            pref.software_token,
            user.mfa.software_token.is_some(),
        ),
        // Cognate cannot deliver SMS or email one-time codes yet, so those factors cannot be turned on.
        ("SMS_MFA", pref.sms, false),
        ("EMAIL_OTP", pref.email, false),
    ];
    for (name, setting, usable) in factors {
        let Some(setting) = setting else { continue };
        match setting.enabled {
            Some(true) if !usable => {
                return Err(CognitoError::invalid_parameter(format!(
                    "User does not have delivery config set to turn on {name}"
                )))
            }
            Some(true) if !user.mfa.enabled.iter().any(|f| f == name) => {
                user.mfa.enabled.push(name.to_owned());
            }
            Some(true) => {}
            Some(false) => {
                user.mfa.enabled.retain(|f| f != name);
                if user.mfa.preferred.as_deref() == Some(name) {
                    user.mfa.preferred = None;
                }
            }
            None => {}
        }
        match setting.preferred {
            Some(true) if !user.mfa.enabled.iter().any(|f| f == name) => {
                return Err(CognitoError::invalid_parameter(format!(
                    "{name} cannot be preferred because it is not enabled for the user."
                )))
            }
            Some(true) => user.mfa.preferred = Some(name.to_owned()),
            Some(false) if user.mfa.preferred.as_deref() == Some(name) => user.mfa.preferred = None,
            _ => {}
        }
    }
    if pool.mfa_configuration == MfaConfiguration::On && had_factor && user.mfa.enabled.is_empty() {
        return Err(CognitoError::invalid_parameter(
            "MFA is required in this user pool: the last MFA method of a user cannot be turned off.",
        ));
    }
    Ok(())
}

/// Applies a preference request to `user` (partial update: absent factors are unchanged).
/// A refused request changes nothing.
pub fn apply_preference(pool: &UserPool, user: &mut User, pref: &MfaPreference) -> Result<()> {
    let mut changed = user.clone();
    update_factors(pool, &mut changed, pref)?;
    *user = changed;
    Ok(())
}

pub async fn set_user_mfa_preference(
    ctx: &Ctx<'_>,
    access_token: &str,
    pref: MfaPreference,
) -> Result<()> {
    let a = tokens::authenticate_access_token(ctx, access_token).await?;
    ctx.modify_user(&a.pool, &a.user.username, |u| {
        apply_preference(&a.pool, u, &pref)
    })
    .await?;
    Ok(())
}

pub async fn admin_set_user_mfa_preference(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    pref: MfaPreference,
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    ctx.modify_user(&pool, &user.username, |u| apply_preference(&pool, u, &pref))
        .await?;
    Ok(())
}

/// `ConfiguredUserAuthFactors` of GetUserAuthFactors.
pub fn configured_auth_factors(user: &User) -> Vec<&'static str> {
    let mut out = Vec::new();
    if user.password.is_some() {
        out.push("PASSWORD");
    }
    if user.mfa.software_token.is_some() {
        out.push("SOFTWARE_TOKEN");
    }
    out
}

pub async fn get_user_auth_factors(ctx: &Ctx<'_>, access_token: &str) -> Result<User> {
    Ok(tokens::authenticate_access_token(ctx, access_token)
        .await?
        .user)
}

pub async fn admin_get_user_auth_factors(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
) -> Result<User> {
    let pool = ctx.pool(pool_id).await?;
    ctx.user(&pool, username).await
}

/// What follows a successful first factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    Tokens,
    SoftwareTokenMfa,
    SelectMfaType(Vec<String>),
    MfaSetup(Vec<String>),
}

pub fn next_step(pool: &UserPool, user: &User) -> Result<NextStep> {
    if pool.mfa_configuration == MfaConfiguration::Off {
        return Ok(NextStep::Tokens);
    }
    let has_token = user.mfa.software_token.is_some();
    let usable: Vec<String> = user
        .mfa
        .enabled
        .iter()
        .filter(|f| f.as_str() == SOFTWARE_TOKEN_MFA && has_token)
        .cloned()
        .collect();
    let challenge_for = |f: &str| match f {
        SOFTWARE_TOKEN_MFA => NextStep::SoftwareTokenMfa,
        _ => NextStep::Tokens,
    };
    if let Some(p) = user
        .mfa
        .preferred
        .as_deref()
        .filter(|p| usable.iter().any(|u| u == p))
    {
        return Ok(challenge_for(p));
    }
    match usable.len() {
        1 => Ok(challenge_for(&usable[0])),
        n if n > 1 => Ok(NextStep::SelectMfaType(usable)),
        _ if pool.mfa_configuration == MfaConfiguration::Optional => Ok(NextStep::Tokens),
        _ if has_token => Ok(NextStep::SoftwareTokenMfa),
        _ if pool.mfa_factors.software_token => {
            Ok(NextStep::MfaSetup(vec![SOFTWARE_TOKEN_MFA.into()]))
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
    use crate::clock::Timestamp;
    use crate::model::SoftwareToken;
    use crate::service::test_support;

    fn user_with(token: bool, enabled: &[&str], preferred: Option<&str>) -> User {
        let mut u: User = serde_json::from_value(serde_json::json!({
            "pool_id": "p", "username": "u", "sub": "s", "attributes": {}, "status": "Confirmed",
            "enabled": true, "created": 0, "modified": 0, "password": null, "password_history": [],
            "codes": {"confirm_sign_up": null, "forgot_password": null, "verify_attribute": {}},
            "lockout": {"failed_attempts": 0, "locked_until": null}, "tokens_valid_after": 0,
            "keys": {"username": "u", "aliases": {}}, "version": 1
        }))
        .expect("user");
        if token {
            u.mfa.software_token = Some(SoftwareToken {
                sealed_secret: vec![1],
                friendly_device_name: None,
                verified_at: Timestamp(0),
            });
        }
        u.mfa.enabled = enabled.iter().map(|s| s.to_string()).collect();
        u.mfa.preferred = preferred.map(String::from);
        u
    }

    fn pool(mode: MfaConfiguration, totp: bool) -> UserPool {
        let mut p = test_support::pool(true);
        p.mfa_configuration = mode;
        p.mfa_factors.software_token = totp;
        p
    }

    #[test]
    fn next_step_follows_the_spec_table() {
        use MfaConfiguration::*;
        let t = SOFTWARE_TOKEN_MFA;
        let step = |p: &UserPool, u: &User| next_step(p, u).map_err(|e| e.kind);
        assert_eq!(
            step(&pool(Off, true), &user_with(true, &[t], Some(t))),
            Ok(NextStep::Tokens)
        );
        assert_eq!(
            step(&pool(Optional, true), &user_with(false, &[], None)),
            Ok(NextStep::Tokens)
        );
        // a verified but not enabled token does not challenge in OPTIONAL pools...
        assert_eq!(
            step(&pool(Optional, true), &user_with(true, &[], None)),
            Ok(NextStep::Tokens)
        );
        assert_eq!(
            step(&pool(Optional, true), &user_with(true, &[t], None)),
            Ok(NextStep::SoftwareTokenMfa)
        );
        // ...but does in ON pools
        assert_eq!(
            step(&pool(On, true), &user_with(true, &[], None)),
            Ok(NextStep::SoftwareTokenMfa)
        );
        assert_eq!(
            step(&pool(On, true), &user_with(false, &[], None)),
            Ok(NextStep::MfaSetup(vec![t.to_owned()]))
        );
        // enabled without a token (deleted) is not usable
        assert_eq!(
            step(&pool(On, true), &user_with(false, &[t], None)),
            Ok(NextStep::MfaSetup(vec![t.to_owned()]))
        );
        assert_eq!(
            step(&pool(On, false), &user_with(false, &[], None)),
            Err(ErrorKind::InvalidUserPoolConfiguration)
        );
    }

    #[test]
    fn preferences_are_partial_updates() {
        let p = pool(MfaConfiguration::Optional, true);
        let on = |enabled, preferred| MfaPreference {
            software_token: Some(FactorSetting { enabled, preferred }),
            ..Default::default()
        };
        let mut u = user_with(false, &[], None);
        let err = apply_preference(&p, &mut u, &on(Some(true), None)).map_err(|e| e.message);
        assert_eq!(
            err,
            Err("User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA".to_owned())
        );
        let mut u = user_with(true, &[], None);
        apply_preference(&p, &mut u, &on(Some(true), Some(true))).expect("enable");
        assert_eq!(
            (u.mfa.enabled.clone(), u.mfa.preferred.clone()),
            (
                vec![SOFTWARE_TOKEN_MFA.to_owned()],
                Some(SOFTWARE_TOKEN_MFA.to_owned())
            )
        );
        // an empty request changes nothing
        apply_preference(&p, &mut u, &MfaPreference::default()).expect("noop");
        assert_eq!(u.mfa.preferred.as_deref(), Some(SOFTWARE_TOKEN_MFA));
        apply_preference(&p, &mut u, &on(Some(false), None)).expect("disable");
        assert!(u.mfa.enabled.is_empty() && u.mfa.preferred.is_none());
        // SMS cannot be turned on
        let sms = MfaPreference {
            sms: Some(FactorSetting {
                enabled: Some(true),
                preferred: None,
            }),
            ..Default::default()
        };
        assert!(apply_preference(&p, &mut u, &sms).is_err());
        // in an ON pool the last factor stays
        let mut u = user_with(true, &[SOFTWARE_TOKEN_MFA], None);
        let err = apply_preference(
            &pool(MfaConfiguration::On, true),
            &mut u,
            &on(Some(false), None),
        );
        assert!(err.is_err());
        assert_eq!(
            u.mfa.enabled,
            vec![SOFTWARE_TOKEN_MFA.to_owned()],
            "a refused request changes nothing"
        );
    }
}
