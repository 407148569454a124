//! InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge / AdminRespondToAuthChallenge:
//! the sign-in state machine.
//!
//! ```text
//! password flow ─► checks (§4.8 order) ─► FORCE_CHANGE_PASSWORD? ─► NEW_PASSWORD_REQUIRED ─┐
//!                                     └─────────────────────────────────────────────────────┴─► tokens
//! REFRESH_TOKEN(_AUTH) ─► tokens (no new refresh token)
//! ```

use std::collections::BTreeMap;

use crate::model::{AppClient, User, UserPool, UserStatus};
use crate::service::mfa_preferences::{next_step, NextStep};
use crate::service::tokens::{self, IssuedTokens};
use crate::service::{challenges, lockout, session, Ctx};
use crate::{CognitoError, ErrorKind, Result};

#[derive(Debug, Clone)]
pub enum AuthOutcome {
    Tokens(IssuedTokens),
    Challenge {
        name: String,
        session: String,
        parameters: BTreeMap<String, String>,
    },
}

/// Which API was called: the public one, or the administrator's with its pool id.
#[derive(Debug, Clone, Copy)]
pub enum Api<'a> {
    Public,
    Admin { pool_id: &'a str },
}

async fn client_for(ctx: &Ctx<'_>, api: Api<'_>, client_id: &str) -> Result<(UserPool, AppClient)> {
    match api {
        Api::Public => {
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

fn missing(name: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
}

fn unsupported(what: &str) -> CognitoError {
    CognitoError::new(
        ErrorKind::UnsupportedOperation,
        format!("Cognate does not implement {what} yet."),
    )
}

pub async fn initiate_auth(
    ctx: &Ctx<'_>,
    api: Api<'_>,
    client_id: &str,
    flow: &str,
    params: &BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    let (pool, client) = client_for(ctx, api, client_id).await?;
    let admin = matches!(api, Api::Admin { .. });
    let (flag, password_flow) = match (flow, admin) {
        ("USER_PASSWORD_AUTH", false) => ("ALLOW_USER_PASSWORD_AUTH", true),
        ("ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH", true) => {
            ("ALLOW_ADMIN_USER_PASSWORD_AUTH", true)
        }
        ("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN", _) => ("ALLOW_REFRESH_TOKEN_AUTH", false),
        ("USER_SRP_AUTH", _) => ("ALLOW_USER_SRP_AUTH", false),
        ("CUSTOM_AUTH", _) => ("ALLOW_CUSTOM_AUTH", false),
        ("USER_AUTH", _) => ("ALLOW_USER_AUTH", false),
        _ => {
            return Err(CognitoError::invalid_parameter(
                "Initiate Auth method not supported.",
            ))
        }
    };
    if !client.allows(flag) {
        return Err(CognitoError::invalid_parameter(if admin {
            "Auth flow not enabled for this client".to_owned()
        } else {
            format!("{flow} flow not enabled for this client")
        }));
    }
    if !password_flow {
        return match flow {
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                let token = params
                    .get("REFRESH_TOKEN")
                    .ok_or_else(|| missing("REFRESH_TOKEN"))?;
                let issued = tokens::refresh(
                    ctx,
                    &client,
                    token,
                    params.get("SECRET_HASH").map(String::as_str),
                )
                .await?;
                Ok(AuthOutcome::Tokens(issued))
            }
            "USER_SRP_AUTH" => {
                super::srp_auth::initiate_user_srp_auth(ctx, &pool, &client, params).await
            }
            other => Err(unsupported(other)),
        };
    }
    let password = params.get("PASSWORD").ok_or_else(|| missing("PASSWORD"))?;
    let mut user = sign_in_user(ctx, &pool, &client, params).await?;
    let ok = match &user.password {
        Some(p) => ctx.verify_password(password, &p.phc).await,
        None => false,
    };
    if !ok {
        lockout::record_failure(ctx, &pool, &mut user).await?;
        return Err(CognitoError::incorrect_credentials());
    }
    password_accepted(ctx, &pool, &client, user).await
}

/// Steps 3–8 of the sign-in precedence (spec §4.8) for a flow that names a user: USERNAME,
/// SECRET_HASH, existence, lockout, confirmation, enabled.
pub(crate) async fn sign_in_user(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    params: &BTreeMap<String, String>,
) -> Result<User> {
    let username = params.get("USERNAME").ok_or_else(|| missing("USERNAME"))?;
    let user = ctx.find_user(pool, username).await?;
    // SECRET_HASH is computed over what the client typed, or the internal username.
    let mut names = vec![username.as_str()];
    if let Some(u) = &user {
        names.push(&u.username);
    }
    tokens::check_secret_hash(
        client,
        &names,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    let Some(user) = user else {
        return Err(if client.prevent_user_existence_errors {
            CognitoError::incorrect_credentials()
        } else {
            CognitoError::user_not_found()
        });
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
    Ok(user)
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
        return Err(CognitoError::new(
            ErrorKind::PasswordResetRequired,
            "Password reset required for the user",
        ));
    }
    after_first_factor(ctx, pool, client, user).await
}

/// What follows a correct password: NEW_PASSWORD_REQUIRED for temporary passwords, then the
/// MFA step of spec §3.7, then tokens.
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
        parameters.insert("requiredAttributes".into(), "[]".into());
        parameters.insert(
            "userAttributes".into(),
            serde_json::Value::Object(attrs).to_string(),
        );
        "NEW_PASSWORD_REQUIRED"
    } else {
        match next_step(pool, &user)? {
            NextStep::Tokens => {
                // Only a completed sign-in resets the failure counter: a right password followed
                // by wrong MFA codes keeps counting.
                let mut user = user;
                lockout::record_success(ctx, pool, &mut user).await?;
                return Ok(AuthOutcome::Tokens(
                    tokens::issue_for_sign_in(ctx, pool, client, &user).await?,
                ));
            }
            NextStep::SoftwareTokenMfa => {
                let device = user
                    .mfa
                    .software_token
                    .as_ref()
                    .and_then(|t| t.friendly_device_name.clone())
                    .unwrap_or_default();
                parameters.insert("FRIENDLY_DEVICE_NAME".into(), device);
                "SOFTWARE_TOKEN_MFA"
            }
            NextStep::SelectMfaType(choices) => {
                parameters.insert(
                    "MFAS_CAN_CHOOSE".into(),
                    serde_json::json!(choices).to_string(),
                );
                "SELECT_MFA_TYPE"
            }
            NextStep::MfaSetup(choices) => {
                parameters.insert(
                    "MFAS_CAN_SETUP".into(),
                    serde_json::json!(choices).to_string(),
                );
                "MFA_SETUP"
            }
        }
    };
    challenge(ctx, pool, client, &user.username, name, parameters).await
}

/// A challenge response with a fresh session.
pub(crate) async fn challenge(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    username: &str,
    name: &str,
    parameters: BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    let session = session::issue(
        ctx,
        session::Issue {
            pool_id: &pool.id,
            client_id: &client.client_id,
            username,
            challenge: name,
            stage: session::STAGE_CHALLENGE,
            validity_minutes: client.auth_session_validity,
        },
    )
    .await?;
    Ok(AuthOutcome::Challenge {
        name: name.to_owned(),
        session,
        parameters,
    })
}

pub async fn respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    api: Api<'_>,
    client_id: &str,
    challenge_name: &str,
    session_str: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    let (pool, client) = client_for(ctx, api, client_id).await?;
    match challenge_name {
        "NEW_PASSWORD_REQUIRED" | "SOFTWARE_TOKEN_MFA" | "MFA_SETUP" | "SELECT_MFA_TYPE" => {}
        // The Session is optional here: the SECRET_BLOCK carries the state.
        "PASSWORD_VERIFIER" => {
            return super::srp_auth::password_verifier(ctx, &pool, &client, responses).await
        }
        "SMS_MFA"
        | "CUSTOM_CHALLENGE"
        | "DEVICE_SRP_AUTH"
        | "DEVICE_PASSWORD_VERIFIER"
        | "EMAIL_OTP"
        | "SMS_OTP"
        | "SELECT_CHALLENGE"
        | "WEB_AUTHN"
        | "PASSWORD"
        | "PASSWORD_SRP" => return Err(unsupported(&format!("the {challenge_name} challenge"))),
        _ => {
            return Err(CognitoError::invalid_parameter(format!(
                "Unknown challenge name {challenge_name}"
            )))
        }
    }
    let username = responses
        .get("USERNAME")
        .ok_or_else(|| missing("USERNAME"))?;
    let session_str = session_str.ok_or_else(|| missing("Session"))?;
    let state = session::open(ctx, session_str, Some(&client.client_id), challenge_name).await?;
    let invalid = || CognitoError::not_authorized("Invalid session for the user.");
    if state.pool_id != pool.id {
        return Err(invalid());
    }
    let user = ctx.user(&pool, &state.username).await?;
    let typed_matches = ctx
        .find_user(&pool, username)
        .await?
        .is_some_and(|u| u.username == user.username);
    if !typed_matches {
        return Err(invalid());
    }
    tokens::check_secret_hash(
        &client,
        &[username, &user.username],
        responses.get("SECRET_HASH").map(String::as_str),
    )?;
    let step = challenges::Step {
        ctx,
        pool: &pool,
        client: &client,
        session: &state,
        responses,
    };
    match challenge_name {
        "NEW_PASSWORD_REQUIRED" => challenges::new_password_required(step, user).await,
        "SOFTWARE_TOKEN_MFA" => challenges::software_token_mfa(step, user).await,
        "MFA_SETUP" => challenges::mfa_setup(step, user).await,
        _ => challenges::select_mfa_type(step, user).await,
    }
}
