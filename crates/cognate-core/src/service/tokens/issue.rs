//! Issuing tokens: ID, access and refresh tokens after a sign-in, new ID and access tokens on
//! refresh, and the JWKS document of a pool's keys.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::crypto::{jwt, sha256_hex};
use crate::model::{AppClient, Group, RefreshTokenRecord, Resource, ResourceKind, User, UserPool};
use crate::random::RandomExt;
use crate::service::common::attributes::{can_read, username_key};
use crate::service::common::client_auth::check_secret_hash;
use crate::service::common::key_cache::TokenKeys;
use crate::service::common::keys::pool_keys;
use crate::service::Ctx;
use crate::{CognitoError, Result};

/// The scope of access tokens from a sign-in: they authorise the user's own operations.
pub const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

fn sign_failed(e: jwt::JwtError) -> CognitoError {
    CognitoError::internal(format!("token signing: {e:?}"))
}

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
    /// Whom the tokens are for (the managed login turns a sign-in into an authorization code).
    pub username: String,
    /// The authentication the tokens descend from.
    pub origin_jti: String,
    pub auth_time: i64,
}

/// What an OAuth 2.0 sign-in adds to the tokens: the granted `scope` (in the access token),
/// the client's `nonce` (in the ID token), and the time the user authenticated.
#[derive(Debug, Clone, Default)]
pub struct OAuthClaims {
    pub scope: String,
    pub nonce: Option<String>,
    pub auth_time: i64,
}

impl OAuthClaims {
    /// Whether an ID token is issued (Cognito issues one only for the `openid` scope).
    pub fn wants_id_token(&self) -> bool {
        self.scope.split(' ').any(|s| s == "openid")
    }
}

/// `at_hash`: the left half of the access token's SHA-256, base64url without padding.
pub fn at_hash(access_token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// What an access or refresh token descends from.
struct Lineage {
    origin_jti: String,
    auth_time: i64,
}

/// A new refresh token: 64 random bytes, then (after a `.`) the pool and the user's sub, so
/// that a token whose user was deleted (and its records with it) is still recognised as that
/// user's, as Cognito's self-describing refresh tokens are. Only the stored hash makes a token
/// valid; the readable part decides nothing but the error a dead token gets.
fn refresh_token_string(ctx: &Ctx<'_>, pool: &UserPool, user: &User) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(ctx.random.bytes::<64>()),
        URL_SAFE_NO_PAD.encode(format!("{}/{}", pool.id, user.sub))
    )
}

/// For a refresh token that is not on record: UserNotFoundException when it names a user of
/// the client's pool that no longer exists (unless the client hides whether users exist).
async fn unknown_refresh_token(ctx: &Ctx<'_>, client: &AppClient, token: &str) -> CognitoError {
    let invalid = CognitoError::not_authorized("Invalid Refresh Token");
    let owner = token
        .rsplit_once('.')
        .and_then(|(_, tail)| URL_SAFE_NO_PAD.decode(tail).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some((pool_id, sub)) = owner.as_deref().and_then(|o| o.split_once('/')) else {
        return invalid;
    };
    if pool_id != client.pool_id || client.prevent_user_existence_errors {
        return invalid;
    }
    match ctx.store.get_user_by_sub(pool_id, sub).await {
        Ok(None) => CognitoError::user_not_found(),
        Ok(Some(_)) => invalid,
        Err(e) => e.into(),
    }
}

/// Issues ID, access and refresh tokens after a successful authentication.
pub async fn issue_for_sign_in(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
) -> Result<IssuedTokens> {
    issue_with_refresh(ctx, pool, client, user, ctx.now.secs(), None).await
}

/// Issues tokens for the OAuth 2.0 authorization-code grant: `auth_time` is when the user
/// signed in on the managed login, the access token carries the granted scope, the ID token
/// `nonce` and `at_hash`. The grant's scope is kept for refreshes (`ResourceKind::OAuthGrant`).
pub async fn issue_for_oauth(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    claims: &OAuthClaims,
) -> Result<IssuedTokens> {
    issue_with_refresh(ctx, pool, client, user, claims.auth_time, Some(claims)).await
}

async fn issue_with_refresh(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    auth_time: i64,
    oauth: Option<&OAuthClaims>,
) -> Result<IssuedTokens> {
    let lineage = Lineage {
        origin_jti: ctx.random.uuid(),
        auth_time,
    };
    let refresh = refresh_token_string(ctx, pool, user);
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
    if let Some(o) = oauth {
        ctx.store
            .put_resource(&Resource {
                pool_id: pool.id.clone(),
                kind: ResourceKind::OAuthGrant,
                id: lineage.origin_jti.clone(),
                data: json!({"scope": o.scope}),
            })
            .await?;
    }
    let mut tokens = issue_jwts(ctx, pool, client, user, &lineage, oauth).await?;
    tokens.refresh_token = Some(refresh);
    Ok(tokens)
}

/// The scope an OAuth sign-in granted to the tokens descending from `origin_jti`.
async fn granted_scope(ctx: &Ctx<'_>, pool_id: &str, origin_jti: &str) -> Result<Option<String>> {
    Ok(ctx
        .store
        .get_resource(pool_id, ResourceKind::OAuthGrant, origin_jti)
        .await?
        .and_then(|r| {
            r.data
                .get("scope")
                .and_then(Value::as_str)
                .map(String::from)
        }))
}

async fn issue_jwts(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    lineage: &Lineage,
    oauth: Option<&OAuthClaims>,
) -> Result<IssuedTokens> {
    let iat = ctx.now.secs();
    let iss = ctx.settings.issuer(&pool.id);
    let keys = pool_keys(ctx, &pool.id).await?;
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
    access.insert(
        "scope".into(),
        json!(oauth.map_or(USER_ADMIN_SCOPE, |o| o.scope.as_str())),
    );
    if oauth.is_some() {
        access.insert("version".into(), json!(2));
    }
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
    let (roles, preferred_role) = group_roles(&groups);
    if !roles.is_empty() {
        id.insert("cognito:roles".into(), json!(roles));
    }
    if let Some(role) = preferred_role {
        id.insert("cognito:preferred_role".into(), json!(role));
    }
    for (name, value) in &user.attributes {
        if !can_read(client, name) {
            continue;
        }
        let v = match name.as_str() {
            "email_verified" | "phone_number_verified" => json!(value == "true"),
            _ => json!(value),
        };
        id.insert(name.clone(), v);
    }

    let access_token = jwt::sign(&keys.access, &Value::Object(access)).map_err(sign_failed)?;
    if let Some(o) = oauth {
        id.insert("at_hash".into(), json!(at_hash(&access_token)));
        if let Some(nonce) = &o.nonce {
            id.insert("nonce".into(), json!(nonce));
        }
    }
    Ok(IssuedTokens {
        access_token,
        id_token: jwt::sign(&keys.id, &Value::Object(id)).map_err(sign_failed)?,
        refresh_token: None,
        expires_in: client.access_token_validity.seconds(),
        username: user.username.clone(),
        origin_jti: lineage.origin_jti.clone(),
        auth_time: lineage.auth_time,
    })
}

/// `cognito:roles` and `cognito:preferred_role` of an ID token, from `groups` sorted by
/// precedence (lowest value first, none last). The roles are those of every group that has
/// one; the preferred role is the role of the group with the lowest precedence value among
/// them, and none when groups sharing that precedence name different roles.
pub fn group_roles(groups: &[Group]) -> (Vec<&str>, Option<&str>) {
    let with_roles: Vec<(&Group, &str)> = groups
        .iter()
        .filter_map(|g| g.role_arn.as_deref().map(|r| (g, r)))
        .collect();
    let mut roles: Vec<&str> = Vec::new();
    for (_, role) in &with_roles {
        if !roles.contains(role) {
            roles.push(role);
        }
    }
    let preferred = with_roles.first().and_then(|(first, role)| {
        let tied = with_roles
            .iter()
            .filter(|(g, _)| g.precedence == first.precedence);
        tied.clone().all(|(_, r)| r == role).then_some(*role)
    });
    (roles, preferred)
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
    let record = match ctx
        .store
        .get_refresh_token(&sha256_hex(refresh_token.as_bytes()))
        .await?
    {
        Some(r) if r.client_id == client.client_id => r,
        Some(_) => return Err(invalid()),
        None => return Err(unknown_refresh_token(ctx, client, refresh_token).await),
    };
    let pool = ctx.pool(&record.pool_id).await?;
    // A deleted user: UserNotFoundException, unless the client hides whether users exist.
    let user = ctx
        .store
        .get_user(&pool.id, &username_key(&pool, &record.username))
        .await?
        .ok_or_else(|| {
            if client.prevent_user_existence_errors {
                invalid()
            } else {
                CognitoError::user_not_found()
            }
        })?;
    check_secret_hash(client, &[&user.username, &user.sub], secret_hash)?;
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if record.revoked || record.issued < user.tokens_valid_after {
        return Err(CognitoError::not_authorized(
            "Refresh Token has been revoked",
        ));
    }
    if record.expires <= ctx.now {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    // Tokens of an OAuth sign-in keep its scope (no nonce: that belonged to the sign-in).
    let oauth = granted_scope(ctx, &pool.id, &record.origin_jti)
        .await?
        .map(|scope| OAuthClaims {
            scope,
            nonce: None,
            auth_time: record.auth_time,
        });
    let lineage = Lineage {
        origin_jti: record.origin_jti,
        auth_time: record.auth_time,
    };
    issue_jwts(ctx, &pool, client, &user, &lineage, oauth.as_ref()).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;

    fn group(name: &str, precedence: Option<i64>, role: Option<&str>) -> Group {
        Group {
            pool_id: "p".into(),
            name: name.into(),
            description: None,
            role_arn: role.map(String::from),
            precedence,
            created: Timestamp(0),
            modified: Timestamp(0),
        }
    }

    #[test]
    fn the_lowest_precedence_value_decides_the_preferred_role() {
        let groups = [
            group("a", Some(1), Some("arn:a")),
            group("b", Some(5), Some("arn:b")),
            group("c", None, Some("arn:c")),
            group("d", Some(0), None),
        ];
        let mut sorted = groups.to_vec();
        sorted.sort_by_key(|g| (g.precedence.is_none(), g.precedence));
        let (roles, preferred) = group_roles(&sorted);
        assert_eq!(roles, ["arn:a", "arn:b", "arn:c"]);
        assert_eq!(preferred, Some("arn:a"));
    }

    #[test]
    fn a_tie_between_different_roles_prefers_none() {
        let tie = [
            group("a", Some(1), Some("arn:a")),
            group("b", Some(1), Some("arn:b")),
        ];
        assert_eq!(group_roles(&tie).1, None);
        let same = [
            group("a", Some(1), Some("arn:x")),
            group("b", Some(1), Some("arn:x")),
        ];
        assert_eq!(group_roles(&same), (vec!["arn:x"], Some("arn:x")));
        assert_eq!(group_roles(&[group("a", None, None)]), (vec![], None));
    }
}
