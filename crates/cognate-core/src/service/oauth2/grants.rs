//! The token endpoint's grants: `authorization_code` (with PKCE), `refresh_token` and
//! `client_credentials`. The client has been authenticated (`client::authenticate_client`).

use serde_json::{json, Value};

use crate::crypto::{jwt, secret_hash, sha256_hex};
use crate::model::AppClient;
use crate::random::RandomExt;
use crate::service::common::attributes::username_key;
use crate::service::common::keys::pool_keys;
use crate::service::oauth2::client::{OAuthConfig, OAuthFlow};
use crate::service::oauth2::codes::redeem_code;
use crate::service::oauth2::{pkce, OAuthError};
use crate::service::tokens::issue::{issue_for_oauth, refresh, IssuedTokens, OAuthClaims};
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind};

type Grant<T> = Result<T, OAuthError>;

/// `grant_type=authorization_code`: the code is used up whatever follows; the client, the
/// redirect URI and the PKCE verifier must match what the authorization request carried.
/// Returns the tokens and whether an ID token belongs in the answer (`openid` scope).
pub async fn authorization_code(
    ctx: &Ctx<'_>,
    client: &AppClient,
    config: &OAuthConfig,
    code: &str,
    redirect_uri: Option<&str>,
    code_verifier: Option<&str>,
) -> Grant<(IssuedTokens, bool)> {
    if !config.allows(OAuthFlow::Code) {
        return Err(OAuthError::UNAUTHORIZED_CLIENT);
    }
    let grant = redeem_code(ctx, &client.pool_id, code).await?;
    if grant.client_id != client.client_id || redirect_uri != Some(grant.redirect_uri.as_str()) {
        return Err(OAuthError::INVALID_GRANT);
    }
    if let Some(challenge) = &grant.code_challenge {
        let method = grant.method().ok_or(OAuthError::INVALID_GRANT)?;
        let verifier = code_verifier.ok_or(OAuthError::INVALID_GRANT)?;
        if !pkce::verify(method, challenge, verifier) {
            return Err(OAuthError::INVALID_GRANT);
        }
    }
    let pool = ctx.pool(&client.pool_id).await?;
    let user = ctx
        .store
        .get_user(&pool.id, &username_key(&pool, &grant.username))
        .await?
        .filter(|u| u.enabled)
        .ok_or(OAuthError::INVALID_GRANT)?;
    let claims = OAuthClaims {
        scope: grant.scope.clone(),
        nonce: grant.nonce.clone(),
        auth_time: grant.auth_time,
    };
    let tokens = issue_for_oauth(ctx, &pool, client, &user, &claims).await?;
    Ok((tokens, claims.wants_id_token()))
}

/// `grant_type=refresh_token`: new ID and access tokens (the grant's scope is kept).
pub async fn refresh_token(ctx: &Ctx<'_>, client: &AppClient, token: &str) -> Grant<IssuedTokens> {
    // The client authenticated with its secret already; SECRET_HASH is derived from it.
    let hash = match (
        &client.secret,
        ctx.store
            .get_refresh_token(&sha256_hex(token.as_bytes()))
            .await?,
    ) {
        (Some(secret), Some(record)) => Some(secret_hash::compute(
            secret,
            &record.username,
            &client.client_id,
        )),
        _ => None,
    };
    match refresh(ctx, client, token, hash.as_deref()).await {
        Ok(t) => Ok(t),
        Err(e) if e.kind == ErrorKind::InternalError => Err(e.into()),
        Err(_) => Err(OAuthError::INVALID_GRANT),
    }
}

/// `grant_type=client_credentials`: an access token for the client itself. `requested` must
/// name scopes the client allows; `custom_scopes` are the scopes the pool's resource servers
/// define (`identifier/name`), the only kind this grant gives. None requested: every allowed
/// custom scope. Returns the token, its scope and lifetime.
pub async fn client_credentials(
    ctx: &Ctx<'_>,
    client: &AppClient,
    config: &OAuthConfig,
    requested: Option<&str>,
    custom_scopes: &[String],
) -> Grant<(String, i64)> {
    if client.secret.is_none() || !config.allows(OAuthFlow::ClientCredentials) {
        return Err(OAuthError::UNAUTHORIZED_CLIENT);
    }
    let scopes: Vec<String> = config
        .grant_scopes(requested)
        .ok_or(OAuthError::INVALID_SCOPE)?
        .into_iter()
        .filter(|s| custom_scopes.contains(s))
        .collect();
    if scopes.is_empty() {
        return Err(OAuthError::INVALID_SCOPE);
    }
    let keys = pool_keys(ctx, &client.pool_id).await?;
    let iat = ctx.now.secs();
    let expires_in = client.access_token_validity.seconds();
    let claims: Value = json!({
        "sub": client.client_id,
        "token_use": "access",
        "scope": scopes.join(" "),
        "auth_time": iat,
        "iss": ctx.settings.issuer(&client.pool_id),
        "exp": iat + expires_in,
        "iat": iat,
        "version": 2,
        "jti": ctx.random.uuid(),
        "client_id": client.client_id,
    });
    let token = jwt::sign(&keys.access, &claims)
        .map_err(|e| CognitoError::internal(format!("token signing: {e:?}")))?;
    Ok((token, expires_in))
}
