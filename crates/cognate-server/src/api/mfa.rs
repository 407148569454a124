//! SetUserPoolMfaConfig, GetUserPoolMfaConfig, AssociateSoftwareToken, VerifySoftwareToken,
//! SetUserMFAPreference, AdminSetUserMFAPreference, AdminDeleteSoftwareToken,
//! GetUserAuthFactors, AdminGetUserAuthFactors.

use cognate_core::model::{MfaConfiguration, User, UserPool};
use cognate_core::service::mfa::mfa_config::{self, MfaConfigRequest};
use cognate_core::service::mfa::mfa_preferences::{self, FactorSetting, MfaPreference};
use cognate_core::service::mfa::software_token::{self, Caller};
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Map, Value};

use super::Input;

/// Pool settings keys under which the factor blocks are echoed.
const FACTOR_BLOCKS: [&str; 3] = [
    "SmsMfaConfiguration",
    "EmailMfaConfiguration",
    "WebAuthnConfiguration",
];

fn mfa_config_out(p: &UserPool) -> Value {
    let mut m = Map::new();
    m.insert(
        "MfaConfiguration".into(),
        json!(p.mfa_configuration.as_str()),
    );
    m.insert(
        "SoftwareTokenMfaConfiguration".into(),
        json!({"Enabled": p.mfa_factors.software_token}),
    );
    for k in FACTOR_BLOCKS {
        if let Some(v) = p.settings.get(k) {
            m.insert(k.into(), v.clone());
        }
    }
    Value::Object(m)
}

pub async fn set_user_pool_mfa_config(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let pool_id = i.str("UserPoolId")?;
    let req = MfaConfigRequest {
        mfa_configuration: i
            .opt_str("MfaConfiguration")
            .and_then(MfaConfiguration::parse),
        software_token: i
            .obj("SoftwareTokenMfaConfiguration")
            .map(|c| c.opt_bool("Enabled").unwrap_or(false)),
        sms: i.has("SmsMfaConfiguration"),
        email: i.has("EmailMfaConfiguration"),
        // The factor blocks are echoed as given (replace semantics: absent ones disappear).
        echo: FACTOR_BLOCKS
            .iter()
            .map(|k| (*k, i.raw().get(*k).filter(|v| !v.is_null()).cloned()))
            .collect(),
    };
    let pool = mfa_config::set_user_pool_mfa_config(ctx, pool_id, req).await?;
    Ok(mfa_config_out(&pool))
}

pub async fn get_user_pool_mfa_config(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let pool = mfa_config::get_user_pool_mfa_config(ctx, i.str("UserPoolId")?).await?;
    Ok(mfa_config_out(&pool))
}

fn caller<'a>(i: &Input<'a>) -> Result<Caller<'a>> {
    Caller::from_input(i.opt_str("AccessToken"), i.opt_str("Session"))
}

pub async fn associate_software_token(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let (secret, session) = software_token::associate_software_token(ctx, caller(i)?).await?;
    let mut out = json!({"SecretCode": secret});
    if let Some(s) = session {
        out["Session"] = json!(s);
    }
    Ok(out)
}

pub async fn verify_software_token(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let session = software_token::verify_software_token(
        ctx,
        caller(i)?,
        i.str("UserCode")?,
        i.opt_str("FriendlyDeviceName"),
    )
    .await?;
    let mut out = json!({"Status": "SUCCESS"});
    if let Some(s) = session {
        out["Session"] = json!(s);
    }
    Ok(out)
}

fn factor(i: &Input, k: &str) -> Option<FactorSetting> {
    i.obj(k).map(|f| FactorSetting {
        enabled: f.opt_bool("Enabled"),
        preferred: f.opt_bool("PreferredMfa"),
    })
}

fn preference(i: &Input) -> MfaPreference {
    MfaPreference {
        software_token: factor(i, "SoftwareTokenMfaSettings"),
        sms: factor(i, "SMSMfaSettings"),
        email: factor(i, "EmailMfaSettings"),
    }
}

pub async fn set_user_mfa_preference(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    mfa_preferences::set_user_mfa_preference(ctx, i.str("AccessToken")?, preference(i)).await?;
    Ok(json!({}))
}

pub async fn admin_set_user_mfa_preference(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    mfa_preferences::admin_set_user_mfa_preference(
        ctx,
        i.str("UserPoolId")?,
        i.str("Username")?,
        preference(i),
    )
    .await?;
    Ok(json!({}))
}

pub async fn admin_delete_software_token(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    software_token::admin_delete_software_token(ctx, i.str("UserPoolId")?, i.str("Username")?)
        .await?;
    Ok(json!({}))
}

/// `UserMFASettingList` and `PreferredMfaSetting`, omitted when empty (GetUser, AdminGetUser,
/// the auth-factor operations).
pub fn put_mfa_settings(out: &mut Value, user: &User) {
    if !user.mfa.enabled.is_empty() {
        out["UserMFASettingList"] = json!(user.mfa.enabled);
    }
    if let Some(p) = &user.mfa.preferred {
        out["PreferredMfaSetting"] = json!(p);
    }
}

fn auth_factors(user: &User) -> Value {
    let mut out = json!({
        "Username": user.username,
        "ConfiguredUserAuthFactors": mfa_preferences::configured_auth_factors(user),
    });
    put_mfa_settings(&mut out, user);
    out
}

pub async fn get_user_auth_factors(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let user = mfa_preferences::get_user_auth_factors(ctx, i.str("AccessToken")?).await?;
    Ok(auth_factors(&user))
}

pub async fn admin_get_user_auth_factors(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let user =
        mfa_preferences::admin_get_user_auth_factors(ctx, i.str("UserPoolId")?, i.str("Username")?)
            .await?;
    Ok(auth_factors(&user))
}
