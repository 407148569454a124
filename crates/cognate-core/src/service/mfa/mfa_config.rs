//! SetUserPoolMfaConfig and GetUserPoolMfaConfig.

use crate::model::{MfaConfiguration, MfaFactors, UserPool};
use crate::service::Ctx;
use crate::{CognitoError, Result};

/// A SetUserPoolMfaConfig request. Factor blocks left out are turned off (replace semantics).
#[derive(Debug, Clone, Default)]
pub struct MfaConfigRequest {
    pub mfa_configuration: Option<MfaConfiguration>,
    /// `SoftwareTokenMfaConfiguration.Enabled`, or None when the block is absent.
    pub software_token: Option<bool>,
    /// Whether an `SmsMfaConfiguration` / `EmailMfaConfiguration` block is present.
    pub sms: bool,
    pub email: bool,
    /// `SmsMfaConfiguration.SmsAuthenticationMessage`.
    pub sms_message: Option<String>,
    /// Whether SMS can be sent: the block's `SmsConfiguration` or the pool's.
    pub sms_configured: bool,
    /// `EmailMfaConfiguration.Message` and `Subject`.
    pub email_message: Option<String>,
    pub email_subject: Option<String>,
    /// Whether the pool's `EmailConfiguration` has `EmailSendingAccount` DEVELOPER (its own
    /// sender); Cognito's default account cannot send MFA codes.
    pub email_developer: bool,
    /// Configuration blocks the pool stores and echoes as given (in its `settings`): a value
    /// replaces the stored one, None removes it.
    pub echo: Vec<(&'static str, Option<serde_json::Value>)>,
}

pub async fn set_user_pool_mfa_config(
    ctx: &Ctx<'_>,
    pool_id: &str,
    req: MfaConfigRequest,
) -> Result<UserPool> {
    let mut pool = ctx.pool(pool_id).await?;
    let mode = req.mfa_configuration.unwrap_or(pool.mfa_configuration);
    let any_block = req.software_token.is_some() || req.sms || req.email;
    let factors = MfaFactors {
        software_token: req.software_token.unwrap_or(false),
        sms: req.sms,
        email: req.email,
        sms_message: req.sms_message.clone().filter(|_| req.sms),
        email_message: req.email_message.clone().filter(|_| req.email),
        email_subject: req.email_subject.clone().filter(|_| req.email),
    };
    if mode == MfaConfiguration::Off && any_block {
        return Err(CognitoError::invalid_parameter(
            "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
        ));
    }
    if mode != MfaConfiguration::Off && !(factors.software_token || factors.sms || factors.email) {
        return Err(CognitoError::invalid_parameter(
            "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
        ));
    }
    if req.email && !req.email_developer {
        return Err(CognitoError::invalid_parameter(
            "Cannot set EmailMfaConfiguration when user pool EmailConfiguration contains an EmailSendingAccount of COGNITO_DEFAULT.Update the value of EmailSendingAccount",
        ));
    }
    if req.sms && !req.sms_configured {
        return Err(CognitoError::invalid_parameter(
            "SMS configuration is required to turn on SMS MFA: give SmsMfaConfiguration.SmsConfiguration or set the pool's SmsConfiguration.",
        ));
    }
    for (name, m) in [
        ("SmsAuthenticationMessage", &factors.sms_message),
        ("EmailMfaConfiguration.Message", &factors.email_message),
    ] {
        if m.as_deref().is_some_and(|m| !m.contains("{####}")) {
            return Err(CognitoError::invalid_parameter(format!(
                "{name} must contain the {{####}} placeholder."
            )));
        }
    }
    pool.mfa_configuration = mode;
    pool.mfa_factors = factors;
    for (name, value) in req.echo {
        match value {
            Some(v) => pool.settings.insert(name.to_owned(), v),
            None => pool.settings.remove(name),
        };
    }
    pool.modified = ctx.now;
    ctx.store.update_pool(&pool).await?;
    Ok(pool)
}

pub async fn get_user_pool_mfa_config(ctx: &Ctx<'_>, pool_id: &str) -> Result<UserPool> {
    ctx.pool(pool_id).await
}
