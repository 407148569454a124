//! Authorization codes: 32 random bytes handed to the client once, stored only as their
//! SHA-256 (`ResourceKind::AuthorizationCode` of the pool), valid for five minutes and used
//! up by deleting the record, which exactly one of several concurrent redeemers (on any
//! instance sharing the store) achieves.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::crypto::sha256_hex;
use crate::model::{Resource, ResourceKind};
use crate::random::RandomExt;
use crate::service::oauth2::pkce::Method;
use crate::service::oauth2::OAuthError;
use crate::service::Ctx;
use crate::Result;

/// How long a code can be redeemed (Cognito: 5 minutes).
pub const CODE_VALIDITY_SECS: i64 = 300;

/// What a code stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeGrant {
    pub client_id: String,
    pub redirect_uri: String,
    pub username: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    /// `S256` or `plain` when there is a challenge.
    pub code_challenge_method: Option<String>,
    pub auth_time: i64,
    /// Epoch milliseconds.
    pub expires: i64,
}

impl CodeGrant {
    pub fn method(&self) -> Option<Method> {
        Method::parse(self.code_challenge_method.as_deref())
    }
}

/// Stores a grant and returns its code.
pub async fn issue_code(ctx: &Ctx<'_>, pool_id: &str, mut grant: CodeGrant) -> Result<String> {
    let code = URL_SAFE_NO_PAD.encode(ctx.random.bytes::<32>());
    grant.expires = ctx.now.plus_secs(CODE_VALIDITY_SECS).0;
    let data = serde_json::to_value(&grant)
        .map_err(|e| crate::CognitoError::internal(format!("encoding a code grant: {e}")))?;
    ctx.store
        .insert_resource(&Resource {
            pool_id: pool_id.to_owned(),
            kind: ResourceKind::AuthorizationCode,
            id: sha256_hex(code.as_bytes()),
            data,
        })
        .await?;
    Ok(code)
}

/// Uses a code up: `invalid_grant` if it is unknown, already used or expired.
pub async fn redeem_code(
    ctx: &Ctx<'_>,
    pool_id: &str,
    code: &str,
) -> std::result::Result<CodeGrant, OAuthError> {
    let id = sha256_hex(code.as_bytes());
    let record = ctx
        .store
        .get_resource(pool_id, ResourceKind::AuthorizationCode, &id)
        .await?
        .ok_or(OAuthError::INVALID_GRANT)?;
    if !ctx
        .store
        .delete_resource(pool_id, ResourceKind::AuthorizationCode, &id)
        .await?
    {
        return Err(OAuthError::INVALID_GRANT);
    }
    let grant: CodeGrant =
        serde_json::from_value(record.data).map_err(|_| OAuthError::INVALID_GRANT)?;
    if grant.expires <= ctx.now.0 {
        return Err(OAuthError::INVALID_GRANT);
    }
    Ok(grant)
}
