//! SMS_MFA and EMAIL_OTP sign-in codes: sent when the challenge is issued, answered with
//! SMS_MFA_CODE / EMAIL_OTP_CODE.
//!
//! A code is 6 random digits, valid [`MFA_CODE_VALIDITY_SECS`] and for the one session it was
//! sent with: the user keeps only SHA-256(session hash, code), so a code is useless with any
//! other session and a newer challenge replaces it. A right code is cleared (single use); a
//! wrong one counts toward the user's lockout like a wrong TOTP code and leaves the session
//! usable for another try. The check and the count are one compare-and-set write of the user.

use std::collections::BTreeMap;

use crate::clock::Timestamp;
use crate::crypto::{ct_eq, sha256_hex};
use crate::model::{DeliveryMedium, MessageKind, MfaFactor, PendingMfaCode, User, UserPool};
use crate::random::RandomExt;
use crate::service::common::codes;
use crate::service::common::lockout;
use crate::service::common::messages::Rendered;
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// Cognito's SMS and e-mail MFA codes are valid 3 minutes.
pub const MFA_CODE_VALIDITY_SECS: i64 = 180;

const DEFAULT_SMS_MESSAGE: &str = "Your authentication code is {####}. ";
const DEFAULT_EMAIL_MESSAGE: &str = "Your authentication code is {####}. ";
/// The subject when the pool's EmailMfaConfiguration sets none.
const DEFAULT_EMAIL_SUBJECT: &str = "Your authentication code";

/// Where `factor`'s code goes for `user`: the medium and the unmasked address, if the user has
/// one (SMS needs `phone_number`, e-mail needs `email`; TOTP has none).
pub fn destination(user: &User, factor: MfaFactor) -> Option<(DeliveryMedium, &str)> {
    match factor {
        MfaFactor::SmsMfa => user.attr("phone_number").map(|p| (DeliveryMedium::Sms, p)),
        MfaFactor::EmailOtp => user.attr("email").map(|e| (DeliveryMedium::Email, e)),
        MfaFactor::SoftwareTokenMfa => None,
    }
}

/// `CODE_DELIVERY_DESTINATION` as Cognito shows it in an MFA challenge: `+*******1234` for a
/// phone number, `a***@e***` for an address (the first character of the local part and of the
/// domain).
pub fn mask_challenge_destination(medium: DeliveryMedium, destination: &str) -> String {
    match medium {
        DeliveryMedium::Email => {
            let (local, domain) = destination.rsplit_once('@').unwrap_or((destination, ""));
            let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
            format!("{}***@{}***", first(local), first(domain))
        }
        DeliveryMedium::Sms => {
            let chars: Vec<char> = destination.chars().collect();
            let keep = 4.min(chars.len());
            let (head, tail) = chars.split_at(chars.len() - keep);
            head.iter()
                .map(|c| if *c == '+' { '+' } else { '*' })
                .chain(tail.iter().copied())
                .collect()
        }
    }
}

fn code_hash(session: &str, code: &str) -> String {
    sha256_hex(format!("{}:{code}", sha256_hex(session.as_bytes())).as_bytes())
}

fn message(pool: &UserPool, medium: DeliveryMedium, code: &str) -> String {
    let f = &pool.mfa_factors;
    let template = match medium {
        DeliveryMedium::Sms => f.sms_message.as_deref().unwrap_or(DEFAULT_SMS_MESSAGE),
        DeliveryMedium::Email => f.email_message.as_deref().unwrap_or(DEFAULT_EMAIL_MESSAGE),
    };
    template.replace("{####}", code)
}

/// Sends a fresh code for `factor` bound to `session`, and returns the challenge parameters
/// that describe where it went.
pub async fn send_sign_in_code(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &User,
    factor: MfaFactor,
    session: &str,
) -> Result<BTreeMap<String, String>> {
    let (medium, to) = destination(user, factor).ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "User does not have delivery config set to turn on {factor}"
        ))
    })?;
    let to = to.to_owned();
    let code = ctx.random.digits(6);
    let pending = PendingMfaCode {
        factor,
        code_hash: code_hash(session, &code),
        expires: ctx.now.plus_secs(MFA_CODE_VALIDITY_SECS),
    };
    ctx.modify_user(pool, &user.username, |u| {
        u.mfa.pending_code = Some(pending.clone());
        Ok(())
    })
    .await?;
    let rendered = Rendered {
        subject: Some(
            pool.mfa_factors
                .email_subject
                .clone()
                .unwrap_or_else(|| DEFAULT_EMAIL_SUBJECT.to_owned()),
        ),
        text: message(pool, medium, &code),
        html: None,
    };
    let kind = MessageKind::Authentication;
    if let Err(e) = codes::send_rendered(ctx, pool, user, kind, (medium, &to), rendered).await {
        // Nobody has the code: it is withdrawn.
        ctx.modify_user(pool, &user.username, |u| {
            if u.mfa.pending_code.as_ref() == Some(&pending) {
                u.mfa.pending_code = None;
            }
            Ok(())
        })
        .await?;
        return Err(e);
    }
    let mut parameters = BTreeMap::new();
    parameters.insert(
        "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
        medium.as_str().to_owned(),
    );
    parameters.insert(
        "CODE_DELIVERY_DESTINATION".to_owned(),
        mask_challenge_destination(medium, &to),
    );
    Ok(parameters)
}

fn mismatch() -> CognitoError {
    CognitoError::new(
        ErrorKind::CodeMismatch,
        "Invalid code or auth state for the user.",
    )
}

/// What a code answer does to the stored code (pure, for the unit tests).
#[derive(Debug, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    /// No code for this factor (never sent, already used, or replaced by a newer challenge).
    NoCode,
    Expired,
    Mismatch,
}

pub fn check(
    pending: Option<&PendingMfaCode>,
    factor: MfaFactor,
    session: &str,
    code: &str,
    now: Timestamp,
) -> CodeCheck {
    let Some(p) = pending.filter(|p| p.factor == factor) else {
        return CodeCheck::NoCode;
    };
    if now >= p.expires {
        return CodeCheck::Expired;
    }
    if ct_eq(code_hash(session, code).as_bytes(), p.code_hash.as_bytes()) {
        CodeCheck::Accepted
    } else {
        CodeCheck::Mismatch
    }
}

/// The SMS_MFA / EMAIL_OTP answer: lockout, the code, failure counting; a right code is used
/// up and resets the failure counter. Returns the user as saved.
pub async fn check_sign_in_code(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    username: &str,
    factor: MfaFactor,
    session: &str,
    code: &str,
) -> Result<User> {
    let now = ctx.now;
    let (user, ()) = ctx
        .modify_user(pool, username, |u| {
            if u.lockout.locked_until.is_some_and(|t| t > now) {
                return Err(lockout::locked());
            }
            match check(u.mfa.pending_code.as_ref(), factor, session, code, now) {
                CodeCheck::Accepted => {
                    u.mfa.pending_code = None;
                    u.lockout = Default::default();
                    // A code received by SMS proves the number (as Cognito marks it verified).
                    if factor == MfaFactor::SmsMfa {
                        u.attributes
                            .insert("phone_number_verified".into(), "true".into());
                    }
                    Ok(())
                }
                CodeCheck::NoCode => Err(mismatch()),
                CodeCheck::Expired => Err(CognitoError::new(
                    ErrorKind::ExpiredCode,
                    "Invalid code provided, please request a code again.",
                )),
                CodeCheck::Mismatch => {
                    lockout::note_failure(u, now);
                    Err(mismatch())
                }
            }
        })
        .await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_challenge_destinations_like_cognito() {
        let m = mask_challenge_destination;
        assert_eq!(m(DeliveryMedium::Sms, "+12065551234"), "+*******1234");
        assert_eq!(m(DeliveryMedium::Sms, "+1"), "+1");
        assert_eq!(m(DeliveryMedium::Email, "alice@example.com"), "a***@e***");
        assert_eq!(m(DeliveryMedium::Email, "b@mail.co.uk"), "b***@m***");
        assert_eq!(m(DeliveryMedium::Email, ""), "***@***");
    }

    fn pending(session: &str, code: &str) -> PendingMfaCode {
        PendingMfaCode {
            factor: MfaFactor::SmsMfa,
            code_hash: code_hash(session, code),
            expires: Timestamp::from_secs(1000 + MFA_CODE_VALIDITY_SECS),
        }
    }

    #[test]
    fn code_lifecycle() {
        let now = Timestamp::from_secs(1000);
        let p = pending("s1", "123456");
        let c = |p: Option<&PendingMfaCode>, f, s, code, t| check(p, f, s, code, t);
        assert_eq!(
            c(Some(&p), MfaFactor::SmsMfa, "s1", "123456", now),
            CodeCheck::Accepted
        );
        assert_eq!(
            c(Some(&p), MfaFactor::SmsMfa, "s1", "654321", now),
            CodeCheck::Mismatch
        );
        // bound to its session and its factor
        assert_eq!(
            c(Some(&p), MfaFactor::SmsMfa, "s2", "123456", now),
            CodeCheck::Mismatch
        );
        assert_eq!(
            c(Some(&p), MfaFactor::EmailOtp, "s1", "123456", now),
            CodeCheck::NoCode
        );
        // expires after 3 minutes
        let late = now.plus_secs(MFA_CODE_VALIDITY_SECS);
        assert_eq!(
            c(Some(&p), MfaFactor::SmsMfa, "s1", "123456", late),
            CodeCheck::Expired
        );
        assert_eq!(
            c(
                Some(&p),
                MfaFactor::SmsMfa,
                "s1",
                "123456",
                late.plus_secs(-1)
            ),
            CodeCheck::Accepted
        );
        // used up (cleared) codes are gone
        assert_eq!(
            c(None, MfaFactor::SmsMfa, "s1", "123456", now),
            CodeCheck::NoCode
        );
        // the stored hash is neither the code nor the plain SHA-256 of it
        assert_ne!(p.code_hash, sha256_hex(b"123456"));
        assert!(!p.code_hash.contains("123456"));
    }

    #[test]
    fn messages_use_the_pool_template_or_the_default() {
        let mut pool = crate::service::common::test_support::pool(true);
        assert_eq!(
            message(&pool, DeliveryMedium::Sms, "111111"),
            "Your authentication code is 111111. "
        );
        pool.mfa_factors.email_message = Some("Code: {####}!".into());
        assert_eq!(
            message(&pool, DeliveryMedium::Email, "222222"),
            "Code: 222222!"
        );
    }
}
