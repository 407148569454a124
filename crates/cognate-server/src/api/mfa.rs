//! SetUserPoolMfaConfig, GetUserPoolMfaConfig, AssociateSoftwareToken, VerifySoftwareToken,
//! SetUserMFAPreference, AdminSetUserMFAPreference, SetUserSettings, AdminSetUserSettings,
//! AdminDeleteSoftwareToken,
//! GetUserAuthFactors, AdminGetUserAuthFactors.

use cognate_core::model::{DeliveryMedium, MfaConfiguration, MfaFactor, User, UserPool};
use cognate_core::service::mfa::mfa_config::{self, MfaConfigRequest};
use cognate_core::service::mfa::mfa_preferences::{self, FactorSetting, MfaOption, MfaPreference};
use cognate_core::service::mfa::software_token::{self, Caller};
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Map, Value};

use super::Input;

/// Pool settings keys under which configuration blocks are echoed as given.
const ECHOED_BLOCKS: [&str; 1] = ["WebAuthnConfiguration"];

fn mfa_config_out(p: &UserPool) -> Value {
    let mut m = Map::new();
    let f = &p.mfa_factors;
    m.insert(
        "MfaConfiguration".into(),
        json!(p.mfa_configuration.as_str()),
    );
    m.insert(
        "SoftwareTokenMfaConfiguration".into(),
        json!({"Enabled": f.software_token}),
    );
    if f.sms {
        let mut sms = Map::new();
        if let Some(msg) = &f.sms_message {
            sms.insert("SmsAuthenticationMessage".into(), json!(msg));
        }
        if let Some(c) = p.settings.get("SmsConfiguration") {
            sms.insert("SmsConfiguration".into(), c.clone());
        }
        m.insert("SmsMfaConfiguration".into(), Value::Object(sms));
    }
    if f.email {
        let mut email = Map::new();
        if let Some(msg) = &f.email_message {
            email.insert("Message".into(), json!(msg));
        }
        if let Some(s) = &f.email_subject {
            email.insert("Subject".into(), json!(s));
        }
        m.insert("EmailMfaConfiguration".into(), Value::Object(email));
    }
    for k in ECHOED_BLOCKS {
        if let Some(v) = p.settings.get(k) {
            m.insert(k.into(), v.clone());
        }
    }
    Value::Object(m)
}

pub async fn set_user_pool_mfa_config(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let pool_id = i.str("UserPoolId")?;
    let pool = ctx.pool(pool_id).await?;
    let sms = i.obj("SmsMfaConfiguration");
    let email = i.obj("EmailMfaConfiguration");
    let sms_config = sms
        .as_ref()
        .and_then(|s| s.raw().get("SmsConfiguration"))
        .filter(|v| !v.is_null())
        .cloned();
    let sms_message = sms
        .as_ref()
        .and_then(|s| s.opt_str("SmsAuthenticationMessage"))
        .map(String::from);
    let email_developer = pool
        .settings
        .get("EmailConfiguration")
        .and_then(|e| e.get("EmailSendingAccount"))
        .and_then(Value::as_str)
        == Some("DEVELOPER");
    // The block's SmsConfiguration and SmsAuthenticationMessage are the pool's (DescribeUserPool
    // shows them); WebAuthnConfiguration is echoed as given (replace semantics).
    let mut echo: Vec<(&'static str, Option<Value>)> = ECHOED_BLOCKS
        .iter()
        .map(|k| (*k, i.raw().get(*k).filter(|v| !v.is_null()).cloned()))
        .collect();
    if sms_config.is_some() {
        echo.push(("SmsConfiguration", sms_config.clone()));
    }
    if let Some(m) = &sms_message {
        echo.push(("SmsAuthenticationMessage", Some(json!(m))));
    }
    let req = MfaConfigRequest {
        mfa_configuration: i
            .opt_str("MfaConfiguration")
            .and_then(MfaConfiguration::parse),
        software_token: i
            .obj("SoftwareTokenMfaConfiguration")
            .map(|c| c.opt_bool("Enabled").unwrap_or(false)),
        sms: sms.is_some(),
        email: email.is_some(),
        sms_configured: sms_config.is_some() || pool.settings.contains_key("SmsConfiguration"),
        sms_message,
        email_message: email
            .as_ref()
            .and_then(|e| e.opt_str("Message"))
            .map(String::from),
        email_subject: email
            .as_ref()
            .and_then(|e| e.opt_str("Subject"))
            .map(String::from),
        email_developer,
        echo,
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

fn mfa_options(i: &Input) -> Vec<MfaOption> {
    i.list("MFAOptions")
        .iter()
        .map(|o| MfaOption {
            attribute_name: o.opt_str("AttributeName").map(String::from),
            delivery_medium: o.opt_str("DeliveryMedium").and_then(DeliveryMedium::parse),
        })
        .collect()
}

pub async fn set_user_settings(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    mfa_preferences::set_user_settings(ctx, i.str("AccessToken")?, &mfa_options(i)).await?;
    Ok(json!({}))
}

pub async fn admin_set_user_settings(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    mfa_preferences::admin_set_user_settings(
        ctx,
        i.str("UserPoolId")?,
        i.str("Username")?,
        &mfa_options(i),
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

/// GetUser / AdminGetUser: the MFA settings and `MFAOptions`, the legacy SMS-only view of
/// the same setting.
pub fn put_user_mfa(out: &mut Value, user: &User) {
    put_mfa_settings(out, user);
    if user.mfa.enabled.contains(&MfaFactor::SmsMfa) {
        out["MFAOptions"] = json!([{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]);
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
