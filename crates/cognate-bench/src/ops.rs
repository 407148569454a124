//! The measured operations: one call (or one sign-in of two calls) each.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::clock::{ServerClock, Tickets};
use crate::http::{CallError, Conn};
use crate::setup::{decode_secret, Pool, User, PASSWORD};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    GetUser,
    ListUsersFilter,
    AssociateSoftwareToken,
    UserSrpAuth,
    UserPasswordAuth,
    RefreshTokenAuth,
    AdminCreateUser,
    VerifySoftwareToken,
    SignInTotp,
    /// `POST /` answered by anything (the hello-world server).
    Hello,
}

/// In the order they run: the ones that move a test clock come last, so that no access token
/// used by another operation expires under them.
pub const ALL: [Op; 9] = [
    Op::GetUser,
    Op::ListUsersFilter,
    Op::AssociateSoftwareToken,
    Op::UserSrpAuth,
    Op::UserPasswordAuth,
    Op::RefreshTokenAuth,
    Op::AdminCreateUser,
    Op::VerifySoftwareToken,
    Op::SignInTotp,
];

impl Op {
    pub fn key(self) -> &'static str {
        match self {
            Op::GetUser => "get-user",
            Op::ListUsersFilter => "list-users-filter",
            Op::AssociateSoftwareToken => "associate-software-token",
            Op::UserSrpAuth => "srp-sign-in",
            Op::UserPasswordAuth => "password-sign-in",
            Op::RefreshTokenAuth => "refresh-token",
            Op::AdminCreateUser => "admin-create-user",
            Op::VerifySoftwareToken => "verify-software-token",
            Op::SignInTotp => "totp-sign-in",
            Op::Hello => "hello",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Op::GetUser => "GetUser",
            Op::ListUsersFilter => "ListUsers with a Filter",
            Op::AssociateSoftwareToken => "AssociateSoftwareToken",
            Op::UserSrpAuth => "USER_SRP_AUTH sign-in (2 calls)",
            Op::UserPasswordAuth => "InitiateAuth USER_PASSWORD_AUTH",
            Op::RefreshTokenAuth => "InitiateAuth REFRESH_TOKEN_AUTH",
            Op::AdminCreateUser => "AdminCreateUser with a password",
            Op::VerifySoftwareToken => "VerifySoftwareToken (*)",
            Op::SignInTotp => "sign-in with TOTP (2 calls)",
            Op::Hello => "POST / (hello world)",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        ALL.iter()
            .chain([Op::Hello].iter())
            .copied()
            .find(|o| o.key() == s)
    }

    pub fn needs_totp(self) -> bool {
        matches!(self, Op::VerifySoftwareToken | Op::SignInTotp)
    }
}

pub struct Ctx {
    pub pool: Pool,
    pub users: Vec<User>,
    pub tickets: Option<Tickets>,
    pub clock: ServerClock,
    /// Makes AdminCreateUser's names unique across runs against one server.
    pub tag: String,
    /// Numbers AdminCreateUser's users.
    pub created: std::sync::atomic::AtomicU64,
}

pub enum Outcome {
    Ok(Duration),
    Err(CallError),
    /// Every TOTP user has used the current 30 s step (wall clock only).
    Exhausted,
}

impl Ctx {
    fn user(&self, n: u64) -> Option<&User> {
        let len = self.users.len().max(1) as u64;
        self.users.get((n % len) as usize)
    }

    /// One measured iteration; `n` is distinct per call of this worker, `worker` per worker.
    pub async fn run_once(&self, op: Op, conn: &mut Conn, worker: usize, n: u64) -> Outcome {
        let seq = n.wrapping_mul(64).wrapping_add(worker as u64);
        if op.needs_totp() {
            return self.run_totp(op, conn).await;
        }
        if op == Op::Hello {
            let start = Instant::now();
            return match conn.post("/", &[], b"{}".to_vec()).await {
                Ok((200, _, _)) => Outcome::Ok(start.elapsed()),
                Ok((s, _, _)) => Outcome::Err(CallError::new(format!("HTTP {s}"), "")),
                Err(e) => Outcome::Err(e),
            };
        }
        let Some(user) = self.user(seq) else {
            return Outcome::Err(CallError::new("setup", "no users"));
        };
        let start = Instant::now();
        let r = match op {
            Op::GetUser => conn
                .call("GetUser", &json!({"AccessToken": user.access_token}))
                .await
                .map(drop),
            Op::ListUsersFilter => conn
                .call(
                    "ListUsers",
                    &json!({"UserPoolId": self.pool.pool_id, "Limit": 10,
                            "Filter": format!("username = \"{}\"", user.name)}),
                )
                .await
                .map(drop),
            Op::AssociateSoftwareToken => conn
                .call(
                    "AssociateSoftwareToken",
                    &json!({"AccessToken": user.access_token}),
                )
                .await
                .map(drop),
            Op::UserPasswordAuth => self.password_auth(conn, &user.name).await.map(drop),
            Op::RefreshTokenAuth => conn
                .call(
                    "InitiateAuth",
                    &json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": self.pool.client_id,
                            "AuthParameters": {"REFRESH_TOKEN": user.refresh_token}}),
                )
                .await
                .map(drop),
            Op::AdminCreateUser => conn
                .call(
                    "AdminCreateUser",
                    &json!({"UserPoolId": self.pool.pool_id,
                            "Username": format!("c-{}-{}", self.tag,
                                self.created.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
                            "TemporaryPassword": PASSWORD, "MessageAction": "SUPPRESS"}),
                )
                .await
                .map(drop),
            Op::UserSrpAuth => crate::srp::sign_in(self, conn, &user.name).await,
            Op::Hello => conn
                .post("/", &[], b"{}".to_vec())
                .await
                .and_then(|(s, _, _)| {
                    if s == 200 {
                        Ok(())
                    } else {
                        Err(CallError::new(format!("HTTP {s}"), ""))
                    }
                }),
            Op::VerifySoftwareToken | Op::SignInTotp => Ok(()),
        };
        match r {
            Ok(()) => Outcome::Ok(start.elapsed()),
            Err(e) => Outcome::Err(e),
        }
    }

    async fn password_auth(&self, conn: &mut Conn, name: &str) -> Result<Value, CallError> {
        conn.call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.pool.client_id,
                    "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}),
        )
        .await
    }

    /// Without a test clock: waits (untimed) for the next 30 s step when more than half of
    /// the TOTP users have used the current one.
    pub async fn fresh_step(&self) {
        let Some(tickets) = &self.tickets else { return };
        if self.clock.is_test_clock() {
            return;
        }
        let (now, _) = self.clock.now().await;
        let step = cognate_core::crypto::totp::step_at(now);
        let used = tickets
            .users
            .iter()
            .filter(|u| u.last_step.load(std::sync::atomic::Ordering::Relaxed) >= step)
            .count();
        if used * 2 > tickets.users.len() {
            let wait = (step + 1) * 30 - now;
            eprintln!("waiting {wait} s for a fresh TOTP step");
            tokio::time::sleep(std::time::Duration::from_secs(wait.max(0) as u64 + 1)).await;
        }
    }

    /// A (user, step) never used before; moves a test clock on when the step is spent.
    async fn run_totp(&self, op: Op, conn: &mut Conn) -> Outcome {
        let Some(tickets) = &self.tickets else {
            return Outcome::Err(CallError::new("setup", "no TOTP users"));
        };
        loop {
            let (now, guard) = self.clock.now().await;
            let step = cognate_core::crypto::totp::step_at(now);
            let Some(user) = tickets.take(step) else {
                drop(guard);
                if !self.clock.is_test_clock() {
                    return Outcome::Exhausted;
                }
                if let Err(e) = self.clock.advance(conn, now).await {
                    return Outcome::Err(e);
                }
                continue;
            };
            let r = match op {
                Op::VerifySoftwareToken => self.verify_once(conn, user, step).await,
                _ => self.totp_sign_in(conn, user, step).await,
            };
            drop(guard);
            return match r {
                Ok(d) => Outcome::Ok(d),
                Err(e) => Outcome::Err(e),
            };
        }
    }

    /// An (untimed) AssociateSoftwareToken for a fresh secret, then the timed VerifySoftwareToken.
    async fn verify_once(
        &self,
        conn: &mut Conn,
        user: &crate::clock::TotpUser,
        step: i64,
    ) -> Result<Duration, CallError> {
        let assoc = conn
            .call(
                "AssociateSoftwareToken",
                &json!({"AccessToken": user.access_token}),
            )
            .await?;
        let secret_code = assoc
            .get("SecretCode")
            .and_then(Value::as_str)
            .ok_or_else(|| CallError::new("unexpected answer", "no SecretCode"))?;
        let secret = decode_secret(secret_code)?;
        let code = cognate_core::crypto::totp::hotp(&secret, step.max(0) as u64);
        let start = Instant::now();
        conn.call(
            "VerifySoftwareToken",
            &json!({"AccessToken": user.access_token, "UserCode": code}),
        )
        .await?;
        let took = start.elapsed();
        if let Ok(mut s) = user.secret.lock() {
            *s = secret;
        }
        Ok(took)
    }

    async fn totp_sign_in(
        &self,
        conn: &mut Conn,
        user: &crate::clock::TotpUser,
        step: i64,
    ) -> Result<Duration, CallError> {
        let start = Instant::now();
        let first = self.password_auth(conn, &user.name).await?;
        let challenge = first.get("ChallengeName").and_then(Value::as_str);
        if challenge != Some("SOFTWARE_TOKEN_MFA") {
            return Err(CallError::new(
                "no SOFTWARE_TOKEN_MFA challenge",
                format!("ChallengeName {challenge:?}"),
            ));
        }
        let session = first.get("Session").and_then(Value::as_str).unwrap_or("");
        let code = match user.secret.lock() {
            Ok(s) => cognate_core::crypto::totp::hotp(&s, step.max(0) as u64),
            Err(_) => return Err(CallError::new("bench", "poisoned secret")),
        };
        let done = conn
            .call(
                "RespondToAuthChallenge",
                &json!({"ClientId": self.pool.client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA",
                        "Session": session,
                        "ChallengeResponses": {"USERNAME": user.name, "SOFTWARE_TOKEN_MFA_CODE": code}}),
            )
            .await?;
        if done.get("AuthenticationResult").is_none() {
            return Err(CallError::new("no AuthenticationResult", done.to_string()));
        }
        Ok(start.elapsed())
    }
}
