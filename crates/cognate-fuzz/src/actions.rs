//! The API calls setup and the canary check are made of: create a pool, a client, a user with
//! a permanent password, sign in (answering a TOTP challenge), enrol a TOTP authenticator.

use anyhow::{anyhow, bail};
use serde_json::{json, Value};

use crate::api::{text, Api};
use crate::semantic::totp_code;
use crate::state::Client;

pub const AUTH_FLOWS: &[&str] = &[
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
];

pub fn create_pool(api: &mut Api, mut body: Value, name: &str) -> anyhow::Result<String> {
    body["PoolName"] = json!(name);
    let out = api.call("CreateUserPool", body)?;
    text(&out, &["UserPool", "Id"])
}

pub fn create_client(
    api: &mut Api,
    pool: &str,
    name: &str,
    secret: bool,
    prevent_existence_errors: bool,
) -> anyhow::Result<Client> {
    let mut body = json!({
        "UserPoolId": pool,
        "ClientName": name,
        "GenerateSecret": secret,
        "ExplicitAuthFlows": AUTH_FLOWS,
    });
    if prevent_existence_errors {
        body["PreventUserExistenceErrors"] = json!("ENABLED");
    }
    let out = api.call("CreateUserPoolClient", body)?;
    Ok(Client {
        id: text(&out, &["UserPoolClient", "ClientId"])?,
        secret: if secret {
            Some(text(&out, &["UserPoolClient", "ClientSecret"])?)
        } else {
            None
        },
        core: true,
    })
}

/// AdminCreateUser (no message), then a permanent password unless `temporary`.
pub fn create_user(
    api: &mut Api,
    pool: &str,
    username: &str,
    password: &str,
    attributes: Value,
    temporary: bool,
) -> anyhow::Result<()> {
    api.call(
        "AdminCreateUser",
        json!({
            "UserPoolId": pool,
            "Username": username,
            "TemporaryPassword": password,
            "MessageAction": "SUPPRESS",
            "UserAttributes": attributes,
        }),
    )?;
    if !temporary {
        api.call(
            "AdminSetUserPassword",
            json!({"UserPoolId": pool, "Username": username, "Password": password, "Permanent": true}),
        )?;
    }
    Ok(())
}

pub fn create_group(api: &mut Api, pool: &str, name: &str, precedence: u32) -> anyhow::Result<()> {
    api.call(
        "CreateGroup",
        json!({"UserPoolId": pool, "GroupName": name, "Precedence": precedence,
               "Description": format!("group {name}")}),
    )?;
    Ok(())
}

pub fn add_to_group(api: &mut Api, pool: &str, user: &str, group: &str) -> anyhow::Result<()> {
    api.call(
        "AdminAddUserToGroup",
        json!({"UserPoolId": pool, "Username": user, "GroupName": group}),
    )?;
    Ok(())
}

fn secret_hash(client: &Client, username: &str) -> Option<String> {
    client
        .secret
        .as_deref()
        .map(|s| cognate_core::crypto::secret_hash::compute(s, username, &client.id))
}

/// AdminInitiateAuth with the password: the tokens, or the challenge answer.
pub fn admin_sign_in(
    api: &mut Api,
    pool: &str,
    client: &Client,
    username: &str,
    password: &str,
) -> anyhow::Result<Value> {
    let mut params = json!({"USERNAME": username, "PASSWORD": password});
    if let Some(h) = secret_hash(client, username) {
        params["SECRET_HASH"] = json!(h);
    }
    api.call(
        "AdminInitiateAuth",
        json!({"UserPoolId": pool, "ClientId": client.id,
               "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": params}),
    )
}

/// Signs in through a SOFTWARE_TOKEN_MFA challenge with the code of the next time step (the
/// ±1 window accepts it, and it is newer than any step used before).
pub fn admin_sign_in_totp(
    api: &mut Api,
    pool: &str,
    client: &Client,
    username: &str,
    password: &str,
    totp_secret: &str,
) -> anyhow::Result<Value> {
    let first = admin_sign_in(api, pool, client, username, password)?;
    if first.get("ChallengeName").and_then(Value::as_str) != Some("SOFTWARE_TOKEN_MFA") {
        bail!("expected a SOFTWARE_TOKEN_MFA challenge, got {first}");
    }
    let mut responses = json!({
        "USERNAME": username,
        "SOFTWARE_TOKEN_MFA_CODE": totp_code(totp_secret, 1),
    });
    if let Some(h) = secret_hash(client, username) {
        responses["SECRET_HASH"] = json!(h);
    }
    api.call(
        "AdminRespondToAuthChallenge",
        json!({"UserPoolId": pool, "ClientId": client.id, "ChallengeName": "SOFTWARE_TOKEN_MFA",
               "Session": text(&first, &["Session"])?, "ChallengeResponses": responses}),
    )
}

pub fn refresh(
    api: &mut Api,
    client: &Client,
    username: &str,
    refresh_token: &str,
) -> anyhow::Result<Value> {
    let mut params = json!({"REFRESH_TOKEN": refresh_token});
    if let Some(h) = secret_hash(client, username) {
        params["SECRET_HASH"] = json!(h);
    }
    api.call(
        "InitiateAuth",
        json!({"ClientId": client.id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": params}),
    )
}

/// Enables TOTP on the pool (OPTIONAL unless `required`).
pub fn enable_totp(api: &mut Api, pool: &str, required: bool) -> anyhow::Result<()> {
    api.call(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": pool, "MfaConfiguration": if required { "ON" } else { "OPTIONAL" },
               "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    )?;
    Ok(())
}

/// Associates and verifies an authenticator for the signed-in user and makes TOTP its
/// preferred factor; returns the base32 secret.
pub fn enrol_totp(api: &mut Api, access_token: &str) -> anyhow::Result<String> {
    let out = api.call(
        "AssociateSoftwareToken",
        json!({"AccessToken": access_token}),
    )?;
    let secret = text(&out, &["SecretCode"])?;
    let verified = api.call(
        "VerifySoftwareToken",
        json!({"AccessToken": access_token, "UserCode": totp_code(&secret, 0),
               "FriendlyDeviceName": "fuzz"}),
    )?;
    if verified.get("Status").and_then(Value::as_str) != Some("SUCCESS") {
        return Err(anyhow!("VerifySoftwareToken answered {verified}"));
    }
    api.call(
        "SetUserMFAPreference",
        json!({"AccessToken": access_token,
               "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )?;
    Ok(secret)
}

/// The access and refresh tokens of a sign-in answer.
pub fn tokens(out: &Value) -> anyhow::Result<(String, String)> {
    Ok((
        text(out, &["AuthenticationResult", "AccessToken"])?,
        text(out, &["AuthenticationResult", "RefreshToken"])?,
    ))
}
