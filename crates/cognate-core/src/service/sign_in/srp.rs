//! USER_SRP_AUTH and its PASSWORD_VERIFIER challenge (Cognito's SRP-6a, `crypto::srp`).
//!
//! The server's ephemeral secret `b` travels inside SECRET_BLOCK, sealed under the master key
//! together with the pool, client, user, SRP_A and B, so a client that does not echo the
//! Session (pycognito) works; the block is also a stored single-use session keyed by its hash.
//!
//! When the client hides user existence, an unknown user gets a challenge of the same shape
//! built from a salt and verifier derived from the master key and the username (stable, so
//! asking twice gives the same SALT), and the answer costs the same work before it is refused.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::crypto::srp::{self, ServerEphemeral, SrpError};
use crate::model::{AppClient, ChallengeName, SessionStage, User, UserPool};
use crate::random::RandomExt;
use crate::service::common::attributes::username_key;
use crate::service::common::client_auth::check_secret_hash;
use crate::service::common::passwords::srp_verifier;
use crate::service::common::{lockout, session};
use crate::service::sign_in::flow::{
    missing, password_accepted, sign_in_user, AuthOutcome, Subject,
};
use crate::service::Ctx;
use crate::{CognitoError, Result};

const SEAL_CONTEXT: &str = "srp-secret-block-v1";
/// How far the client's TIMESTAMP may be from the server's clock. Replays are already stopped
/// by the single-use SECRET_BLOCK (valid AuthSessionValidity minutes), so this only bounds
/// clock skew, generously: device clocks (and test clocks) drift.
const TIMESTAMP_SKEW_SECS: i64 = 24 * 3600;

#[derive(Serialize, Deserialize)]
struct SecretBlock {
    pool_id: String,
    client_id: String,
    username: String,
    a_hex: String,
    b: Vec<u8>,
    b_pub_hex: String,
    /// An unknown user's challenge (see the module documentation).
    #[serde(default)]
    hidden: bool,
}

/// What SRP needs of a user: the salt, the verifier and the USER_ID_FOR_SRP.
struct Credential {
    salt: Vec<u8>,
    verifier: Vec<u8>,
    user_id: String,
}

fn credential(ctx: &Ctx<'_>, pool: &UserPool, user: &User) -> Result<Option<Credential>> {
    let Some(verifier) = srp_verifier(ctx, pool, user)? else {
        return Ok(None);
    };
    Ok(user.password.as_ref().map(|c| Credential {
        salt: c.srp_salt.clone(),
        verifier,
        user_id: user.username.clone(),
    }))
}

/// A stable stand-in credential for a user that does not exist. In pools that sign in with
/// email or phone number, real users' USER_ID_FOR_SRP is a UUID, so the stand-in's is one too.
fn hidden_credential(ctx: &Ctx<'_>, pool: &UserPool, typed: &str) -> Credential {
    let key = format!("{}\0{}", pool.id, username_key(pool, typed));
    let salt: [u8; 16] = ctx.sealer.derive("srp-hidden-salt", key.as_bytes());
    // One byte shorter than N, so the value is below it like every verifier.
    let verifier: [u8; 383] = ctx.sealer.derive("srp-hidden-verifier", key.as_bytes());
    let user_id = if pool.username_attributes.is_empty() {
        typed.to_owned()
    } else {
        let id: [u8; 16] = ctx.sealer.derive("srp-hidden-user-id", key.as_bytes());
        uuid::Builder::from_random_bytes(id).into_uuid().to_string()
    };
    Credential {
        salt: salt.to_vec(),
        verifier: verifier.to_vec(),
        user_id,
    }
}

pub async fn initiate_user_srp_auth(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    params: &BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    let a_hex = params.get("SRP_A").ok_or_else(|| missing("SRP_A"))?.clone();
    if !srp::is_valid_a(&a_hex) {
        return Err(CognitoError::not_authorized("Invalid SRP_A."));
    }
    let (username, cred, hidden) = match sign_in_user(ctx, pool, client, params).await? {
        Subject::User(user) => {
            let cred =
                credential(ctx, pool, &user)?.ok_or_else(CognitoError::incorrect_credentials)?;
            (user.username.clone(), cred, false)
        }
        Subject::Hidden(typed) => {
            let cred = hidden_credential(ctx, pool, &typed);
            (typed, cred, true)
        }
    };
    let eph = loop {
        let b_random = ctx.random.bytes::<32>();
        let v = cred.verifier.clone();
        if let Some(e) = ctx
            .offload(move || srp::server_ephemeral(&v, &b_random))
            .await?
        {
            break e;
        }
    };
    let block = SecretBlock {
        pool_id: pool.id.clone(),
        client_id: client.client_id.clone(),
        username: username.clone(),
        a_hex,
        b: eph.b.clone(),
        b_pub_hex: eph.b_pub_hex.clone(),
        hidden,
    };
    let plain = serde_json::to_vec(&block).map_err(CognitoError::internal)?;
    let secret_block = STANDARD.encode(ctx.sealer.seal(ctx.random, SEAL_CONTEXT, &plain));
    session::issue_with_id(
        ctx,
        &secret_block,
        session::Issue {
            pool_id: &pool.id,
            client_id: &client.client_id,
            username: &username,
            challenge: ChallengeName::PasswordVerifier,
            stage: SessionStage::Challenge,
            validity_minutes: client.auth_session_validity,
        },
    )
    .await?;
    let mut parameters = BTreeMap::new();
    parameters.insert("SALT".to_owned(), srp::salt_hex(&cred.salt));
    parameters.insert("SRP_B".to_owned(), eph.b_pub_hex);
    parameters.insert("SECRET_BLOCK".to_owned(), secret_block.clone());
    parameters.insert("USERNAME".to_owned(), cred.user_id.clone());
    parameters.insert("USER_ID_FOR_SRP".to_owned(), cred.user_id);
    Ok(AuthOutcome::Challenge {
        name: ChallengeName::PasswordVerifier,
        session: secret_block,
        parameters,
    })
}

/// RespondToAuthChallenge PASSWORD_VERIFIER. The Session is optional: SECRET_BLOCK carries it.
/// The block is used up before any work; the password attempt is reserved before the claim is
/// checked (see `common::lockout`).
pub async fn password_verifier(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    client: &AppClient,
    responses: &BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    let invalid = || CognitoError::not_authorized("Invalid session for the user.");
    let secret_block = responses
        .get("PASSWORD_CLAIM_SECRET_BLOCK")
        .ok_or_else(|| missing("PASSWORD_CLAIM_SECRET_BLOCK"))?;
    let signature = responses
        .get("PASSWORD_CLAIM_SIGNATURE")
        .ok_or_else(|| missing("PASSWORD_CLAIM_SIGNATURE"))?;
    let timestamp = responses
        .get("TIMESTAMP")
        .ok_or_else(|| missing("TIMESTAMP"))?;
    let username = responses
        .get("USERNAME")
        .ok_or_else(|| missing("USERNAME"))?;
    let record = session::open(
        ctx,
        secret_block,
        Some(&client.client_id),
        ChallengeName::PasswordVerifier,
    )
    .await?;
    let block_bytes = STANDARD.decode(secret_block).map_err(|_| invalid())?;
    let plain = ctx
        .sealer
        .open(SEAL_CONTEXT, &block_bytes)
        .ok_or_else(invalid)?;
    let block: SecretBlock = serde_json::from_slice(&plain).map_err(|_| invalid())?;
    if block.pool_id != pool.id
        || block.client_id != client.client_id
        || block.username != record.username
    {
        return Err(invalid());
    }
    let user = if block.hidden {
        None
    } else {
        match ctx.find_user(pool, &block.username).await? {
            Some(u) if u.username == block.username => Some(u),
            // Deleted since the challenge.
            _ if client.prevent_user_existence_errors => {
                return Err(CognitoError::incorrect_credentials())
            }
            _ => return Err(CognitoError::user_not_found()),
        }
    };
    // The USERNAME sent must name the same user (for a hidden one: the same string).
    let same = match &user {
        Some(u) => ctx
            .find_user(pool, username)
            .await?
            .is_some_and(|t| t.username == u.username),
        None => {
            *username == block.username
                || *username == hidden_credential(ctx, pool, &block.username).user_id
        }
    };
    if !same {
        return Err(invalid());
    }
    check_secret_hash(
        client,
        &[username, &block.username],
        responses.get("SECRET_HASH").map(String::as_str),
    )?;
    let ts = srp::parse_timestamp(timestamp).ok_or_else(CognitoError::incorrect_credentials)?;
    if (ts - ctx.now.secs()).abs() > TIMESTAMP_SKEW_SECS {
        return Err(CognitoError::incorrect_credentials());
    }
    if user.as_ref().is_some_and(|u| !u.enabled) {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    session::consume(ctx, &record).await?;
    let (user, cred) = match user {
        Some(u) => {
            let u = lockout::reserve(ctx, pool, &u.username).await?;
            let cred =
                credential(ctx, pool, &u)?.ok_or_else(CognitoError::incorrect_credentials)?;
            (Some(u), cred)
        }
        None => (None, hidden_credential(ctx, pool, &block.username)),
    };
    let pool_name = pool.pool_name_for_srp().to_owned();
    let (timestamp, signature) = (timestamp.clone(), signature.clone());
    let eph = ServerEphemeral {
        b: block.b,
        b_pub_hex: block.b_pub_hex,
    };
    let a_hex = block.a_hex;
    let checked = ctx
        .offload(move || {
            srp::verify_password_claim(
                &pool_name,
                &cred.user_id,
                &cred.verifier,
                &eph,
                &a_hex,
                &block_bytes,
                &timestamp,
                &signature,
            )
        })
        .await;
    let (checked, user) = match user {
        Some(mut u) => {
            let checked = lockout::refund_on_error(ctx, pool, &mut u, checked).await?;
            (checked, Some(u))
        }
        None => (checked?, None),
    };
    match (checked, user) {
        (Ok(()), Some(mut user)) => {
            lockout::refund(ctx, pool, &mut user).await?;
            password_accepted(ctx, pool, client, user).await
        }
        (Err(SrpError::BadA), _) => Err(CognitoError::not_authorized("Invalid SRP_A.")),
        // A wrong password (its reserved attempt stays counted), or a hidden user.
        _ => Err(CognitoError::incorrect_credentials()),
    }
}
