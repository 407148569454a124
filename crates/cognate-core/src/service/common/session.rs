//! Auth-flow `Session` strings. A session is 64 random characters handed to the client; the
//! store keeps only its SHA-256 with the pool, client, user, the challenge it answers, its
//! expiry and whether it was used. Any instance sharing the store can continue a sign-in, and
//! each session works once.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::crypto::sha256_hex;
use crate::model::{AuthSessionRecord, ChallengeName, SessionStage};
use crate::random::RandomExt;
use crate::service::Ctx;
use crate::{CognitoError, Result};

pub struct Issue<'a> {
    pub pool_id: &'a str,
    pub client_id: &'a str,
    pub username: &'a str,
    pub challenge: ChallengeName,
    pub stage: SessionStage,
    pub validity_minutes: i64,
}

pub async fn issue(ctx: &Ctx<'_>, i: Issue<'_>) -> Result<String> {
    let session = URL_SAFE_NO_PAD.encode(ctx.random.bytes::<48>());
    issue_with_id(ctx, &session, i).await?;
    Ok(session)
}

/// Stores a session under a string the caller made (SRP's SECRET_BLOCK).
pub async fn issue_with_id(ctx: &Ctx<'_>, session: &str, i: Issue<'_>) -> Result<()> {
    // Sessions that expired over an hour ago are forgotten (until then, using one still gets
    // the "session is expired" answer rather than "invalid").
    ctx.store
        .delete_expired_auth_sessions(ctx.now.plus_secs(-3600))
        .await?;
    ctx.store
        .insert_auth_session(&AuthSessionRecord {
            id_hash: sha256_hex(session.as_bytes()),
            pool_id: i.pool_id.to_owned(),
            client_id: i.client_id.to_owned(),
            username: i.username.to_owned(),
            challenge: i.challenge,
            stage: i.stage,
            expires: ctx.now.plus_secs(i.validity_minutes * 60),
            consumed: false,
        })
        .await?;
    Ok(())
}

fn invalid() -> CognitoError {
    CognitoError::not_authorized("Invalid session for the user.")
}

fn used() -> CognitoError {
    CognitoError::not_authorized("Invalid session for the user, session can only be used once.")
}

/// Looks a session up and checks it answers `challenge` (and, when given, belongs to
/// `client_id`: AssociateSoftwareToken and VerifySoftwareToken carry no client id).
pub async fn open(
    ctx: &Ctx<'_>,
    session: &str,
    client_id: Option<&str>,
    challenge: ChallengeName,
) -> Result<AuthSessionRecord> {
    let record = ctx
        .store
        .get_auth_session(&sha256_hex(session.as_bytes()))
        .await?
        .ok_or_else(invalid)?;
    if client_id.is_some_and(|c| c != record.client_id) || record.challenge != challenge {
        return Err(invalid());
    }
    if record.consumed {
        return Err(used());
    }
    if record.expires <= ctx.now {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user, session is expired.",
        ));
    }
    Ok(record)
}

/// Uses the session up; exactly one of several concurrent callers succeeds.
pub async fn consume(ctx: &Ctx<'_>, record: &AuthSessionRecord) -> Result<()> {
    if ctx.store.consume_auth_session(&record.id_hash).await? {
        Ok(())
    } else {
        Err(used())
    }
}
