use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::model::{ChallengeName, SessionStage};

/// A refresh token as stored: only its SHA-256 is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshTokenRecord {
    pub token_hash: String,
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    /// Shared by every token descended from one authentication (revocation key).
    pub origin_jti: String,
    pub auth_time: i64,
    pub issued: Timestamp,
    pub expires: Timestamp,
    pub revoked: bool,
}

/// One of a pool's two RS256 signing keys, private part sealed under the master key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeyRecord {
    pub pool_id: String,
    pub kid: String,
    /// `id` or `access`.
    pub purpose: String,
    pub sealed_private_key: Vec<u8>,
    pub created: Timestamp,
}

/// A sign-in challenge in progress (the `Session` string's server side). Only the SHA-256 of
/// the session string is stored; a session is consumed once and then refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSessionRecord {
    pub id_hash: String,
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    /// The challenge the session answers.
    pub challenge: ChallengeName,
    /// Progress inside `MFA_SETUP`.
    pub stage: SessionStage,
    pub expires: Timestamp,
    pub consumed: bool,
}
