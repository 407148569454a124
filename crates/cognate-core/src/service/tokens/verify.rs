//! Verifying access tokens: what every token-authorised operation checks.

use serde_json::Value;

use crate::crypto::jwt;
use crate::model::{User, UserPool};
use crate::service::common::attributes::username_key;
use crate::service::common::keys::pool_keys;
use crate::service::tokens::issue::USER_ADMIN_SCOPE;
use crate::service::Ctx;
use crate::{CognitoError, Result};

/// A verified access token and the user it belongs to.
pub struct Authenticated {
    pub pool: UserPool,
    pub user: User,
    pub client_id: String,
    pub claims: Value,
}

fn invalid_access() -> CognitoError {
    CognitoError::not_authorized("Invalid Access Token")
}

/// The checks every token-authorised operation makes: signature, `token_use`, expiry, scope,
/// that the user still exists and is enabled, and revocation.
pub async fn authenticate_access_token(ctx: &Ctx<'_>, token: &str) -> Result<Authenticated> {
    authenticate_with_scope(ctx, token, USER_ADMIN_SCOPE).await
}

/// `/oauth2/userInfo`: the same checks, with the `openid` scope required instead.
pub async fn authenticate_for_user_info(ctx: &Ctx<'_>, token: &str) -> Result<Authenticated> {
    authenticate_with_scope(ctx, token, "openid").await
}

async fn authenticate_with_scope(
    ctx: &Ctx<'_>,
    token: &str,
    required_scope: &str,
) -> Result<Authenticated> {
    // The issuer names the pool whose key must have signed the token; read it unverified
    // only to pick that key.
    let unverified = jwt::peek_claims(token).ok_or_else(invalid_access)?;
    let pool_id = unverified
        .get("iss")
        .and_then(Value::as_str)
        .and_then(|iss| iss.rsplit_once('/'))
        .map(|(_, id)| id.to_owned())
        .ok_or_else(invalid_access)?;
    let pool = ctx
        .store
        .get_pool(&pool_id)
        .await?
        .ok_or_else(invalid_access)?;
    let keys = pool_keys(ctx, &pool.id).await?;
    // A token verified before needs no second RSA verification (`verified_tokens`); every
    // other check below runs on each call.
    let claims = if ctx.keys.verified.contains(token) {
        jwt::peek_claims(token).ok_or_else(invalid_access)?
    } else {
        let claims = jwt::verify(token, &[&keys.access]).map_err(|_| invalid_access())?;
        ctx.keys.verified.insert(token);
        claims
    };
    let str_claim = |k: &str| claims.get(k).and_then(Value::as_str);
    if str_claim("token_use") != Some("access")
        || str_claim("iss") != Some(ctx.settings.issuer(&pool.id).as_str())
    {
        return Err(invalid_access());
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(invalid_access)?;
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or_else(invalid_access)?;
    if exp <= ctx.now.secs() {
        return Err(CognitoError::not_authorized("Access Token has expired"));
    }
    if !str_claim("scope").is_some_and(|s| s.split(' ').any(|s| s == required_scope)) {
        return Err(CognitoError::not_authorized(
            "Access Token does not have required scopes",
        ));
    }
    let username = str_claim("username").ok_or_else(invalid_access)?;
    let client_id = str_claim("client_id")
        .ok_or_else(invalid_access)?
        .to_owned();
    let user = ctx
        .store
        .get_user(&pool.id, &username_key(&pool, username))
        .await?
        .ok_or_else(CognitoError::user_not_found)?;
    if user.sub != str_claim("sub").unwrap_or_default() {
        return Err(invalid_access());
    }
    // A disabled user's tokens were revoked when it was disabled; while it stays disabled,
    // that is the answer.
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    let revoked = || CognitoError::not_authorized("Access Token has been revoked");
    if let Some(origin) = str_claim("origin_jti") {
        match ctx.store.get_refresh_token_by_origin(origin).await? {
            Some(r) if !r.revoked => {}
            _ => return Err(revoked()),
        }
    }
    // `iat` has whole seconds; sign-out time has milliseconds. A token with an `origin_jti` is
    // revoked through its refresh token's record even when issued earlier in the sign-out's
    // second; one without (revocation disabled on the client) is refused for that whole second.
    let signed_out = user.tokens_valid_after.secs();
    let issued_before = if str_claim("origin_jti").is_some() {
        iat < signed_out
    } else {
        iat <= signed_out
    };
    if issued_before {
        return Err(revoked());
    }
    Ok(Authenticated {
        pool,
        user,
        client_id,
        claims,
    })
}
