//! Makes a generated body coherent where members depend on each other: the auth parameters
//! of the chosen flow, the responses a challenge expects, and SECRET_HASH values computed for
//! the username and client in the same request.

use serde_json::{json, Map, Value};

use crate::context::Context;
use crate::rng::Rng;
use crate::semantic::{attribute_value, digits, new_password, totp_code};
use crate::state::Client;
use crate::values::{alnum, hex};

pub fn apply(op: &str, body: &mut Value, ctx: &Context, rng: &mut Rng) {
    let Value::Object(obj) = body else {
        return;
    };
    match op {
        "InitiateAuth" | "AdminInitiateAuth" => initiate(op, obj, ctx, rng),
        "RespondToAuthChallenge" | "AdminRespondToAuthChallenge" => respond(op, obj, ctx, rng),
        "AssociateSoftwareToken" | "VerifySoftwareToken" => {
            // Either the signed-in user's token or an MFA_SETUP session, rarely both.
            let setup = ctx.session.as_ref().filter(|s| s.challenge == "MFA_SETUP");
            if let Some(s) = setup.filter(|_| rng.percent(50)) {
                obj.insert("Session".into(), json!(s.session));
                if rng.percent(95) {
                    obj.remove("AccessToken");
                }
            } else if rng.percent(90) {
                obj.remove("Session");
            }
        }
        _ => {}
    }
    if obj.contains_key("SecretHash") || rng.percent(80) {
        let username = obj
            .get("Username")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let client = client_of(obj, ctx);
        if let (Some(u), Some(c)) = (username, client) {
            if let Some(h) = secret_hash(&c, &u, rng) {
                obj.insert("SecretHash".into(), json!(h));
            }
        }
    }
}

/// The known client whose id the body names.
fn client_of(obj: &Map<String, Value>, ctx: &Context) -> Option<Client> {
    let id = obj.get("ClientId").and_then(Value::as_str)?;
    [ctx.pool.as_ref(), ctx.other.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|p| p.clients.iter())
        .find(|c| c.id == id)
        .cloned()
}

/// SECRET_HASH for a client with a secret: mostly right, sometimes for another username.
fn secret_hash(client: &Client, username: &str, rng: &mut Rng) -> Option<String> {
    let secret = client.secret.as_deref()?;
    let name = if rng.percent(95) { username } else { "someone" };
    Some(cognate_core::crypto::secret_hash::compute(
        secret, name, &client.id,
    ))
}

fn username_for_auth(ctx: &Context, rng: &mut Rng) -> String {
    let user = ctx.user.as_ref();
    match rng.below(20) {
        0 => alnum(rng, 8),
        1 => user.and_then(|u| u.email.clone()).unwrap_or_default(),
        _ => user
            .map(|u| u.name.clone())
            .unwrap_or_else(|| alnum(rng, 8)),
    }
}

fn initiate(op: &str, obj: &mut Map<String, Value>, ctx: &Context, rng: &mut Rng) {
    let flows: &[(&str, u32)] = if op == "AdminInitiateAuth" {
        &[
            ("REFRESH_TOKEN_AUTH", 40),
            ("ADMIN_USER_PASSWORD_AUTH", 25),
            ("ADMIN_NO_SRP_AUTH", 5),
            ("USER_SRP_AUTH", 15),
            ("REFRESH_TOKEN", 5),
            ("USER_PASSWORD_AUTH", 4),
            ("CUSTOM_AUTH", 3),
            ("USER_AUTH", 3),
        ]
    } else {
        &[
            ("REFRESH_TOKEN_AUTH", 40),
            ("USER_PASSWORD_AUTH", 25),
            ("USER_SRP_AUTH", 20),
            ("REFRESH_TOKEN", 5),
            ("ADMIN_USER_PASSWORD_AUTH", 3),
            ("CUSTOM_AUTH", 4),
            ("USER_AUTH", 3),
        ]
    };
    // Refresh flows mostly when there is a refresh token to send, password flows otherwise.
    let has_refresh = ctx.tokens.as_ref().is_some_and(|t| t.refresh.is_some());
    let weights: Vec<u32> = flows
        .iter()
        .map(|(f, w)| match (f.starts_with("REFRESH"), has_refresh) {
            (true, false) | (false, true) => (*w / 8).max(1),
            _ => *w,
        })
        .collect();
    let flow = flows.get(rng.weighted(&weights)).map_or("", |(f, _)| *f);
    obj.insert("AuthFlow".into(), json!(flow));
    let mut params = Map::new();
    let username = username_for_auth(ctx, rng);
    let user = ctx.user.as_ref();
    match flow {
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            if let Some(t) = &ctx.tokens {
                if let Some(r) = &t.refresh {
                    params.insert("REFRESH_TOKEN".into(), json!(r));
                }
            } else {
                params.insert("REFRESH_TOKEN".into(), json!(alnum(rng, 40)));
            }
        }
        "USER_SRP_AUTH" => {
            params.insert("USERNAME".into(), json!(username));
            let a = match rng.below(10) {
                0 => "0".to_owned(),
                1 => {
                    let n = rng.range(1, 2000);
                    hex(rng, n)
                }
                _ => hex(rng, 768),
            };
            params.insert("SRP_A".into(), json!(a));
        }
        _ => {
            params.insert("USERNAME".into(), json!(username));
            let password = match user {
                Some(u) if rng.percent(80) => u.password.clone(),
                _ => new_password(rng),
            };
            params.insert("PASSWORD".into(), json!(password));
        }
    }
    if let Some(c) = client_of(obj, ctx) {
        let who = params
            .get("USERNAME")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| user.map(|u| u.name.clone()))
            .unwrap_or_default();
        if let Some(h) = secret_hash(&c, &who, rng) {
            params.insert("SECRET_HASH".into(), json!(h));
        }
    }
    if rng.percent(5) {
        params.insert(
            "DEVICE_KEY".into(),
            json!(format!("us-east-1_{}", hex(rng, 8))),
        );
    }
    obj.insert("AuthParameters".into(), Value::Object(params));
}

fn respond(op: &str, obj: &mut Map<String, Value>, ctx: &Context, rng: &mut Rng) {
    let Some(s) = ctx.session.as_ref() else {
        return;
    };
    if rng.percent(92) {
        obj.insert("ClientId".into(), json!(s.client));
        obj.insert("Session".into(), json!(s.session));
        obj.insert("ChallengeName".into(), json!(s.challenge));
        if op == "AdminRespondToAuthChallenge" {
            obj.insert("UserPoolId".into(), json!(s.pool));
        }
    }
    let challenge = obj
        .get("ChallengeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let username = s
        .params
        .get("USER_ID_FOR_SRP")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| s.username.clone())
        .unwrap_or_else(|| alnum(rng, 6));
    let user = ctx.user.as_ref();
    let mut r = Map::new();
    r.insert("USERNAME".into(), json!(username));
    match challenge.as_str() {
        "NEW_PASSWORD_REQUIRED" => {
            r.insert("NEW_PASSWORD".into(), json!(new_password(rng)));
            if rng.percent(30) {
                let attr = rng.pick_str(&["name", "email", "email_verified", "custom:tier"]);
                r.insert(
                    format!("userAttributes.{attr}"),
                    json!(attribute_value(attr, rng)),
                );
            }
        }
        "SOFTWARE_TOKEN_MFA" | "MFA_SETUP" => {
            let code = match user.and_then(|u| u.totp.as_deref()) {
                Some(secret) if rng.percent(85) => totp_code(secret, 0),
                _ => digits(rng, 6),
            };
            if challenge == "SOFTWARE_TOKEN_MFA" {
                r.insert("SOFTWARE_TOKEN_MFA_CODE".into(), json!(code));
            }
        }
        "PASSWORD_VERIFIER" => {
            let block = s
                .params
                .get("SECRET_BLOCK")
                .cloned()
                .unwrap_or_else(|| json!(alnum(rng, 40)));
            r.insert("PASSWORD_CLAIM_SECRET_BLOCK".into(), block);
            r.insert(
                "PASSWORD_CLAIM_SIGNATURE".into(),
                json!("c2lnbmF0dXJlIHRoYXQgd2lsbCBub3QgbWF0Y2ggYW55dGhpbmc="),
            );
            r.insert(
                "TIMESTAMP".into(),
                json!(rng.pick_str(&[
                    "Tue Jan 2 03:04:05 UTC 2024",
                    "Mon Feb 30 25:61:61 UTC 2024",
                    "not a time",
                    "Sat Jan 1 00:00:00 UTC 10000",
                ])),
            );
        }
        "SELECT_MFA_TYPE" => {
            r.insert(
                "ANSWER".into(),
                json!(rng.pick_str(&["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP", "x"])),
            );
        }
        _ => {
            r.insert("ANSWER".into(), json!(alnum(rng, 6)));
        }
    }
    if let Some(c) = client_of(obj, ctx) {
        if let Some(h) = secret_hash(&c, &username, rng) {
            r.insert("SECRET_HASH".into(), json!(h));
        }
    }
    obj.insert("ChallengeResponses".into(), Value::Object(r));
}
