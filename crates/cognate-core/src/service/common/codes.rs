//! One-time codes (sign-up confirmation, password reset, attribute verification): issue, store,
//! check, deliver (`send_code` does all three, withdrawing the code when the send fails), and the
//! masked destinations Cognito reports in `CodeDeliveryDetails`.

use std::collections::BTreeMap;

use crate::clock::Timestamp;
use crate::crypto::{ct_eq, sha256_hex};
use crate::delivery::OutgoingMessage;
use crate::model::{CodePurpose, DeliveryMedium, MessageKind, PendingCode, User, UserPool};
use crate::random::RandomExt;
use crate::service::common::attributes::{looks_like_email, looks_like_phone};
use crate::service::common::{code_limits, messages};
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// Sign-up confirmation codes are valid 24 hours.
pub const CONFIRM_SIGN_UP_VALIDITY_SECS: i64 = 24 * 3600;
/// Password-reset codes are valid 1 hour.
pub const FORGOT_PASSWORD_VALIDITY_SECS: i64 = 3600;

/// Where a code goes: the attribute it verifies and its medium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// `email` or `phone_number`.
    pub attribute: &'static str,
    pub medium: DeliveryMedium,
    /// The unmasked address.
    pub destination: String,
}

impl Channel {
    pub fn email(address: &str) -> Self {
        Self {
            attribute: "email",
            medium: DeliveryMedium::Email,
            destination: address.to_owned(),
        }
    }
    pub fn sms(number: &str) -> Self {
        Self {
            attribute: "phone_number",
            medium: DeliveryMedium::Sms,
            destination: number.to_owned(),
        }
    }
    /// The user's `attr` (email or phone_number) as a channel, if set.
    pub fn of(user: &User, attr: &str) -> Option<Self> {
        match attr {
            "email" => user.attr("email").map(Self::email),
            "phone_number" => user.attr("phone_number").map(Self::sms),
            _ => None,
        }
    }
    pub fn details(&self) -> CodeDeliveryDetails {
        CodeDeliveryDetails {
            destination: mask_destination(&self.destination),
            medium: self.medium,
            attribute: self.attribute,
        }
    }
}

/// Cognito's `CodeDeliveryDetailsType`, with the destination already masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDeliveryDetails {
    pub destination: String,
    pub medium: DeliveryMedium,
    pub attribute: &'static str,
}

/// A fresh 6-digit code and the record to store (its hash and expiry).
pub fn issue_code(ctx: &Ctx<'_>, validity_secs: i64) -> (String, PendingCode) {
    let code = ctx.random.digits(6);
    let pending = PendingCode {
        code_hash: sha256_hex(code.as_bytes()),
        expires: ctx.now.plus_secs(validity_secs),
    };
    (code, pending)
}

/// Checks `code` against a pending code (in constant time). No pending code means it was used
/// or never sent. Failures are counted by the caller, before the check (`code_limits`).
pub fn check_code(pending: Option<&PendingCode>, code: &str, now: Timestamp) -> Result<()> {
    let Some(p) = pending else {
        return Err(expired());
    };
    if now >= p.expires {
        return Err(expired());
    }
    if !ct_eq(
        sha256_hex(code.as_bytes()).as_bytes(),
        p.code_hash.as_bytes(),
    ) {
        return Err(mismatch());
    }
    Ok(())
}

pub fn mismatch() -> CognitoError {
    CognitoError::new(
        ErrorKind::CodeMismatch,
        "Invalid verification code provided, please try again.",
    )
}

fn expired() -> CognitoError {
    CognitoError::new(
        ErrorKind::ExpiredCode,
        "Invalid code provided, please request a code again.",
    )
}

/// Masks an address the way Cognito does: `a***@e***.com`, `+*******1212`.
pub fn mask_destination(destination: &str) -> String {
    if let Some((local, domain)) = destination.rsplit_once('@') {
        let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
        let (host, tld) = match domain.rsplit_once('.') {
            Some((h, t)) => (h, format!(".{t}")),
            None => (domain, String::new()),
        };
        return format!("{}***@{}***{}", first(local), first(host), tld);
    }
    let chars: Vec<char> = destination.chars().collect();
    let keep = 4.min(chars.len());
    let (head, tail) = chars.split_at(chars.len() - keep);
    head.iter()
        .map(|c| if *c == '+' { '+' } else { '*' })
        .chain(tail.iter().copied())
        .collect()
}

/// A plausible answer for an unknown user when the client hides user existence.
pub fn simulated_details(username: &str) -> CodeDeliveryDetails {
    let channel = if looks_like_phone(username) {
        Channel::sms(username)
    } else if looks_like_email(username) {
        Channel::email(username)
    } else {
        let first = username.chars().next().unwrap_or('u');
        Channel::email(&format!("{first}@example.com"))
    };
    channel.details()
}

/// The name a user signs in with: the email/phone in pools that use it as the username.
fn display_username<'a>(pool: &UserPool, user: &'a User) -> &'a str {
    pool.username_attributes
        .iter()
        .find_map(|a| user.attr(a))
        .unwrap_or(&user.username)
}

/// Cognito's answer when a message could not be sent.
pub fn delivery_failure(medium: DeliveryMedium) -> CognitoError {
    CognitoError::new(
        ErrorKind::CodeDeliveryFailure,
        match medium {
            DeliveryMedium::Email => "Invalid email provided/Unable to send the email",
            DeliveryMedium::Sms => "Unable to send the SMS message",
        },
    )
}

/// Sends `code` over `channel` through the delivery interface, rendered with the pool's
/// templates; returns the masked details. A failed send is CodeDeliveryFailureException (the
/// caller undoes what it stored for this message).
pub async fn deliver(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &User,
    kind: MessageKind,
    channel: &Channel,
    code: &str,
) -> Result<CodeDeliveryDetails> {
    let rendered = messages::render(
        pool,
        channel.medium,
        kind,
        display_username(pool, user),
        code,
    );
    let to = (channel.medium, channel.destination.as_str());
    send_rendered(ctx, pool, user, kind, to, rendered).await?;
    Ok(channel.details())
}

/// Hands a rendered message for `user` to the delivery interface, with the pool's sender (and,
/// for SMS, its SmsConfiguration). A failed send is CodeDeliveryFailureException.
pub async fn send_rendered(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &User,
    kind: MessageKind,
    (medium, destination): (DeliveryMedium, &str),
    rendered: messages::Rendered,
) -> Result<()> {
    let email = medium == DeliveryMedium::Email;
    let t = &pool.message_templates;
    let out = OutgoingMessage {
        pool_id: pool.id.clone(),
        username: user.username.clone(),
        user_sub: user.sub.clone(),
        kind,
        medium,
        destination: destination.to_owned(),
        message: rendered.text,
        subject: rendered.subject.filter(|_| email),
        html: rendered.html.filter(|_| email),
        from: t.email_from.clone().filter(|_| email),
        reply_to: t.email_reply_to.clone().filter(|_| email),
        sms_configuration: if email {
            BTreeMap::new()
        } else {
            t.sms_configuration.clone()
        },
    };
    ctx.delivery
        .deliver(&out)
        .await
        .map_err(|_| delivery_failure(medium))
}

/// The slot on a user where a code of `purpose` is kept.
fn slot(user: &mut User, purpose: CodePurpose) -> SlotRef<'_> {
    match purpose {
        CodePurpose::ConfirmSignUp => SlotRef::One(&mut user.codes.confirm_sign_up),
        CodePurpose::ForgotPassword => SlotRef::One(&mut user.codes.forgot_password),
        CodePurpose::VerifyEmail => SlotRef::Attr(&mut user.codes.verify_attribute, "email"),
        CodePurpose::VerifyPhoneNumber => {
            SlotRef::Attr(&mut user.codes.verify_attribute, "phone_number")
        }
    }
}

enum SlotRef<'a> {
    One(&'a mut Option<PendingCode>),
    Attr(&'a mut BTreeMap<String, PendingCode>, &'static str),
}

impl SlotRef<'_> {
    fn set(self, code: PendingCode) {
        match self {
            SlotRef::One(o) => *o = Some(code),
            SlotRef::Attr(m, a) => {
                m.insert(a.to_owned(), code);
            }
        }
    }
    /// Removes the code if it is still `code` (a newer one is left alone).
    fn clear_if(self, code: &PendingCode) {
        match self {
            SlotRef::One(o) => {
                if o.as_ref() == Some(code) {
                    *o = None;
                }
            }
            SlotRef::Attr(m, a) => {
                if m.get(a) == Some(code) {
                    m.remove(a);
                }
            }
        }
    }
}

/// Keeps `pending` as the user's code of `purpose` (counted by the issue limits).
pub fn store_code(
    user: &mut User,
    purpose: CodePurpose,
    pending: PendingCode,
    now: Timestamp,
) -> Result<()> {
    code_limits::note_issue(user, purpose, now)?;
    slot(user, purpose).set(pending);
    Ok(())
}

/// Undoes a stored code whose message could not be sent, so no code is left that nobody has.
pub async fn withdraw_code(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    username: &str,
    purpose: CodePurpose,
    pending: &PendingCode,
) -> Result<()> {
    ctx.modify_user(pool, username, |u| {
        slot(u, purpose).clear_if(pending);
        Ok(())
    })
    .await?;
    Ok(())
}

/// Issues a code of `purpose` for an existing user, stores it and sends it over `channel`.
/// When the send fails the code is withdrawn and the error is CodeDeliveryFailureException.
pub async fn send_code(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    username: &str,
    purpose: CodePurpose,
    kind: MessageKind,
    channel: &Channel,
) -> Result<CodeDeliveryDetails> {
    let validity = match purpose {
        CodePurpose::ForgotPassword => FORGOT_PASSWORD_VALIDITY_SECS,
        _ => CONFIRM_SIGN_UP_VALIDITY_SECS,
    };
    let (code, pending) = issue_code(ctx, validity);
    let now = ctx.now;
    let (user, ()) = ctx
        .modify_user(pool, username, |u| {
            store_code(u, purpose, pending.clone(), now)
        })
        .await?;
    match deliver(ctx, pool, &user, kind, channel, &code).await {
        Ok(details) => Ok(details),
        Err(e) => {
            withdraw_code(ctx, pool, &user.username, purpose, &pending).await?;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(r: Result<()>) -> Option<ErrorKind> {
        r.err().map(|e| e.kind)
    }

    #[test]
    fn masks_like_cognito() {
        assert_eq!(mask_destination("alice@example.com"), "a***@e***.com");
        assert_eq!(mask_destination("b@mail.example.co.uk"), "b***@m***.uk");
        assert_eq!(mask_destination("+12065551212"), "+*******1212");
        assert_eq!(mask_destination("+1"), "+1");
        assert_eq!(mask_destination(""), "");
    }

    fn pending(code: &str, expires: i64) -> PendingCode {
        PendingCode {
            code_hash: sha256_hex(code.as_bytes()),
            expires: Timestamp::from_secs(expires),
        }
    }

    #[test]
    fn code_checks() {
        let now = Timestamp::from_secs(1000);
        let p = pending("123456", 2000);
        assert!(check_code(Some(&p), "123456", now).is_ok());
        assert_eq!(
            kind(check_code(Some(&p), "654321", now)),
            Some(ErrorKind::CodeMismatch)
        );
        let late = Timestamp::from_secs(2000);
        assert_eq!(
            kind(check_code(Some(&p), "123456", late)),
            Some(ErrorKind::ExpiredCode)
        );
        assert_eq!(
            kind(check_code(None, "123456", now)),
            Some(ErrorKind::ExpiredCode)
        );
    }

    #[test]
    fn simulated_details_follow_the_username_shape() {
        assert_eq!(
            simulated_details("+12065551212").medium,
            DeliveryMedium::Sms
        );
        let d = simulated_details("ghost");
        assert_eq!((d.medium, d.attribute), (DeliveryMedium::Email, "email"));
        assert_eq!(d.destination, "g***@e***.com");
    }
}
