//! Auth-flow `Session` strings: sealed (XChaCha20-Poly1305 under the master key) records of
//! which pool, client and user a challenge belongs to, which challenge is expected, and until
//! when. Any instance holding the master key can open them, so nothing lives in process memory.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::random::RandomExt;
use crate::service::Ctx;
use crate::{CognitoError, Result};

const CONTEXT: &str = "cognito-session-v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub challenge: String,
    pub expires: Timestamp,
    /// Makes every session string unique.
    pub nonce: String,
}

pub fn issue(
    ctx: &Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    username: &str,
    challenge: &str,
    validity_minutes: i64,
) -> String {
    let state = SessionState {
        pool_id: pool_id.to_owned(),
        client_id: client_id.to_owned(),
        username: username.to_owned(),
        challenge: challenge.to_owned(),
        expires: ctx.now.plus_secs(validity_minutes * 60),
        nonce: ctx.random.alnum(16),
    };
    let plain = serde_json::to_vec(&state).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(ctx.sealer.seal(ctx.random, CONTEXT, &plain))
}

fn invalid() -> CognitoError {
    CognitoError::not_authorized("Invalid session for the user.")
}

/// Opens a session for `client_id` expecting `challenge`.
pub fn open(
    ctx: &Ctx<'_>,
    session: &str,
    client_id: &str,
    challenge: &str,
) -> Result<SessionState> {
    let sealed = URL_SAFE_NO_PAD.decode(session).map_err(|_| invalid())?;
    let plain = ctx.sealer.open(CONTEXT, &sealed).ok_or_else(invalid)?;
    let state: SessionState = serde_json::from_slice(&plain).map_err(|_| invalid())?;
    if state.client_id != client_id || state.challenge != challenge {
        return Err(invalid());
    }
    if state.expires <= ctx.now {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user, session is expired.",
        ));
    }
    Ok(state)
}
