//! The bench's own pool, app client and users, created through the API.

use std::sync::atomic::AtomicI64;
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::clock::{ServerClock, TotpUser};
use crate::http::{CallError, Conn};

pub const PASSWORD: &str = "Bench-Passw0rd!";

pub struct Pool {
    pub pool_id: String,
    pub client_id: String,
    /// Why TOTP could not be set up, when it could not.
    pub totp_unsupported: Option<String>,
}

/// A signed-in user without MFA.
#[derive(Clone)]
pub struct User {
    pub name: String,
    pub access_token: String,
    pub refresh_token: String,
}

fn str_at(v: &Value, path: &[&str]) -> Result<String, CallError> {
    let mut cur = v;
    for key in path {
        cur = cur.get(*key).ok_or_else(|| {
            CallError::new("unexpected answer", format!("no {} in {v}", path.join(".")))
        })?;
    }
    cur.as_str().map(String::from).ok_or_else(|| {
        CallError::new(
            "unexpected answer",
            format!("{} is not a string", path.join(".")),
        )
    })
}

pub async fn create_pool(conn: &mut Conn, tag: &str) -> Result<Pool, CallError> {
    let pool = conn
        .call(
            "CreateUserPool",
            &json!({"PoolName": format!("bench-{tag}")}),
        )
        .await?;
    let pool_id = str_at(&pool, &["UserPool", "Id"])?;
    let totp_unsupported = conn
        .call(
            "SetUserPoolMfaConfig",
            &json!({"UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
                    "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
        )
        .await
        .err()
        .map(|e| format!("SetUserPoolMfaConfig: {e}"));
    let client = conn
        .call(
            "CreateUserPoolClient",
            // Tokens valid for a day (Cognito's longest): with a test clock the bench moves
            // the server's time 30 s on for every used-up TOTP step, often more than an hour
            // in a run, and the setup's access tokens must outlive that.
            &json!({"UserPoolId": pool_id, "ClientName": "bench",
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                                          "ALLOW_REFRESH_TOKEN_AUTH"],
                    "AccessTokenValidity": 1, "IdTokenValidity": 1,
                    "TokenValidityUnits": {"AccessToken": "days", "IdToken": "days"}}),
        )
        .await?;
    let client_id = str_at(&client, &["UserPoolClient", "ClientId"])?;
    Ok(Pool {
        pool_id,
        client_id,
        totp_unsupported,
    })
}

/// AdminCreateUser, AdminSetUserPassword (permanent), then a USER_PASSWORD_AUTH sign-in.
pub async fn create_user(conn: &mut Conn, pool: &Pool, name: &str) -> Result<User, CallError> {
    conn.call(
        "AdminCreateUser",
        &json!({"UserPoolId": pool.pool_id, "Username": name,
                "TemporaryPassword": PASSWORD, "MessageAction": "SUPPRESS"}),
    )
    .await?;
    conn.call(
        "AdminSetUserPassword",
        &json!({"UserPoolId": pool.pool_id, "Username": name,
                "Password": PASSWORD, "Permanent": true}),
    )
    .await?;
    let auth = conn
        .call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool.client_id,
                    "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}),
        )
        .await?;
    Ok(User {
        name: name.to_owned(),
        access_token: str_at(&auth, &["AuthenticationResult", "AccessToken"])?,
        refresh_token: str_at(&auth, &["AuthenticationResult", "RefreshToken"])?,
    })
}

/// A user with a verified software token, preferred for MFA.
pub async fn create_totp_user(
    conn: &mut Conn,
    pool: &Pool,
    clock: &ServerClock,
    name: &str,
) -> Result<TotpUser, CallError> {
    let user = create_user(conn, pool, name).await?;
    let assoc = conn
        .call(
            "AssociateSoftwareToken",
            &json!({"AccessToken": user.access_token}),
        )
        .await?;
    let secret = decode_secret(&str_at(&assoc, &["SecretCode"])?)?;
    let (now, _guard) = clock.now().await;
    let step = cognate_core::crypto::totp::step_at(now);
    let code = cognate_core::crypto::totp::hotp(&secret, step.max(0) as u64);
    conn.call(
        "VerifySoftwareToken",
        &json!({"AccessToken": user.access_token, "UserCode": code}),
    )
    .await?;
    conn.call(
        "SetUserMFAPreference",
        &json!({"AccessToken": user.access_token,
                "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await?;
    Ok(TotpUser {
        name: user.name,
        access_token: user.access_token,
        secret: Mutex::new(secret),
        last_step: AtomicI64::new(step),
    })
}

pub fn decode_secret(code: &str) -> Result<Vec<u8>, CallError> {
    cognate_core::crypto::totp::base32_decode(code)
        .ok_or_else(|| CallError::new("unexpected answer", "SecretCode is not base32"))
}

/// Creates `n` users named `<prefix><i>` over `parallel` connections.
pub async fn create_many<T, F, Fut>(
    addr: &str,
    n: usize,
    parallel: usize,
    make: F,
) -> Result<Vec<T>, CallError>
where
    T: Send + 'static,
    F: Fn(Conn, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = (Conn, Result<T, CallError>)> + Send,
{
    let mut tasks = Vec::new();
    for w in 0..parallel.max(1) {
        let make = make.clone();
        let addr = addr.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::new(&addr);
            let mut out = Vec::new();
            let mut i = w;
            while i < n {
                let (c, r) = make(conn, i).await;
                conn = c;
                out.push(r?);
                i += parallel.max(1);
            }
            Ok::<_, CallError>(out)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        let part = t
            .await
            .map_err(|e| CallError::new("setup", e.to_string()))??;
        all.extend(part);
    }
    Ok(all)
}
