//! RespondToAuthChallenge and AdminRespondToAuthChallenge: every challenge is named here and
//! either answered (after its session is checked against the client, the challenge, the user
//! and SECRET_HASH) or refused as not implemented.

use std::collections::BTreeMap;

use crate::model::{ChallengeName, MfaFactor};
use crate::service::common::client_auth::check_secret_hash;
use crate::service::common::session;
use crate::service::sign_in::challenges::{self, Step};
use crate::service::sign_in::flow::{client_for, missing, unsupported, Api, AuthOutcome};
use crate::service::sign_in::srp::password_verifier;
use crate::service::Ctx;
use crate::{CognitoError, Result};

/// The challenges answered with a stored session (PASSWORD_VERIFIER carries its own).
enum Answer {
    NewPasswordRequired,
    SoftwareTokenMfa,
    CodeMfa(MfaFactor),
    MfaSetup,
    SelectMfaType,
}

pub async fn respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    api: Api<'_>,
    client_id: &str,
    challenge_name: ChallengeName,
    session_str: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    use ChallengeName as C;
    let (pool, client) = client_for(ctx, api, client_id).await?;
    let answer = match challenge_name {
        C::NewPasswordRequired => Answer::NewPasswordRequired,
        C::SoftwareTokenMfa => Answer::SoftwareTokenMfa,
        C::SmsMfa => Answer::CodeMfa(MfaFactor::SmsMfa),
        C::EmailOtp => Answer::CodeMfa(MfaFactor::EmailOtp),
        C::MfaSetup => Answer::MfaSetup,
        C::SelectMfaType => Answer::SelectMfaType,
        // The Session is optional here: the SECRET_BLOCK carries the state.
        C::PasswordVerifier => return password_verifier(ctx, &pool, &client, responses).await,
        C::CustomChallenge
        | C::SelectChallenge
        | C::DeviceSrpAuth
        | C::DevicePasswordVerifier
        | C::AdminNoSrpAuth
        | C::SmsOtp
        | C::Password
        | C::WebAuthn
        | C::PasswordSrp => {
            return Err(unsupported(&format!("the {challenge_name} challenge")));
        }
    };
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
    // The user may have been disabled since the challenge was issued.
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    let typed_matches = ctx
        .find_user(&pool, username)
        .await?
        .is_some_and(|u| u.username == user.username);
    if !typed_matches {
        return Err(invalid());
    }
    check_secret_hash(
        &client,
        &[username, &user.username],
        responses.get("SECRET_HASH").map(String::as_str),
    )?;
    let step = Step {
        ctx,
        pool: &pool,
        client: &client,
        session: &state,
        session_str,
        responses,
    };
    match answer {
        Answer::NewPasswordRequired => challenges::new_password_required(step, user).await,
        Answer::SoftwareTokenMfa => challenges::software_token_mfa(step, user).await,
        Answer::CodeMfa(factor) => challenges::code_mfa(step, user, factor).await,
        Answer::MfaSetup => challenges::mfa_setup(step, user).await,
        Answer::SelectMfaType => challenges::select_mfa_type(step, user).await,
    }
}
