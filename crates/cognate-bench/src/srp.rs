//! USER_SRP_AUTH sign-in, both steps, with the client side of `cognate_core::crypto::srp`
//! (computed on a blocking thread: two 3072-bit exponentiations per sign-in on the bench side).

use base64::Engine;
use rand_core::{OsRng, RngCore};
use serde_json::{json, Value};

use crate::http::{CallError, Conn};
use crate::ops::Ctx;
use crate::setup::PASSWORD;
use cognate_core::crypto::srp::client;

fn hex_param(v: &Value, name: &str) -> Result<String, CallError> {
    let s = v
        .get("ChallengeParameters")
        .and_then(|p| p.get(name))
        .and_then(Value::as_str)
        .ok_or_else(|| CallError::new("unexpected answer", format!("no {name}")))?;
    // The client side panics on anything but hex; check here.
    if s.is_empty() || s.len() > 2048 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CallError::new(
            "unexpected answer",
            format!("{name} is not hex"),
        ));
    }
    Ok(s.to_owned())
}

fn str_param(v: &Value, name: &str) -> Result<String, CallError> {
    v.get("ChallengeParameters")
        .and_then(|p| p.get(name))
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| CallError::new("unexpected answer", format!("no {name}")))
}

pub async fn sign_in(ctx: &Ctx, conn: &mut Conn, username: &str) -> Result<(), CallError> {
    let mut a = [0u8; 32];
    OsRng.fill_bytes(&mut a);
    let a_pub = tokio::task::spawn_blocking(move || client::a_pub_hex(&a))
        .await
        .map_err(|e| CallError::new("bench", e.to_string()))?;
    let first = conn
        .call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": ctx.pool.client_id,
                    "AuthParameters": {"USERNAME": username, "SRP_A": a_pub}}),
        )
        .await?;
    if first.get("ChallengeName").and_then(Value::as_str) != Some("PASSWORD_VERIFIER") {
        return Err(CallError::new(
            "no PASSWORD_VERIFIER challenge",
            first.to_string(),
        ));
    }
    let salt = hex_param(&first, "SALT")?;
    let b_pub = hex_param(&first, "SRP_B")?;
    let block_b64 = str_param(&first, "SECRET_BLOCK")?;
    let user_id = str_param(&first, "USER_ID_FOR_SRP")?;
    let block = base64::engine::general_purpose::STANDARD
        .decode(&block_b64)
        .map_err(|_| CallError::new("unexpected answer", "SECRET_BLOCK is not base64"))?;
    let pool_name = ctx
        .pool
        .pool_id
        .split_once('_')
        .map(|(_, n)| n.to_owned())
        .unwrap_or_default();
    let (now, _guard) = ctx.clock.now().await;
    let timestamp = client::format_timestamp(now);
    let (uid, ts) = (user_id.clone(), timestamp.clone());
    let signature = tokio::task::spawn_blocking(move || {
        client::signature(&pool_name, &uid, PASSWORD, &salt, &a, &b_pub, &block, &ts)
    })
    .await
    .map_err(|e| CallError::new("bench", e.to_string()))?;
    let done = conn
        .call(
            "RespondToAuthChallenge",
            &json!({"ClientId": ctx.pool.client_id, "ChallengeName": "PASSWORD_VERIFIER",
                    "ChallengeResponses": {"USERNAME": user_id, "TIMESTAMP": timestamp,
                        "PASSWORD_CLAIM_SECRET_BLOCK": block_b64,
                        "PASSWORD_CLAIM_SIGNATURE": signature}}),
        )
        .await?;
    if done.get("AuthenticationResult").is_none() {
        return Err(CallError::new("no AuthenticationResult", done.to_string()));
    }
    Ok(())
}
