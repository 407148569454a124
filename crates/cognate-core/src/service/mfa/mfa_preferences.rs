//! SetUserMFAPreference, AdminSetUserMFAPreference, the legacy SetUserSettings and
//! AdminSetUserSettings (SMS only), GetUserAuthFactors and AdminGetUserAuthFactors.

use crate::model::{DeliveryMedium, MfaConfiguration, MfaFactor, User, UserPool};
use crate::service::tokens::verify::authenticate_access_token;
use crate::service::Ctx;
use crate::{CognitoError, Result};

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
            MfaFactor::SoftwareTokenMfa,
            pref.software_token,
            user.mfa.software_token.is_some(),
        ),
        // SMS needs a phone number (verified or not: the code proves it), e-mail an address.
        (
            MfaFactor::SmsMfa,
            pref.sms,
            user.attr("phone_number").is_some(),
        ),
        (
            MfaFactor::EmailOtp,
            pref.email,
            user.attr("email").is_some(),
        ),
    ];
    for (name, setting, usable) in factors {
        let Some(setting) = setting else { continue };
        if name == MfaFactor::EmailOtp && setting.enabled == Some(true) && !pool.mfa_factors.email {
            return Err(CognitoError::invalid_parameter(
                "Email MFA is not enabled for this user pool: set an EmailMfaConfiguration with SetUserPoolMfaConfig first.",
            ));
        }
        match setting.enabled {
            Some(true) if !usable => {
                return Err(CognitoError::invalid_parameter(format!(
                    "User does not have delivery config set to turn on {name}"
                )))
            }
            Some(true) if !user.mfa.enabled.contains(&name) => {
                user.mfa.enabled.push(name);
            }
            Some(true) => {}
            Some(false) => {
                user.mfa.enabled.retain(|f| *f != name);
                if user.mfa.preferred == Some(name) {
                    user.mfa.preferred = None;
                }
            }
            None => {}
        }
        match setting.preferred {
            Some(true) if !user.mfa.enabled.contains(&name) => {
                return Err(CognitoError::invalid_parameter(format!(
                    "{name} cannot be preferred because it is not enabled for the user."
                )))
            }
            Some(true) => user.mfa.preferred = Some(name),
            Some(false) if user.mfa.preferred == Some(name) => user.mfa.preferred = None,
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
    let a = authenticate_access_token(ctx, access_token).await?;
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

/// One `MFAOptionType` of the legacy SetUserSettings / AdminSetUserSettings.
#[derive(Debug, Clone, Default)]
pub struct MfaOption {
    pub attribute_name: Option<String>,
    pub delivery_medium: Option<DeliveryMedium>,
}

/// What the legacy `MFAOptions` mean: SMS MFA on (any option, all of which must be SMS to
/// phone_number) or off (an empty list); the preference is left as it is.
pub fn legacy_settings(options: &[MfaOption]) -> Result<MfaPreference> {
    for o in options {
        if o.attribute_name
            .as_deref()
            .is_some_and(|a| a != "phone_number")
        {
            return Err(CognitoError::invalid_parameter(
                "Only phone_number attribute is currently supported as a MFA option.",
            ));
        }
        if o.delivery_medium.is_some_and(|m| m != DeliveryMedium::Sms) {
            return Err(CognitoError::invalid_parameter(
                "Only SMS is currently supported as a MFA delivery medium.",
            ));
        }
    }
    Ok(MfaPreference {
        sms: Some(FactorSetting {
            enabled: Some(!options.is_empty()),
            preferred: None,
        }),
        ..Default::default()
    })
}

pub async fn set_user_settings(
    ctx: &Ctx<'_>,
    access_token: &str,
    options: &[MfaOption],
) -> Result<()> {
    set_user_mfa_preference(ctx, access_token, legacy_settings(options)?).await
}

pub async fn admin_set_user_settings(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    options: &[MfaOption],
) -> Result<()> {
    admin_set_user_mfa_preference(ctx, pool_id, username, legacy_settings(options)?).await
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
    // EMAIL_OTP and SMS_OTP are first factors of choice-based sign-in (USER_AUTH), which
    // Cognate does not offer: they are never configured.
    out
}

pub async fn get_user_auth_factors(ctx: &Ctx<'_>, access_token: &str) -> Result<User> {
    Ok(authenticate_access_token(ctx, access_token).await?.user)
}

pub async fn admin_get_user_auth_factors(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
) -> Result<User> {
    let pool = ctx.pool(pool_id).await?;
    ctx.user(&pool, username).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::common::test_support::{mfa_pool, mfa_user};

    const T: MfaFactor = MfaFactor::SoftwareTokenMfa;

    #[test]
    fn preferences_are_partial_updates() {
        let p = mfa_pool(MfaConfiguration::Optional, true);
        let on = |enabled, preferred| MfaPreference {
            software_token: Some(FactorSetting { enabled, preferred }),
            ..Default::default()
        };
        let mut u = mfa_user(false, &[], None);
        let err = apply_preference(&p, &mut u, &on(Some(true), None)).map_err(|e| e.message);
        assert_eq!(
            err,
            Err("User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA".to_owned())
        );
        let mut u = mfa_user(true, &[], None);
        apply_preference(&p, &mut u, &on(Some(true), Some(true))).expect("enable");
        assert_eq!((u.mfa.enabled.clone(), u.mfa.preferred), (vec![T], Some(T)));
        // an empty request changes nothing
        apply_preference(&p, &mut u, &MfaPreference::default()).expect("noop");
        assert_eq!(u.mfa.preferred, Some(T));
        apply_preference(&p, &mut u, &on(Some(false), None)).expect("disable");
        assert!(u.mfa.enabled.is_empty() && u.mfa.preferred.is_none());
        // SMS needs a phone number
        let sms = MfaPreference {
            sms: Some(FactorSetting {
                enabled: Some(true),
                preferred: Some(true),
            }),
            ..Default::default()
        };
        let err = apply_preference(&p, &mut u, &sms).map_err(|e| e.message);
        assert_eq!(
            err,
            Err("User does not have delivery config set to turn on SMS_MFA".to_owned())
        );
        u.attributes
            .insert("phone_number".into(), "+15555550100".into());
        apply_preference(&p, &mut u, &sms).expect("sms");
        assert_eq!(u.mfa.preferred, Some(MfaFactor::SmsMfa));
        // e-mail needs the pool's e-mail MFA, then an address
        let email = MfaPreference {
            email: Some(FactorSetting {
                enabled: Some(true),
                preferred: None,
            }),
            ..Default::default()
        };
        assert!(apply_preference(&p, &mut u, &email).is_err());
        let mut ep = p.clone();
        ep.mfa_factors.email = true;
        let err = apply_preference(&ep, &mut u, &email).map_err(|e| e.message);
        assert_eq!(
            err,
            Err("User does not have delivery config set to turn on EMAIL_OTP".to_owned())
        );
        u.attributes.insert("email".into(), "a@example.com".into());
        apply_preference(&ep, &mut u, &email).expect("email");
        assert_eq!(u.mfa.enabled, vec![MfaFactor::SmsMfa, MfaFactor::EmailOtp]);
        // in an ON pool the last factor stays
        let mut u = mfa_user(true, &[T], None);
        let err = apply_preference(
            &mfa_pool(MfaConfiguration::On, true),
            &mut u,
            &on(Some(false), None),
        );
        assert!(err.is_err());
        assert_eq!(u.mfa.enabled, vec![T], "a refused request changes nothing");
    }

    #[test]
    fn legacy_settings_are_sms_only() {
        let sms = MfaOption {
            attribute_name: Some("phone_number".into()),
            delivery_medium: Some(DeliveryMedium::Sms),
        };
        let on = legacy_settings(std::slice::from_ref(&sms)).expect("sms");
        assert_eq!(on.sms.and_then(|s| s.enabled), Some(true));
        assert!(on.software_token.is_none() && on.email.is_none());
        let off = legacy_settings(&[]).expect("empty");
        assert_eq!(off.sms.and_then(|s| s.enabled), Some(false));
        let email = MfaOption {
            attribute_name: Some("email".into()),
            ..sms.clone()
        };
        assert!(legacy_settings(&[email]).is_err());
        let by_mail = MfaOption {
            delivery_medium: Some(DeliveryMedium::Email),
            ..sms
        };
        assert!(legacy_settings(&[by_mail]).is_err());
    }
}
