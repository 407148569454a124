//! Token issue, access-token checks, refresh, revocation and sign-out; the JWKS document.
//!
//! ID and access tokens are RS256 JWTs signed with the pool's two keys (see `keys`). Refresh
//! tokens are opaque random strings stored only as SHA-256; every access and ID token carries
//! the `origin_jti` of the refresh token it descends from, which is what revocation keys on.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::crypto::{jwt, secret_hash, sha256_hex};
use crate::model::{AppClient, RefreshTokenRecord, User, UserPool};
use crate::random::RandomExt;
use crate::service::{Ctx, TokenKeys};
use crate::{CognitoError, ErrorKind, Result};

pub const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// The JWKS served at `/<poolId>/.well-known/jwks.json`: the pool's ID and access token keys.
pub fn jwks(keys: &TokenKeys) -> Value {
    json!({"keys": [keys.id.jwk(), keys.access.jwk()]})
}

#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_token: String,
    pub id_token: String,
    /// Only on a fresh authentication, not on refresh.
    pub refresh_token: Option<String>,
    /// Access-token lifetime in seconds.
    pub expires_in: i64,
}

/// What an access or refresh token descends from.
struct Lineage {
    origin_jti: String,
    auth_time: i64,
}

/// Issues ID, access and refresh tokens after a successful authentication.
pub async fn issue_for_sign_in(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
) -> Result<IssuedTokens> {
    let lineage = Lineage {
        origin_jti: ctx.random.uuid(),
        auth_time: ctx.now.secs(),
    };
    let refresh = URL_SAFE_NO_PAD.encode(ctx.random.bytes::<64>());
    let record = RefreshTokenRecord {
        token_hash: sha256_hex(refresh.as_bytes()),
        pool_id: pool.id.clone(),
        client_id: client.client_id.clone(),
        username: user.username.clone(),
        origin_jti: lineage.origin_jti.clone(),
        auth_time: lineage.auth_time,
        issued: ctx.now,
        expires: ctx.now.plus_secs(client.refresh_token_validity.seconds()),
        revoked: false,
    };
    ctx.store.insert_refresh_token(&record).await?;
    let mut tokens = issue_jwts(ctx, pool, client, user, &lineage).await?;
    tokens.refresh_token = Some(refresh);
    Ok(tokens)
}

async fn issue_jwts(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    lineage: &Lineage,
) -> Result<IssuedTokens> {
    let iat = ctx.now.secs();
    let iss = ctx.settings.issuer(&pool.id);
    let keys = super::keys::pool_keys(ctx, &pool.id).await?;
    let event_id = ctx.random.uuid();
    let mut groups = ctx
        .store
        .list_groups_for_user(&pool.id, &user.username)
        .await?;
    groups.sort_by(|a, b| {
        (a.precedence.is_none(), a.precedence, &a.name).cmp(&(
            b.precedence.is_none(),
            b.precedence,
            &b.name,
        ))
    });
    let group_names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();

    let mut common = Map::new();
    common.insert("sub".into(), json!(user.sub));
    if !group_names.is_empty() {
        common.insert("cognito:groups".into(), json!(group_names));
    }
    common.insert("iss".into(), json!(iss));
    common.insert("event_id".into(), json!(event_id));
    common.insert("auth_time".into(), json!(lineage.auth_time));
    common.insert("iat".into(), json!(iat));
    if client.enable_token_revocation {
        common.insert("origin_jti".into(), json!(lineage.origin_jti));
    }

    let mut access = common.clone();
    access.insert("client_id".into(), json!(client.client_id));
    access.insert("token_use".into(), json!("access"));
    access.insert("scope".into(), json!(USER_ADMIN_SCOPE));
    access.insert(
        "exp".into(),
        json!(iat + client.access_token_validity.seconds()),
    );
    access.insert("jti".into(), json!(ctx.random.uuid()));
    access.insert("username".into(), json!(user.username));

    let mut id = common;
    id.insert("aud".into(), json!(client.client_id));
    id.insert("token_use".into(), json!("id"));
    id.insert("cognito:username".into(), json!(user.username));
    id.insert(
        "exp".into(),
        json!(iat + client.id_token_validity.seconds()),
    );
    id.insert("jti".into(), json!(ctx.random.uuid()));
    for (name, value) in &user.attributes {
        if !client.read_attributes.is_empty() && !client.read_attributes.iter().any(|a| a == name) {
            continue;
        }
        let v = match name.as_str() {
            "email_verified" | "phone_number_verified" => json!(value == "true"),
            _ => json!(value),
        };
        id.insert(name.clone(), v);
    }

    Ok(IssuedTokens {
        access_token: jwt::sign(&keys.access, &Value::Object(access)),
        id_token: jwt::sign(&keys.id, &Value::Object(id)),
        refresh_token: None,
        expires_in: client.access_token_validity.seconds(),
    })
}

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
/// revocation, and that the user still exists and is enabled.
pub async fn authenticate_access_token(ctx: &Ctx<'_>, token: &str) -> Result<Authenticated> {
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
    let keys = super::keys::pool_keys(ctx, &pool.id).await?;
    let claims = jwt::verify(token, &[&keys.access]).map_err(|_| invalid_access())?;
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
    if !str_claim("scope").is_some_and(|s| s.split(' ').any(|s| s == USER_ADMIN_SCOPE)) {
        return Err(CognitoError::not_authorized(
            "Access Token does not have required scopes",
        ));
    }
    let username = str_claim("username").ok_or_else(invalid_access)?;
    let client_id = str_claim("client_id")
        .ok_or_else(invalid_access)?
        .to_owned();
    let revoked = || CognitoError::not_authorized("Access Token has been revoked");
    if let Some(origin) = str_claim("origin_jti") {
        match ctx.store.get_refresh_token_by_origin(origin).await? {
            Some(r) if !r.revoked => {}
            _ => return Err(revoked()),
        }
    }
    let user = ctx
        .store
        .get_user(&pool.id, &super::attributes::username_key(&pool, username))
        .await?
        .ok_or_else(CognitoError::user_not_found)?;
    if user.sub != str_claim("sub").unwrap_or_default() {
        return Err(invalid_access());
    }
    if iat < user.tokens_valid_after.secs() {
        return Err(revoked());
    }
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    Ok(Authenticated {
        pool,
        user,
        client_id,
        claims,
    })
}

/// Checks SECRET_HASH for a client that has a secret. `usernames` are the names the hash may
/// have been computed over (the username typed, the internal username, the sub).
pub fn check_secret_hash(
    client: &AppClient,
    usernames: &[&str],
    received: Option<&str>,
) -> Result<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(received) = received else {
        return Err(CognitoError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.client_id
        )));
    };
    if usernames
        .iter()
        .any(|u| secret_hash::verify(secret, u, &client.client_id, received))
    {
        Ok(())
    } else {
        Err(CognitoError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.client_id
        )))
    }
}

/// REFRESH_TOKEN_AUTH: new ID and access tokens, same `origin_jti` and `auth_time`, no new
/// refresh token.
pub async fn refresh(
    ctx: &Ctx<'_>,
    client: &AppClient,
    refresh_token: &str,
    secret_hash: Option<&str>,
) -> Result<IssuedTokens> {
    let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
    let record = ctx
        .store
        .get_refresh_token(&sha256_hex(refresh_token.as_bytes()))
        .await?
        .filter(|r| r.client_id == client.client_id)
        .ok_or_else(invalid)?;
    let pool = ctx.pool(&record.pool_id).await?;
    let user = ctx
        .store
        .get_user(
            &pool.id,
            &super::attributes::username_key(&pool, &record.username),
        )
        .await?
        .ok_or_else(invalid)?;
    check_secret_hash(client, &[&user.username, &user.sub], secret_hash)?;
    if record.revoked || record.issued < user.tokens_valid_after {
        return Err(CognitoError::not_authorized(
            "Refresh Token has been revoked",
        ));
    }
    if record.expires <= ctx.now {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    let lineage = Lineage {
        origin_jti: record.origin_jti,
        auth_time: record.auth_time,
    };
    issue_jwts(ctx, &pool, client, &user, &lineage).await
}

/// RevokeToken: revokes a refresh token and every token descended from it.
pub async fn revoke_token(
    ctx: &Ctx<'_>,
    token: &str,
    client_id: &str,
    client_secret: Option<&str>,
) -> Result<()> {
    let client = ctx
        .store
        .get_client(client_id)
        .await?
        .ok_or_else(|| CognitoError::new(ErrorKind::Unauthorized, "Invalid client"))?;
    if let Some(secret) = &client.secret {
        if !client_secret.is_some_and(|s| crate::crypto::ct_eq(s.as_bytes(), secret.as_bytes())) {
            return Err(CognitoError::new(
                ErrorKind::Unauthorized,
                "Invalid client secret",
            ));
        }
    }
    if !client.enable_token_revocation {
        return Err(CognitoError::new(
            ErrorKind::UnsupportedOperation,
            "Token revocation is not enabled for this app client.",
        ));
    }
    if jwt::peek_claims(token).is_some() {
        return Err(CognitoError::new(
            ErrorKind::UnsupportedTokenType,
            "Only refresh tokens can be revoked.",
        ));
    }
    // An unknown token is not an error (RFC 7009 §2.2); another client's token is refused.
    if let Some(r) = ctx
        .store
        .get_refresh_token(&sha256_hex(token.as_bytes()))
        .await?
    {
        if r.client_id != client.client_id {
            return Err(CognitoError::new(
                ErrorKind::Unauthorized,
                "The token was not issued to this client.",
            ));
        }
        ctx.store.revoke_refresh_token(&r.origin_jti).await?;
    }
    Ok(())
}

/// GlobalSignOut / AdminUserGlobalSignOut: revokes every refresh token of the user and every
/// access and ID token issued before now.
pub async fn sign_out_everywhere(ctx: &Ctx<'_>, pool: &UserPool, mut user: User) -> Result<()> {
    ctx.store
        .revoke_user_refresh_tokens(&pool.id, &user.username)
        .await?;
    // Tokens carry second-resolution `iat`; those issued earlier in this second stay revoked
    // through their refresh token's record.
    user.tokens_valid_after = ctx.now;
    ctx.save_user(pool, &mut user).await
}
