//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge.

use cognate_core::service::auth::{self, Api, AuthOutcome};
use cognate_core::service::Ctx;
use cognate_core::Result;
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
        } => json!({"ChallengeName": name, "Session": session, "ChallengeParameters": parameters}),
    }
}

pub async fn initiate_auth(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let o = auth::initiate_auth(
        ctx,
        Api::Public,
        i.str("ClientId")?,
        i.str("AuthFlow")?,
        &i.str_map("AuthParameters"),
    )
    .await?;
    Ok(outcome(o))
}

pub async fn admin_initiate_auth(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let api = Api::Admin {
        pool_id: i.str("UserPoolId")?,
    };
    let o = auth::initiate_auth(
        ctx,
        api,
        i.str("ClientId")?,
        i.str("AuthFlow")?,
        &i.str_map("AuthParameters"),
    )
    .await?;
    Ok(outcome(o))
}

pub async fn respond_to_auth_challenge(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let o = auth::respond_to_auth_challenge(
        ctx,
        Api::Public,
        i.str("ClientId")?,
        i.str("ChallengeName")?,
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
    let o = auth::respond_to_auth_challenge(
        ctx,
        api,
        i.str("ClientId")?,
        i.str("ChallengeName")?,
        i.opt_str("Session"),
        &i.str_map("ChallengeResponses"),
    )
    .await?;
    Ok(outcome(o))
}
