//! Managed-login browser sessions: after a sign-in on the managed login pages, the browser
//! holds a random cookie value; the pool keeps its SHA-256 (`ResourceKind::LoginSession`) with
//! the user and the time of authentication, so that a later `/oauth2/authorize` (without
//! `prompt=login`) signs the user in again without a password, as Cognito's hosted UI does,
//! until `/logout` or the end of the session's hour.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::crypto::sha256_hex;
use crate::model::{Resource, ResourceKind};
use crate::random::RandomExt;
use crate::service::tokens::issue::IssuedTokens;
use crate::service::Ctx;
use crate::Result;

/// How long a managed-login session lasts (Cognito: one hour).
pub const SESSION_VALIDITY_SECS: i64 = 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginSession {
    pub username: String,
    pub auth_time: i64,
    /// Epoch milliseconds.
    pub expires: i64,
}

/// Turns a completed sign-in of the managed login into a browser session. The sign-in's own
/// tokens are never handed out (the client gets tokens from the code), so its refresh token
/// is revoked at once. Returns the cookie value.
pub async fn start(ctx: &Ctx<'_>, pool_id: &str, signed_in: &IssuedTokens) -> Result<String> {
    ctx.store
        .revoke_refresh_token(&signed_in.origin_jti)
        .await?;
    let cookie = URL_SAFE_NO_PAD.encode(ctx.random.bytes::<32>());
    let session = LoginSession {
        username: signed_in.username.clone(),
        auth_time: signed_in.auth_time,
        expires: ctx.now.plus_secs(SESSION_VALIDITY_SECS).0,
    };
    let data = serde_json::to_value(&session)
        .map_err(|e| crate::CognitoError::internal(format!("encoding a login session: {e}")))?;
    ctx.store
        .put_resource(&Resource {
            pool_id: pool_id.to_owned(),
            kind: ResourceKind::LoginSession,
            id: sha256_hex(cookie.as_bytes()),
            data,
        })
        .await?;
    Ok(cookie)
}

/// The live session a cookie names, if any.
pub async fn find(ctx: &Ctx<'_>, pool_id: &str, cookie: &str) -> Result<Option<LoginSession>> {
    let found = ctx
        .store
        .get_resource(
            pool_id,
            ResourceKind::LoginSession,
            &sha256_hex(cookie.as_bytes()),
        )
        .await?;
    Ok(found
        .and_then(|r| serde_json::from_value::<LoginSession>(r.data).ok())
        .filter(|s| s.expires > ctx.now.0))
}

/// Ends the session (`/logout`).
pub async fn end(ctx: &Ctx<'_>, pool_id: &str, cookie: &str) -> Result<()> {
    ctx.store
        .delete_resource(
            pool_id,
            ResourceKind::LoginSession,
            &sha256_hex(cookie.as_bytes()),
        )
        .await?;
    Ok(())
}
