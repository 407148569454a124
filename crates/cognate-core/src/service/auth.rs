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
use crate::service::tokens::{self, IssuedTokens};
use crate::service::{lockout, session, Ctx};
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
            other => Err(unsupported(other)),
        };
    }
    let username = params.get("USERNAME").ok_or_else(|| missing("USERNAME"))?;
    let password = params.get("PASSWORD").ok_or_else(|| missing("PASSWORD"))?;
    let user = ctx.find_user(&pool, username).await?;
    // SECRET_HASH is computed over what the client typed, or the internal username.
    let mut names = vec![username.as_str()];
    if let Some(u) = &user {
        names.push(&u.username);
    }
    tokens::check_secret_hash(
        &client,
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
    let user = verify_password(ctx, &pool, user, password).await?;
    after_first_factor(ctx, &pool, &client, user).await
}

/// Steps 6–10 of the sign-in precedence: lockout, confirmation, enabled, password, reset.
async fn verify_password(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    mut user: User,
    password: &str,
) -> Result<User> {
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
    let ok = match &user.password {
        Some(p) => ctx.hasher.verify(password.to_owned(), p.phc.clone()).await,
        None => false,
    };
    if !ok {
        lockout::record_failure(ctx, pool, &mut user).await?;
        return Err(CognitoError::incorrect_credentials());
    }
    lockout::record_success(ctx, pool, &mut user).await?;
    if user.status == UserStatus::ResetRequired {
        return Err(CognitoError::new(
            ErrorKind::PasswordResetRequired,
            "Password reset required for the user",
        ));
    }
    Ok(user)
}

/// What follows a correct password: NEW_PASSWORD_REQUIRED for temporary passwords, else tokens.
async fn after_first_factor(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: User,
) -> Result<AuthOutcome> {
    if user.status == UserStatus::ForceChangePassword {
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
        let mut parameters = BTreeMap::new();
        parameters.insert("USER_ID_FOR_SRP".into(), user.username.clone());
        parameters.insert("requiredAttributes".into(), "[]".into());
        parameters.insert(
            "userAttributes".into(),
            serde_json::Value::Object(attrs).to_string(),
        );
        return Ok(AuthOutcome::Challenge {
            name: "NEW_PASSWORD_REQUIRED".into(),
            session: session::issue(
                ctx,
                &pool.id,
                &client.client_id,
                &user.username,
                "NEW_PASSWORD_REQUIRED",
                client.auth_session_validity,
            ),
            parameters,
        });
    }
    Ok(AuthOutcome::Tokens(
        tokens::issue_for_sign_in(ctx, pool, client, &user).await?,
    ))
}

pub async fn respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    api: Api<'_>,
    client_id: &str,
    challenge: &str,
    session_str: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    let (pool, client) = client_for(ctx, api, client_id).await?;
    match challenge {
        "NEW_PASSWORD_REQUIRED" => {}
        "SMS_MFA"
        | "SOFTWARE_TOKEN_MFA"
        | "SELECT_MFA_TYPE"
        | "MFA_SETUP"
        | "PASSWORD_VERIFIER"
        | "CUSTOM_CHALLENGE"
        | "DEVICE_SRP_AUTH"
        | "DEVICE_PASSWORD_VERIFIER"
        | "EMAIL_OTP"
        | "SMS_OTP"
        | "SELECT_CHALLENGE"
        | "WEB_AUTHN"
        | "PASSWORD"
        | "PASSWORD_SRP" => return Err(unsupported(&format!("the {challenge} challenge"))),
        _ => {
            return Err(CognitoError::invalid_parameter(format!(
                "Unknown challenge name {challenge}"
            )))
        }
    }
    let username = responses
        .get("USERNAME")
        .ok_or_else(|| missing("USERNAME"))?;
    let new_password = responses
        .get("NEW_PASSWORD")
        .ok_or_else(|| missing("NEW_PASSWORD"))?;
    let state = session::open(
        ctx,
        session_str.ok_or_else(|| missing("Session"))?,
        &client.client_id,
        challenge,
    )?;
    if state.pool_id != pool.id {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user.",
        ));
    }
    let mut user = ctx.user(&pool, &state.username).await?;
    let typed_matches = ctx
        .find_user(&pool, username)
        .await?
        .is_some_and(|u| u.username == user.username);
    if !typed_matches {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user.",
        ));
    }
    tokens::check_secret_hash(
        &client,
        &[username, &user.username],
        responses.get("SECRET_HASH").map(String::as_str),
    )?;
    if user.status != UserStatus::ForceChangePassword {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user.",
        ));
    }
    let attrs: Vec<(String, String)> = responses
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.")
                .map(|n| (n.to_owned(), v.clone()))
        })
        .collect();
    super::attributes::check_writes(&pool, &attrs, super::attributes::Writer::User, false)?;
    super::attributes::apply_writes(&mut user, &attrs);
    super::passwords::set_password(ctx, &pool, &mut user, new_password, false).await?;
    user.status = UserStatus::Confirmed;
    ctx.save_user(&pool, &mut user).await?;
    after_first_factor(ctx, &pool, &client, user).await
}
