//! The sign-in state machine shared by every entry point: which API was called, the checks on
//! the user a flow names, and what follows a proven password (NEW_PASSWORD_REQUIRED, the MFA
//! step, tokens). Each challenge it hands out is bound to a stored single-use session.

use std::collections::BTreeMap;

use crate::model::{AppClient, ChallengeName, MfaFactor, SessionStage, User, UserPool, UserStatus};
use crate::service::common::client_auth::check_secret_hash;
use crate::service::common::{attributes, lockout, session};
use crate::service::mfa::mfa_codes::send_sign_in_code;
use crate::service::mfa::next_step::{next_step, NextStep};
use crate::service::tokens::issue::{issue_for_sign_in, IssuedTokens};
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// What a sign-in step answers: tokens, or the next challenge with its session.
#[derive(Debug, Clone)]
pub enum AuthOutcome {
    Tokens(IssuedTokens),
    Challenge {
        name: ChallengeName,
        session: String,
        parameters: BTreeMap<String, String>,
    },
}

/// Which API was called: the public one, or the administrator's with its pool id.
#[derive(Debug, Clone, Copy)]
pub enum Api<'a> {
    Public,
    Admin {
        pool_id: &'a str,
    },
    /// The managed login pages: the public flows, whatever the client's ExplicitAuthFlows
    /// (Cognito's hosted UI signs in users of any client that allows OAuth).
    ManagedLogin,
}

/// The pool and client a sign-in step runs against.
pub(crate) async fn client_for(
    ctx: &Ctx<'_>,
    api: Api<'_>,
    client_id: &str,
) -> Result<(UserPool, AppClient)> {
    match api {
        Api::Public | Api::ManagedLogin => {
            let client = ctx.client(client_id).await?;
            let pool = ctx.pool(&client.pool_id).await?;
            Ok((pool, client))
        }
        Api::Admin { pool_id } => {
            let pool = ctx.pool(pool_id).await?;
            let client = ctx.pool_client(pool_id, client_id).await?;
            Ok((pool, client))
        }
    }
}

pub(crate) fn missing(name: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
}

pub(crate) fn unsupported(what: &str) -> CognitoError {
    CognitoError::new(
        ErrorKind::UnsupportedOperation,
        format!("Cognate does not implement {what} yet."),
    )
}

fn password_reset_required() -> CognitoError {
    CognitoError::new(
        ErrorKind::PasswordResetRequired,
        "Password reset required for the user",
    )
}

/// Who a sign-in names.
pub(crate) enum Subject {
    User(Box<User>),
    /// No such user, and the client hides user existence (PreventUserExistenceErrors): the
    /// flow does the same work as for a real user and then answers like a wrong password.
    Hidden(String),
}

/// The checks on the user a flow names, in Cognito's order: USERNAME present, SECRET_HASH,
/// existence, lockout, confirmation, enabled.
pub(crate) async fn sign_in_user(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    params: &BTreeMap<String, String>,
) -> Result<Subject> {
    let username = params.get("USERNAME").ok_or_else(|| missing("USERNAME"))?;
    let user = ctx.find_user(pool, username).await?;
    // SECRET_HASH is computed over what the client typed, or the internal username.
    let mut names = vec![username.as_str()];
    if let Some(u) = &user {
        names.push(&u.username);
    }
    check_secret_hash(
        client,
        &names,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    let Some(user) = user else {
        return if client.prevent_user_existence_errors {
            Ok(Subject::Hidden(username.clone()))
        } else {
            Err(CognitoError::user_not_found())
        };
    };
    lockout::check(ctx, &user)?;
    if user.status == UserStatus::Unconfirmed {
        return Err(CognitoError::new(
            ErrorKind::UserNotConfirmed,
            "User is not confirmed.",
        ));
    }
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    // An imported user (RESET_REQUIRED, no password yet) is told to reset whatever it typed:
    // there is no password to prove first.
    if user.status == UserStatus::ResetRequired && user.password.is_none() {
        return Err(password_reset_required());
    }
    Ok(Subject::User(Box::new(user)))
}

/// After a proven password (plain or SRP): a reset-required user stops here, everyone else
/// continues to NEW_PASSWORD_REQUIRED, MFA or tokens.
pub(crate) async fn password_accepted(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: User,
) -> Result<AuthOutcome> {
    if user.status == UserStatus::ResetRequired {
        return Err(password_reset_required());
    }
    after_first_factor(ctx, pool, client, user).await
}

/// What follows a correct password: NEW_PASSWORD_REQUIRED for temporary passwords, then the
/// MFA step (`mfa::next_step`), then tokens.
pub(crate) async fn after_first_factor(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: User,
) -> Result<AuthOutcome> {
    let mut parameters = BTreeMap::new();
    parameters.insert("USER_ID_FOR_SRP".to_owned(), user.username.clone());
    let name = if user.status == UserStatus::ForceChangePassword {
        let set_at = user
            .password
            .as_ref()
            .map(|p| p.set_at)
            .unwrap_or(user.created);
        let days = i64::from(pool.password_policy.temporary_password_validity_days.max(1));
        if set_at.plus_secs(days * 86_400) <= ctx.now {
            return Err(CognitoError::not_authorized(
                "Temporary password has expired and must be reset by an administrator.",
            ));
        }
        let attrs: serde_json::Map<String, serde_json::Value> = user
            .attributes
            .iter()
            .filter(|(k, _)| !k.ends_with("_verified"))
            .map(|(k, v)| (k.clone(), serde_json::json!(v)))
            .collect();
        let required: Vec<String> = attributes::missing_required(pool, &user.attributes)
            .iter()
            .map(|n| format!("userAttributes.{n}"))
            .collect();
        parameters.insert(
            "requiredAttributes".into(),
            serde_json::Value::from(required).to_string(),
        );
        parameters.insert(
            "userAttributes".into(),
            serde_json::Value::Object(attrs).to_string(),
        );
        ChallengeName::NewPasswordRequired
    } else {
        match next_step(pool, &user)? {
            NextStep::Tokens => {
                // Only a completed sign-in resets the failure counter: a right password followed
                // by wrong MFA codes keeps counting.
                let mut user = user;
                lockout::record_success(ctx, pool, &mut user).await?;
                return Ok(AuthOutcome::Tokens(
                    issue_for_sign_in(ctx, pool, client, &user).await?,
                ));
            }
            NextStep::Factor(factor) => {
                return factor_challenge(ctx, pool, client, &user, factor).await;
            }
            NextStep::SelectMfaType(choices) => {
                parameters.insert("MFAS_CAN_CHOOSE".into(), factor_list(&choices));
                ChallengeName::SelectMfaType
            }
            NextStep::MfaSetup(choices) => {
                parameters.insert("MFAS_CAN_SETUP".into(), factor_list(&choices));
                ChallengeName::MfaSetup
            }
        }
    };
    challenge(ctx, pool, client, &user.username, name, parameters).await
}

/// The challenge for one MFA factor, with a fresh session: SOFTWARE_TOKEN_MFA names the
/// device; SMS_MFA and EMAIL_OTP send a code bound to the session and say where it went.
pub(crate) async fn factor_challenge(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    factor: MfaFactor,
) -> Result<AuthOutcome> {
    let mut parameters = BTreeMap::new();
    parameters.insert("USER_ID_FOR_SRP".to_owned(), user.username.clone());
    if factor == MfaFactor::SoftwareTokenMfa {
        let device = user
            .mfa
            .software_token
            .as_ref()
            .and_then(|t| t.friendly_device_name.clone())
            .unwrap_or_default();
        parameters.insert("FRIENDLY_DEVICE_NAME".into(), device);
    }
    let mut outcome = challenge(
        ctx,
        pool,
        client,
        &user.username,
        factor.challenge(),
        parameters,
    )
    .await?;
    if factor != MfaFactor::SoftwareTokenMfa {
        if let AuthOutcome::Challenge {
            session,
            parameters,
            ..
        } = &mut outcome
        {
            let sent = send_sign_in_code(ctx, pool, user, factor, session).await?;
            parameters.extend(sent);
        }
    }
    Ok(outcome)
}

/// A challenge response with a fresh session.
pub(crate) async fn challenge(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    username: &str,
    name: ChallengeName,
    parameters: BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    let session = session::issue(
        ctx,
        session::Issue {
            pool_id: &pool.id,
            client_id: &client.client_id,
            username,
            challenge: name,
            stage: SessionStage::Challenge,
            validity_minutes: client.auth_session_validity,
        },
    )
    .await?;
    Ok(AuthOutcome::Challenge {
        name,
        session,
        parameters,
    })
}

/// A factor list as a challenge parameter: a JSON array of wire names.
fn factor_list(factors: &[MfaFactor]) -> String {
    let names: Vec<&str> = factors.iter().map(|f| f.as_str()).collect();
    serde_json::json!(names).to_string()
}
