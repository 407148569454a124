//! InitiateAuth and AdminInitiateAuth: the first step of every sign-in flow.

use std::collections::BTreeMap;

use crate::model::{AppClient, AuthFlow, UserPool};
use crate::service::common::lockout;
use crate::service::common::passwords::upgrade_password_hash;
use crate::service::sign_in::flow::{
    client_for, missing, password_accepted, sign_in_user, unsupported, Api, AuthOutcome, Subject,
};
use crate::service::sign_in::srp::initiate_user_srp_auth;
use crate::service::tokens::issue::refresh;
use crate::service::Ctx;
use crate::{CognitoError, Result};

pub async fn initiate_auth(
    ctx: &Ctx<'_>,
    api: Api<'_>,
    client_id: &str,
    flow: AuthFlow,
    params: &BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    use AuthFlow as F;
    let (pool, client) = client_for(ctx, api, client_id).await?;
    let admin = matches!(api, Api::Admin { .. });
    // The password flows belong to one API each; the others to both.
    match (flow, admin) {
        (F::UserPasswordAuth, true) | (F::AdminUserPasswordAuth | F::AdminNoSrpAuth, false) => {
            return Err(CognitoError::invalid_parameter(
                "Initiate Auth method not supported.",
            ))
        }
        _ => {}
    }
    if !client.allows(flow) && !matches!(api, Api::ManagedLogin) {
        return Err(CognitoError::invalid_parameter(if admin {
            "Auth flow not enabled for this client".to_owned()
        } else {
            format!("{flow} flow not enabled for this client")
        }));
    }
    match flow {
        F::UserPasswordAuth | F::AdminUserPasswordAuth | F::AdminNoSrpAuth => {
            password_auth(ctx, &pool, &client, params).await
        }
        F::RefreshTokenAuth | F::RefreshToken => {
            let token = params
                .get("REFRESH_TOKEN")
                .ok_or_else(|| missing("REFRESH_TOKEN"))?;
            let issued = refresh(
                ctx,
                &client,
                token,
                params.get("SECRET_HASH").map(String::as_str),
            )
            .await?;
            Ok(AuthOutcome::Tokens(issued))
        }
        F::UserSrpAuth => initiate_user_srp_auth(ctx, &pool, &client, params).await,
        F::CustomAuth | F::UserAuth => Err(unsupported(flow.as_str())),
    }
}

/// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: the user's checks, then the password.
async fn password_auth(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    params: &BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    let password = params.get("PASSWORD").ok_or_else(|| missing("PASSWORD"))?;
    let user = match sign_in_user(ctx, pool, client, params).await? {
        Subject::User(user) => user,
        Subject::Hidden(_) => {
            // The same argon2id work as a real check, so timing does not tell.
            ctx.verify_dummy_password(password).await?;
            return Err(CognitoError::incorrect_credentials());
        }
    };
    // Under a flood of sign-ins, refuse before reserving an attempt (a durable write that the
    // refusal would only undo), not after.
    crate::service::offload::ensure_room(ctx.cpu)?;
    let mut user = lockout::reserve(ctx, pool, &user.username).await?;
    let ok = match user.password.clone() {
        Some(p) => {
            let checked = ctx.verify_password(password, &p.phc).await;
            lockout::refund_on_error(ctx, pool, &mut user, checked).await?
        }
        None => false,
    };
    if !ok {
        return Err(CognitoError::incorrect_credentials());
    }
    lockout::refund(ctx, pool, &mut user).await?;
    upgrade_password_hash(ctx, pool, &mut user, password).await?;
    password_accepted(ctx, pool, client, user).await
}
