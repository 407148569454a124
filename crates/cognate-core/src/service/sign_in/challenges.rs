//! Answers to the challenges of a sign-in: NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA,
//! SMS_MFA, EMAIL_OTP, MFA_SETUP and SELECT_MFA_TYPE. The session has already been checked against the client,
//! challenge, user and SECRET_HASH by `respond_to_auth_challenge`.

use std::collections::BTreeMap;

use crate::model::{
    AppClient, AuthSessionRecord, MfaFactor, SessionStage, User, UserPool, UserStatus,
};
use crate::service::common::attributes::{self, Writer};
use crate::service::common::passwords::{set_password, take_password};
use crate::service::common::{lockout, session};
use crate::service::mfa::mfa_codes;
use crate::service::mfa::next_step::usable_factors;
use crate::service::mfa::software_token::check_sign_in_code;
use crate::service::sign_in::flow::{after_first_factor, factor_challenge, missing, AuthOutcome};
use crate::service::tokens::issue::issue_for_sign_in;
use crate::service::Ctx;
use crate::{CognitoError, Result};

pub struct Step<'a, 'c> {
    pub ctx: &'a Ctx<'c>,
    pub pool: &'a UserPool,
    pub client: &'a AppClient,
    pub session: &'a AuthSessionRecord,
    /// The session string the client sent (SMS and e-mail codes are bound to it).
    pub session_str: &'a str,
    pub responses: &'a BTreeMap<String, String>,
}

/// NEW_PASSWORD_REQUIRED: the new password, plus a value for every required attribute the user
/// lacks (the challenge's `requiredAttributes`) and any other attribute the client may write.
/// Required attributes that have a value cannot be changed here.
pub async fn new_password_required(s: Step<'_, '_>, mut user: User) -> Result<AuthOutcome> {
    let new_password = s
        .responses
        .get("NEW_PASSWORD")
        .ok_or_else(|| missing("NEW_PASSWORD"))?;
    if user.status != UserStatus::ForceChangePassword {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user.",
        ));
    }
    let attrs: Vec<(String, String)> = s
        .responses
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.")
                .map(|n| (n.to_owned(), v.clone()))
        })
        .collect();
    attributes::check_client_writes(s.client, attrs.iter().map(|(n, _)| n))?;
    let lacking = attributes::missing_required(s.pool, &user.attributes);
    for (name, value) in &attrs {
        let required = s.pool.schema_attribute(name).is_some_and(|d| d.required);
        if required && user.attr(name).is_some_and(|v| v != value) {
            return Err(CognitoError::invalid_parameter(format!(
                "Cannot modify an already provided {name}"
            )));
        }
    }
    // What the user lacks is given for the first time, like at creation (immutable or not).
    let (first, updates): (Vec<_>, Vec<_>) = attrs
        .iter()
        .cloned()
        .partition(|(n, _)| lacking.contains(&n.as_str()));
    attributes::check_writes(s.pool, &first, Writer::User, true)?;
    attributes::check_writes(s.pool, &updates, Writer::User, false)?;
    let still_missing: Vec<&str> = lacking
        .iter()
        .copied()
        .filter(|n| !first.iter().any(|(f, v)| f == n && !v.is_empty()))
        .collect();
    if !still_missing.is_empty() {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid attributes given, {} is missing",
            still_missing.join(" and ")
        )));
    }
    set_password(s.ctx, s.pool, &mut user, new_password, false).await?;
    session::consume(s.ctx, s.session).await?;
    let (user, ()) = s
        .ctx
        .modify_user(s.pool, &user.username, |u| {
            attributes::apply_writes(u, &attrs);
            take_password(u, &user);
            u.status = UserStatus::Confirmed;
            Ok(())
        })
        .await?;
    after_first_factor(s.ctx, s.pool, s.client, user).await
}

pub async fn software_token_mfa(s: Step<'_, '_>, user: User) -> Result<AuthOutcome> {
    let code = s
        .responses
        .get("SOFTWARE_TOKEN_MFA_CODE")
        .ok_or_else(|| missing("SOFTWARE_TOKEN_MFA_CODE"))?;
    // A wrong code leaves the session usable for another try; a right one uses it up.
    let user = check_sign_in_code(s.ctx, s.pool, &user.username, code).await?;
    session::consume(s.ctx, s.session).await?;
    Ok(AuthOutcome::Tokens(
        issue_for_sign_in(s.ctx, s.pool, s.client, &user).await?,
    ))
}

/// The last step of MFA_SETUP: the session must come from a successful VerifySoftwareToken.
pub async fn mfa_setup(s: Step<'_, '_>, mut user: User) -> Result<AuthOutcome> {
    if s.session.stage != SessionStage::Verified || user.mfa.software_token.is_none() {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user.",
        ));
    }
    session::consume(s.ctx, s.session).await?;
    lockout::record_success(s.ctx, s.pool, &mut user).await?;
    Ok(AuthOutcome::Tokens(
        issue_for_sign_in(s.ctx, s.pool, s.client, &user).await?,
    ))
}

/// SMS_MFA and EMAIL_OTP: the code sent with this session. A wrong code leaves the session
/// usable for another try (and counts toward the lockout); a right one uses both up.
pub async fn code_mfa(s: Step<'_, '_>, user: User, factor: MfaFactor) -> Result<AuthOutcome> {
    let name = match factor {
        MfaFactor::SmsMfa => "SMS_MFA_CODE",
        _ => "EMAIL_OTP_CODE",
    };
    let code = s.responses.get(name).ok_or_else(|| missing(name))?;
    let user =
        mfa_codes::check_sign_in_code(s.ctx, s.pool, &user.username, factor, s.session_str, code)
            .await?;
    session::consume(s.ctx, s.session).await?;
    Ok(AuthOutcome::Tokens(
        issue_for_sign_in(s.ctx, s.pool, s.client, &user).await?,
    ))
}

/// SELECT_MFA_TYPE: ANSWER names one of the factors offered (`EMAIL_MFA`, the model's
/// spelling, is taken for EMAIL_OTP); its challenge follows with a new session (for SMS and
/// e-mail the code is sent now).
pub async fn select_mfa_type(s: Step<'_, '_>, user: User) -> Result<AuthOutcome> {
    let answer = s.responses.get("ANSWER").ok_or_else(|| missing("ANSWER"))?;
    let factor = match answer.as_str() {
        "EMAIL_MFA" => Some(MfaFactor::EmailOtp),
        a => MfaFactor::parse(a),
    };
    let offered = usable_factors(s.pool, &user);
    let Some(factor) = factor.filter(|f| offered.contains(f)) else {
        if factor == Some(MfaFactor::SoftwareTokenMfa) && user.mfa.software_token.is_none() {
            return Err(CognitoError::new(
                crate::ErrorKind::SoftwareTokenMfaNotFound,
                "Software Token MFA does not exist for the user.",
            ));
        }
        return Err(CognitoError::invalid_parameter(format!(
            "{answer} is not an MFA method this user can use."
        )));
    };
    session::consume(s.ctx, s.session).await?;
    factor_challenge(s.ctx, s.pool, s.client, &user, factor).await
}
