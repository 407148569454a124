//! Learning from successful answers: pools, clients, groups and users the fuzzer created,
//! passwords it set, tokens, challenge sessions, TOTP secrets and pagination tokens it was
//! given. Only answers to requests whose JSON is known exactly are read.

use serde_json::Value;

use crate::context::Context;
use crate::state::{Client, Known, Session, Tokens, User};

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// The `username` claim of an access token (the internal username, whatever was signed in
/// with).
fn token_username(access: &str) -> Option<String> {
    let claims = cognate_core::crypto::jwt::peek_claims(access)?;
    claims
        .get("username")
        .or_else(|| claims.get("cognito:username"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

pub fn harvest(known: &mut Known, op: &str, ctx: &Context, req: &Value, resp: &Value) {
    for k in ["PaginationToken", "NextToken"] {
        if let Some(t) = s(resp, k) {
            known.add_pagination(t);
        }
    }
    let client_pool = s(req, "ClientId").and_then(|c| known.pool_of_client(c));
    let pool = s(req, "UserPoolId").map(str::to_owned).or(client_pool);
    match op {
        "CreateUserPool" => {
            if let Some(id) = resp.get("UserPool").and_then(|p| s(p, "Id")) {
                let email = req
                    .get("UsernameAttributes")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("email")));
                known.add_pool(id, false, email);
            }
        }
        "CreateUserPoolClient" => {
            if let Some(c) = resp.get("UserPoolClient") {
                if let (Some(p), Some(id)) = (s(c, "UserPoolId"), s(c, "ClientId")) {
                    let secret = s(c, "ClientSecret").map(str::to_owned);
                    known.add_client(
                        p,
                        Client {
                            id: id.to_owned(),
                            secret,
                            core: false,
                        },
                    );
                }
            }
        }
        "CreateGroup" => {
            if let Some(g) = resp.get("Group") {
                if let (Some(p), Some(name)) = (s(g, "UserPoolId"), s(g, "GroupName")) {
                    known.add_group(p, name);
                }
            }
        }
        "SignUp" | "AdminCreateUser" => {
            let password = s(req, "Password").or_else(|| s(req, "TemporaryPassword"));
            if let (Some(p), Some(u), Some(pw)) = (&pool, s(req, "Username"), password) {
                let email = req
                    .get("UserAttributes")
                    .and_then(Value::as_array)
                    .and_then(|a| a.iter().find(|x| s(x, "Name") == Some("email")))
                    .and_then(|x| s(x, "Value"))
                    .map(str::to_owned);
                let user = User {
                    name: u.to_owned(),
                    password: pw.to_owned(),
                    email,
                    totp: None,
                    core: false,
                };
                known.add_user(p, user);
            }
        }
        "AdminSetUserPassword" | "ConfirmForgotPassword" => {
            if let (Some(p), Some(u), Some(pw)) = (&pool, s(req, "Username"), s(req, "Password")) {
                known.set_password(p, u, pw);
            }
        }
        "ChangePassword" => {
            if let (Some(t), Some(pw)) = (&ctx.tokens, s(req, "ProposedPassword")) {
                if let Some(u) = token_username(&t.access) {
                    known.set_password(&t.pool, &u, pw);
                }
            }
        }
        "AssociateSoftwareToken" => {
            let who = if req.get("Session").is_some() {
                ctx.session
                    .as_ref()
                    .map(|x| (x.pool.clone(), x.username.clone()))
            } else {
                ctx.tokens
                    .as_ref()
                    .map(|t| (t.pool.clone(), token_username(&t.access)))
            };
            if let (Some((p, Some(u))), Some(secret)) = (who, s(resp, "SecretCode")) {
                known.set_totp(&p, &u, secret);
            }
            next_setup_session(known, ctx, resp);
        }
        "VerifySoftwareToken" => next_setup_session(known, ctx, resp),
        _ => {}
    }
    let responses = req.get("ChallengeResponses");
    if let (Some(p), Some(r)) = (&pool, responses) {
        if let (Some(u), Some(pw)) = (s(r, "USERNAME"), s(r, "NEW_PASSWORD")) {
            known.set_password(p, u, pw);
        }
    }
    let (Some(p), Some(client)) = (pool, s(req, "ClientId")) else {
        return;
    };
    let params = req
        .get("AuthParameters")
        .or(responses)
        .cloned()
        .unwrap_or(Value::Null);
    let username = s(&params, "USERNAME")
        .map(str::to_owned)
        .or_else(|| ctx.session.as_ref().and_then(|x| x.username.clone()));
    if let Some(r) = resp.get("AuthenticationResult") {
        if let Some(access) = s(r, "AccessToken") {
            let refresh = s(r, "RefreshToken")
                .or_else(|| s(&params, "REFRESH_TOKEN"))
                .map(str::to_owned);
            known.add_tokens(Tokens {
                pool: p.clone(),
                client: client.to_owned(),
                username: token_username(access).or(username.clone()),
                access: access.to_owned(),
                refresh,
            });
        }
    }
    if let (Some(session), Some(challenge)) = (s(resp, "Session"), s(resp, "ChallengeName")) {
        let challenge_params = resp
            .get("ChallengeParameters")
            .cloned()
            .unwrap_or(Value::Null);
        let username = s(&challenge_params, "USER_ID_FOR_SRP")
            .map(str::to_owned)
            .or(username);
        known.add_session(Session {
            pool: p,
            client: client.to_owned(),
            username,
            challenge: challenge.to_owned(),
            session: session.to_owned(),
            params: challenge_params,
        });
    }
}

/// AssociateSoftwareToken / VerifySoftwareToken during MFA_SETUP hand back a new session.
fn next_setup_session(known: &mut Known, ctx: &Context, resp: &Value) {
    if let (Some(session), Some(x)) = (s(resp, "Session"), &ctx.session) {
        let mut next = x.clone();
        next.session = session.to_owned();
        known.add_session(next);
    }
}
