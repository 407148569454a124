//! USER_SRP_AUTH and its PASSWORD_VERIFIER challenge (Cognito's SRP-6a, `crypto::srp`).
//!
//! The server's ephemeral secret `b` travels inside SECRET_BLOCK, sealed under the master key
//! together with the pool, client, user, SRP_A and B, so a client that does not echo the
//! Session (pycognito) works; the block is also a stored single-use session keyed by its hash.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::crypto::srp::{self, ServerEphemeral, SrpError};
use crate::model::{AppClient, ChallengeName, SessionStage, UserPool};
use crate::random::RandomExt;
use crate::service::common::client_auth::check_secret_hash;
use crate::service::common::{lockout, session};
use crate::service::sign_in::flow::{missing, password_accepted, sign_in_user, AuthOutcome};
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
    let user = sign_in_user(ctx, pool, client, params).await?;
    let Some(cred) = user
        .password
        .as_ref()
        .filter(|c| !c.srp_verifier.is_empty())
    else {
        return Err(CognitoError::incorrect_credentials());
    };
    let (v, salt) = (cred.srp_verifier.clone(), cred.srp_salt.clone());
    let eph = loop {
        let b_random = ctx.random.bytes::<32>();
        let v = v.clone();
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
        username: user.username.clone(),
        a_hex,
        b: eph.b.clone(),
        b_pub_hex: eph.b_pub_hex.clone(),
    };
    let plain = serde_json::to_vec(&block).map_err(CognitoError::internal)?;
    let secret_block = STANDARD.encode(ctx.sealer.seal(ctx.random, SEAL_CONTEXT, &plain));
    session::issue_with_id(
        ctx,
        &secret_block,
        session::Issue {
            pool_id: &pool.id,
            client_id: &client.client_id,
            username: &user.username,
            challenge: ChallengeName::PasswordVerifier,
            stage: SessionStage::Challenge,
            validity_minutes: client.auth_session_validity,
        },
    )
    .await?;
    let mut parameters = BTreeMap::new();
    parameters.insert("SALT".to_owned(), srp::salt_hex(&salt));
    parameters.insert("SRP_B".to_owned(), eph.b_pub_hex);
    parameters.insert("SECRET_BLOCK".to_owned(), secret_block.clone());
    parameters.insert("USERNAME".to_owned(), user.username.clone());
    parameters.insert("USER_ID_FOR_SRP".to_owned(), user.username.clone());
    Ok(AuthOutcome::Challenge {
        name: ChallengeName::PasswordVerifier,
        session: secret_block,
        parameters,
    })
}

/// RespondToAuthChallenge PASSWORD_VERIFIER. The Session is optional: SECRET_BLOCK carries it.
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
    let sealed = STANDARD.decode(secret_block).map_err(|_| invalid())?;
    let plain = ctx.sealer.open(SEAL_CONTEXT, &sealed).ok_or_else(invalid)?;
    let block: SecretBlock = serde_json::from_slice(&plain).map_err(|_| invalid())?;
    if block.pool_id != pool.id
        || block.client_id != client.client_id
        || block.username != record.username
    {
        return Err(invalid());
    }
    let user = ctx.user(pool, &block.username).await?;
    let typed = ctx.find_user(pool, username).await?;
    if typed.map(|u| u.username) != Some(user.username.clone()) {
        return Err(invalid());
    }
    check_secret_hash(
        client,
        &[username, &user.username],
        responses.get("SECRET_HASH").map(String::as_str),
    )?;
    let ts = srp::parse_timestamp(timestamp).ok_or_else(CognitoError::incorrect_credentials)?;
    if (ts - ctx.now.secs()).abs() > TIMESTAMP_SKEW_SECS {
        return Err(CognitoError::incorrect_credentials());
    }
    lockout::check(ctx, &user)?;
    let Some(cred) = user.password.as_ref() else {
        return Err(CognitoError::incorrect_credentials());
    };
    let (pool_name, user_id, v) = (
        pool.pool_name_for_srp().to_owned(),
        user.username.clone(),
        cred.srp_verifier.clone(),
    );
    let (block_bytes, timestamp, signature) = (
        STANDARD.decode(secret_block).map_err(|_| invalid())?,
        timestamp.clone(),
        signature.clone(),
    );
    let eph = ServerEphemeral {
        b: block.b,
        b_pub_hex: block.b_pub_hex,
    };
    let a_hex = block.a_hex;
    let checked = ctx
        .offload(move || {
            srp::verify_password_claim(
                &pool_name,
                &user_id,
                &v,
                &eph,
                &a_hex,
                &block_bytes,
                &timestamp,
                &signature,
            )
        })
        .await?;
    session::consume(ctx, &record).await?;
    let mut user = user;
    match checked {
        Ok(()) => password_accepted(ctx, pool, client, user).await,
        Err(SrpError::BadA) => Err(CognitoError::not_authorized("Invalid SRP_A.")),
        Err(SrpError::Mismatch) => {
            lockout::record_failure(ctx, pool, &mut user).await?;
            Err(CognitoError::incorrect_credentials())
        }
    }
}
