//! Revoking tokens: RevokeToken (one refresh token and its descendants) and the sign-out of
//! every session of a user.

use crate::crypto::{ct_eq, jwt, sha256_hex};
use crate::model::{User, UserPool};
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

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
        if !client_secret.is_some_and(|s| ct_eq(s.as_bytes(), secret.as_bytes())) {
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
    // An unknown token is not an error (RFC 7009); another client's token is refused.
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
pub async fn sign_out_everywhere(ctx: &Ctx<'_>, pool: &UserPool, user: User) -> Result<()> {
    ctx.store
        .revoke_user_refresh_tokens(&pool.id, &user.username)
        .await?;
    // Tokens carry second-resolution `iat`: see `verify::authenticate_access_token`.
    let now = ctx.now;
    ctx.modify_user(pool, &user.username, |u| {
        u.tokens_valid_after = u.tokens_valid_after.max(now);
        Ok(())
    })
    .await?;
    Ok(())
}
