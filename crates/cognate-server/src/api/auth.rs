//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge.

use cognate_core::model::{AuthFlow, ChallengeName};
use cognate_core::service::sign_in::flow::{Api, AuthOutcome};
use cognate_core::service::sign_in::initiate_auth as initiate;
use cognate_core::service::sign_in::respond_to_auth_challenge as respond;
use cognate_core::service::Ctx;
use cognate_core::{CognitoError, Result};
use serde_json::{json, Value};

use super::Input;

fn outcome(o: AuthOutcome) -> Value {
    match o {
        AuthOutcome::Tokens(t) => {
            let mut result = json!({
                "AccessToken": t.access_token,
                "ExpiresIn": t.expires_in,
                "TokenType": "Bearer",
                "IdToken": t.id_token,
            });
            if let Some(r) = t.refresh_token {
                result["RefreshToken"] = json!(r);
            }
            json!({"ChallengeParameters": {}, "AuthenticationResult": result})
        }
        AuthOutcome::Challenge {
            name,
            session,
            parameters,
        } => json!({
            "ChallengeName": name.as_str(),
            "Session": session,
            "ChallengeParameters": parameters
        }),
    }
}

fn auth_flow(i: &Input<'_>) -> Result<AuthFlow> {
    AuthFlow::parse(i.str("AuthFlow")?)
        .ok_or_else(|| CognitoError::invalid_parameter("Initiate Auth method not supported."))
}

fn challenge_name(i: &Input<'_>) -> Result<ChallengeName> {
    let name = i.str("ChallengeName")?;
    ChallengeName::parse(name)
        .ok_or_else(|| CognitoError::invalid_parameter(format!("Unknown challenge name {name}")))
}

pub async fn initiate_auth(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let o = initiate::initiate_auth(
        ctx,
        Api::Public,
        i.str("ClientId")?,
        auth_flow(i)?,
        &i.str_map("AuthParameters"),
    )
    .await?;
    Ok(outcome(o))
}

pub async fn admin_initiate_auth(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let api = Api::Admin {
        pool_id: i.str("UserPoolId")?,
    };
    let o = initiate::initiate_auth(
        ctx,
        api,
        i.str("ClientId")?,
        auth_flow(i)?,
        &i.str_map("AuthParameters"),
    )
    .await?;
    Ok(outcome(o))
}

pub async fn respond_to_auth_challenge(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let o = respond::respond_to_auth_challenge(
        ctx,
        Api::Public,
        i.str("ClientId")?,
        challenge_name(i)?,
        i.opt_str("Session"),
        &i.str_map("ChallengeResponses"),
    )
    .await?;
    Ok(outcome(o))
}

pub async fn admin_respond_to_auth_challenge(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let api = Api::Admin {
        pool_id: i.str("UserPoolId")?,
    };
    let o = respond::respond_to_auth_challenge(
        ctx,
        api,
        i.str("ClientId")?,
        challenge_name(i)?,
        i.opt_str("Session"),
        &i.str_map("ChallengeResponses"),
    )
    .await?;
    Ok(outcome(o))
}
