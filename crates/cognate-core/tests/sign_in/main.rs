//! The sign-in state machine (InitiateAuth / RespondToAuthChallenge and their admin forms)
//! against the real SQLite store: which API allows which flow, the order of the challenges
//! after a password, the error precedence of the first step, and how a challenge's session is
//! bound to its challenge, client, user and lifetime.
//!
//! - `flows`: which API allows which flow, refresh, legacy ExplicitAuthFlows, error precedence;
//! - `user_srp_auth`: USER_SRP_AUTH and PASSWORD_VERIFIER. The full SRP handshake is not run:
//!   the client side of `crypto::srp` is test-only inside the crate (its agreement with the
//!   server is tested there). What needs no correct PASSWORD_CLAIM_SIGNATURE is tested: SRP_A
//!   validation, the challenge parameters, and how the SECRET_BLOCK is bound;
//! - `challenges`: NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA, tokens;
//! - `sessions`: a session's challenge, client, user, single use and expiry; known bugs.

#[path = "../support/mod.rs"]
mod support;

mod challenges;
mod flows;
mod sessions;
mod user_srp_auth;

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use cognate_core::model::{AppClient, AuthFlow, ChallengeName, UserPool};
use cognate_core::service::mfa::software_token::{
    associate_software_token, verify_software_token, Caller,
};
use cognate_core::service::sign_in::flow::{Api, AuthOutcome};
use cognate_core::service::sign_in::initiate_auth::initiate_auth;
use cognate_core::service::sign_in::respond_to_auth_challenge::respond_to_auth_challenge;
use cognate_core::service::tokens::issue::IssuedTokens;
use cognate_core::service::Ctx;
use cognate_core::{ErrorKind, Result};
use support::{params, totp_code, Env};

use AuthFlow as F;
use ChallengeName as C;

const PASSWORD: &str = "Passw0rd!";
const TEMPORARY: &str = "Temp-Passw0rd";
const NEW_PASSWORD: &str = "Fresh-Passw0rd";
/// A well-formed SRP_A (hex, below N, not 0 mod N).
const SRP_A: &str = "5555555555555555555555555555555555555555555555555555555555555555";

const INCORRECT: (ErrorKind, &str) = (ErrorKind::NotAuthorized, "Incorrect username or password.");
const INVALID_SESSION: (ErrorKind, &str) =
    (ErrorKind::NotAuthorized, "Invalid session for the user.");
const USED_SESSION: (ErrorKind, &str) = (
    ErrorKind::NotAuthorized,
    "Invalid session for the user, session can only be used once.",
);
const EXPIRED_SESSION: (ErrorKind, &str) = (
    ErrorKind::NotAuthorized,
    "Invalid session for the user, session is expired.",
);
const NOT_SUPPORTED: (ErrorKind, &str) = (
    ErrorKind::InvalidParameter,
    "Initiate Auth method not supported.",
);

async fn initiate(
    ctx: &Ctx<'_>,
    api: Api<'_>,
    client: &AppClient,
    flow: AuthFlow,
    p: &[(&str, &str)],
) -> Result<AuthOutcome> {
    initiate_auth(ctx, api, &client.client_id, flow, &params(p)).await
}

async fn respond(
    ctx: &Ctx<'_>,
    api: Api<'_>,
    client: &AppClient,
    challenge: ChallengeName,
    session: Option<&str>,
    p: &[(&str, &str)],
) -> Result<AuthOutcome> {
    respond_to_auth_challenge(ctx, api, &client.client_id, challenge, session, &params(p)).await
}

/// A password sign-in through the public API.
async fn password_sign_in(
    ctx: &Ctx<'_>,
    client: &AppClient,
    username: &str,
    password: &str,
) -> Result<AuthOutcome> {
    initiate(
        ctx,
        Api::Public,
        client,
        F::UserPasswordAuth,
        &[("USERNAME", username), ("PASSWORD", password)],
    )
    .await
}

#[track_caller]
fn tokens(outcome: Result<AuthOutcome>) -> IssuedTokens {
    match outcome {
        Ok(AuthOutcome::Tokens(t)) => t,
        other => panic!("expected tokens, got {other:?}"),
    }
}

/// A PASSWORD_VERIFIER answer; its Session is optional (the SECRET_BLOCK carries it).
async fn verifier(
    ctx: &Ctx<'_>,
    client: &AppClient,
    responses: BTreeMap<String, String>,
) -> Result<AuthOutcome> {
    respond_to_auth_challenge(
        ctx,
        Api::Public,
        &client.client_id,
        C::PasswordVerifier,
        None,
        &responses,
    )
    .await
}

/// The session and parameters of the challenge `expected`.
#[track_caller]
fn challenged(
    outcome: Result<AuthOutcome>,
    expected: ChallengeName,
) -> (String, BTreeMap<String, String>) {
    match outcome {
        Ok(AuthOutcome::Challenge {
            name,
            session,
            parameters,
        }) if name == expected => (session, parameters),
        other => panic!("expected the {expected} challenge, got {other:?}"),
    }
}

/// The error `outcome` must be, with its exact message.
#[track_caller]
fn assert_refused(outcome: Result<AuthOutcome>, expected: (ErrorKind, &str)) {
    match outcome {
        Err(e) => assert_eq!((e.kind, e.message.as_str()), expected),
        Ok(o) => panic!("expected {expected:?}, got {o:?}"),
    }
}

/// The claims of a JWT (signature not checked).
fn claims(jwt: &str) -> serde_json::Value {
    let payload = jwt.split('.').nth(1).expect("JWT payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("json")
}

/// Full tokens from a first sign-in, issued to `username` for `client`.
#[track_caller]
fn assert_signed_in(t: &IssuedTokens, client: &AppClient, username: &str) {
    assert!(t.refresh_token.is_some(), "a sign-in gives a refresh token");
    assert_eq!(t.expires_in, 3600);
    let access = claims(&t.access_token);
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["username"], username);
    assert_eq!(access["client_id"], client.client_id.as_str());
    let id = claims(&t.id_token);
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], username);
    assert_eq!(id["aud"], client.client_id.as_str());
}

/// An MFA_SETUP session taken through AssociateSoftwareToken and VerifySoftwareToken (device
/// "phone") and answered: the user's first sign-in in an MFA ON pool ends with tokens. Returns
/// the authenticator's secret.
async fn enrol(ctx: &Ctx<'_>, client: &AppClient, username: &str, session: &str) -> String {
    let (secret, next) = associate_software_token(ctx, Caller::Session(session))
        .await
        .expect("associate");
    let next = next.expect("associate gives the next session");
    let verified = verify_software_token(
        ctx,
        Caller::Session(&next),
        &totp_code(&secret, ctx.now),
        Some("phone"),
    )
    .await
    .expect("verify")
    .expect("verify gives the next session");
    let t = tokens(
        respond(
            ctx,
            Api::Public,
            client,
            C::MfaSetup,
            Some(&verified),
            &[("USERNAME", username)],
        )
        .await,
    );
    assert_signed_in(&t, client, username);
    secret
}

/// A user with a permanent password and an enrolled authenticator in the MFA ON `pool`;
/// returns the authenticator's secret (its code at NOW has been used).
async fn enrolled_user(env: &Env, pool: &UserPool, client: &AppClient, username: &str) -> String {
    env.user_with_password(pool, username, PASSWORD).await;
    let ctx = env.ctx();
    let (session, p) = challenged(
        password_sign_in(&ctx, client, username, PASSWORD).await,
        C::MfaSetup,
    );
    assert_eq!(p["MFAS_CAN_SETUP"], r#"["SOFTWARE_TOKEN_MFA"]"#);
    enrol(&ctx, client, username, &session).await
}
