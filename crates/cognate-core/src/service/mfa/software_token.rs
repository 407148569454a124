//! AssociateSoftwareToken, VerifySoftwareToken, AdminDeleteSoftwareToken, and the TOTP check
//! of the SOFTWARE_TOKEN_MFA challenge.
//!
//! Secrets are 32 random bytes, shown to the user once as 52 Base32 characters and stored only
//! sealed under the master key. A verified token keeps working until a newly associated one is
//! verified. Every accepted code records its time step; a code whose step is not newer is a
//! replay. The step is written with compare-and-set on the user's version, so of several
//! concurrent requests carrying one code exactly one succeeds.

use crate::crypto::totp::{self, TotpCheck};
use crate::model::{
    AuthSessionRecord, ChallengeName, MfaConfiguration, MfaFactor, SessionStage, SoftwareToken,
    User, UserPool,
};
use crate::random::RandomExt;
use crate::service::common::{lockout, session};
use crate::service::tokens::verify::authenticate_access_token;
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// Who is enrolling: a signed-in user, or a sign-in stopped at an MFA_SETUP challenge.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    AccessToken(&'a str),
    Session(&'a str),
    /// A user signed in on the managed login (its browser session checked by the caller).
    SignedIn {
        pool_id: &'a str,
        username: &'a str,
    },
}

impl<'a> Caller<'a> {
    /// Exactly one of the two must be given.
    pub fn from_input(access_token: Option<&'a str>, session: Option<&'a str>) -> Result<Self> {
        match (access_token, session) {
            (Some(t), None) => Ok(Self::AccessToken(t)),
            (None, Some(s)) => Ok(Self::Session(s)),
            _ => Err(CognitoError::invalid_parameter(
                "Exactly one of AccessToken and Session must be given.",
            )),
        }
    }
}

fn seal_context(pool: &UserPool, user: &User) -> String {
    format!("totp-secret:{}:{}", pool.id, user.username)
}

fn open_secret(ctx: &Ctx<'_>, pool: &UserPool, user: &User, sealed: &[u8]) -> Result<Vec<u8>> {
    ctx.sealer
        .open(&seal_context(pool, user), sealed)
        .map(|s| s.to_vec())
        .ok_or_else(|| CognitoError::internal("cannot unseal a TOTP secret (wrong master key?)"))
}

fn not_enabled_for_pool() -> CognitoError {
    CognitoError::new(
        ErrorKind::SoftwareTokenMfaNotFound,
        "Software Token MFA has not been enabled by the userPool.",
    )
}

fn replayed() -> CognitoError {
    CognitoError::new(
        ErrorKind::ExpiredCode,
        "Your software token has already been used once.",
    )
}

/// Resolves the caller to its pool and user; a session must be at one of `stages` of MFA_SETUP
/// and is consumed (its successor is issued by the caller).
async fn resolve(
    ctx: &Ctx<'_>,
    caller: Caller<'_>,
    stages: &[SessionStage],
) -> Result<(UserPool, User, Option<AuthSessionRecord>)> {
    match caller {
        Caller::AccessToken(t) => {
            let a = authenticate_access_token(ctx, t).await?;
            Ok((a.pool, a.user, None))
        }
        Caller::SignedIn { pool_id, username } => {
            let pool = ctx.pool(pool_id).await?;
            let user = ctx.user(&pool, username).await?;
            Ok((pool, user, None))
        }
        Caller::Session(s) => {
            let record = session::open(ctx, s, None, ChallengeName::MfaSetup).await?;
            if !stages.contains(&record.stage) {
                return Err(CognitoError::not_authorized(
                    "Invalid session for the user.",
                ));
            }
            let pool = ctx.pool(&record.pool_id).await?;
            let user = ctx.user(&pool, &record.username).await?;
            Ok((pool, user, Some(record)))
        }
    }
}

/// The session that follows `record` in the MFA_SETUP chain.
async fn next_session(
    ctx: &Ctx<'_>,
    record: &AuthSessionRecord,
    stage: SessionStage,
) -> Result<String> {
    session::consume(ctx, record).await?;
    let validity = ctx.client(&record.client_id).await?.auth_session_validity;
    session::issue(
        ctx,
        session::Issue {
            pool_id: &record.pool_id,
            client_id: &record.client_id,
            username: &record.username,
            challenge: ChallengeName::MfaSetup,
            stage,
            validity_minutes: validity,
        },
    )
    .await
}

/// Returns the new secret (Base32) and, for a session caller, the next session.
pub async fn associate_software_token(
    ctx: &Ctx<'_>,
    caller: Caller<'_>,
) -> Result<(String, Option<String>)> {
    let (pool, user, record) = resolve(
        ctx,
        caller,
        &[SessionStage::Challenge, SessionStage::Associated],
    )
    .await?;
    if !pool.mfa_factors.software_token {
        return Err(not_enabled_for_pool());
    }
    let secret = ctx.random.bytes::<32>();
    let sealed = ctx
        .sealer
        .seal(ctx.random, &seal_context(&pool, &user), &secret);
    ctx.modify_user(&pool, &user.username, |u| {
        u.mfa.pending_secret = Some(sealed.clone());
        Ok(())
    })
    .await?;
    let next = match &record {
        Some(r) => Some(next_session(ctx, r, SessionStage::Associated).await?),
        None => None,
    };
    Ok((totp::base32_encode(&secret), next))
}

/// Verifies the pending secret with a code; returns the next session for a session caller.
pub async fn verify_software_token(
    ctx: &Ctx<'_>,
    caller: Caller<'_>,
    code: &str,
    friendly_device_name: Option<&str>,
) -> Result<Option<String>> {
    let (pool, user, record) = resolve(ctx, caller, &[SessionStage::Associated]).await?;
    if !pool.mfa_factors.software_token {
        return Err(not_enabled_for_pool());
    }
    // In an MFA-required pool, or inside the sign-in's MFA_SETUP, a verified token is active
    // at once; otherwise the user turns it on with SetUserMFAPreference.
    let activate = record.is_some() || pool.mfa_configuration == MfaConfiguration::On;
    let now = ctx.now;
    ctx.modify_user(&pool, &user.username, |u| {
        let pending = u.mfa.pending_secret.clone().ok_or_else(|| {
            CognitoError::new(
                ErrorKind::SoftwareTokenMfaNotFound,
                "Software Token MFA has not been associated with the user.",
            )
        })?;
        let secret = open_secret(ctx, &pool, u, &pending)?;
        match totp::verify(&secret, code, now.secs(), u.mfa.last_totp_step) {
            TotpCheck::Accepted { step } => {
                u.mfa.software_token = Some(SoftwareToken {
                    sealed_secret: pending,
                    friendly_device_name: friendly_device_name.map(String::from),
                    verified_at: now,
                });
                u.mfa.pending_secret = None;
                u.mfa.last_totp_step = Some(step);
                if activate && !u.mfa.enabled.contains(&MfaFactor::SoftwareTokenMfa) {
                    u.mfa.enabled.push(MfaFactor::SoftwareTokenMfa);
                }
                Ok(())
            }
            TotpCheck::Replayed => Err(replayed()),
            TotpCheck::Mismatch => Err(CognitoError::new(
                ErrorKind::EnableSoftwareTokenMfa,
                "Code mismatch and fail enable Software Token MFA",
            )),
        }
    })
    .await?;
    match &record {
        Some(r) => Ok(Some(next_session(ctx, r, SessionStage::Verified).await?)),
        None => Ok(None),
    }
}

/// The SOFTWARE_TOKEN_MFA challenge's code check: lockout, replay guard, failure counting.
pub async fn check_sign_in_code(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    username: &str,
    code: &str,
) -> Result<User> {
    let now = ctx.now;
    let (user, ()) = ctx
        .modify_user(pool, username, |u| {
            if u.lockout.locked_until.is_some_and(|t| t > now) {
                return Err(lockout::locked());
            }
            let token = u.mfa.software_token.clone().ok_or_else(|| {
                CognitoError::new(
                    ErrorKind::SoftwareTokenMfaNotFound,
                    "Software Token MFA does not exist for the user.",
                )
            })?;
            let secret = open_secret(ctx, pool, u, &token.sealed_secret)?;
            match totp::verify(&secret, code, now.secs(), u.mfa.last_totp_step) {
                TotpCheck::Accepted { step } => {
                    u.mfa.last_totp_step = Some(step);
                    u.lockout = Default::default();
                    Ok(())
                }
                TotpCheck::Replayed => Err(replayed()),
                TotpCheck::Mismatch => {
                    lockout::note_failure(u, now);
                    Err(CognitoError::new(
                        ErrorKind::CodeMismatch,
                        "Invalid code received for user",
                    ))
                }
            }
        })
        .await?;
    Ok(user)
}

pub async fn admin_delete_software_token(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    ctx.modify_user(&pool, &user.username, |u| {
        u.mfa.software_token = None;
        u.mfa.pending_secret = None;
        u.mfa.enabled.retain(|f| *f != MfaFactor::SoftwareTokenMfa);
        if u.mfa.preferred == Some(MfaFactor::SoftwareTokenMfa) {
            u.mfa.preferred = None;
        }
        Ok(())
    })
    .await?;
    Ok(())
}
