use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::model::MfaFactor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    ResetRequired,
    ForceChangePassword,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Confirmed => "CONFIRMED",
            Self::ResetRequired => "RESET_REQUIRED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

/// A stored password: an argon2id PHC string, never the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordCredential {
    pub phc: String,
    pub set_at: Timestamp,
    /// A temporary password (AdminCreateUser / AdminSetUserPassword Permanent=false).
    pub temporary: bool,
    /// SRP salt and verifier (g^x mod N), computed when the password is set: USER_SRP_AUTH
    /// never needs the password itself. The verifier is sealed under the master key (it
    /// allows offline guessing at one exponentiation per guess).
    #[serde(default)]
    pub srp_salt: Vec<u8>,
    #[serde(default)]
    pub sealed_srp_verifier: Vec<u8>,
}

/// A one-time code sent to the user; only its hash is stored. Failed guesses are counted per
/// purpose ([`CodeAttempts`]), not per code, so a new code does not reset them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    pub code_hash: String,
    pub expires: Timestamp,
}

/// What a one-time code proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CodePurpose {
    ConfirmSignUp,
    ForgotPassword,
    VerifyEmail,
    VerifyPhoneNumber,
}

impl CodePurpose {
    /// The purpose of a code that verifies `attribute`, if it can be verified.
    pub fn verify(attribute: &str) -> Option<Self> {
        match attribute {
            "email" => Some(Self::VerifyEmail),
            "phone_number" => Some(Self::VerifyPhoneNumber),
            _ => None,
        }
    }
}

/// Guesses and issued codes of one purpose (see `service::common::code_limits`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeAttempts {
    /// Guesses since the last right one, counted before each guess is checked.
    pub failures: u32,
    pub locked_until: Option<Timestamp>,
    /// When codes were sent, the last hour's only.
    pub issued: Vec<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCodes {
    pub confirm_sign_up: Option<PendingCode>,
    pub forgot_password: Option<PendingCode>,
    /// Attribute name -> pending verification code.
    pub verify_attribute: BTreeMap<String, PendingCode>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    pub failed_attempts: u32,
    pub locked_until: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub pool_id: String,
    /// The internal, immutable username (a UUID in pools that sign in with email/phone).
    pub username: String,
    pub sub: String,
    /// All attributes except `sub`, by full name (`email`, `custom:plan`, `email_verified`...).
    pub attributes: BTreeMap<String, String>,
    pub status: UserStatus,
    pub enabled: bool,
    pub created: Timestamp,
    pub modified: Timestamp,
    pub password: Option<PasswordCredential>,
    /// Hashes of earlier passwords, newest first (password history policy).
    pub password_history: Vec<String>,
    pub codes: UserCodes,
    /// Limits on one-time codes, per purpose.
    #[serde(default)]
    pub code_attempts: BTreeMap<CodePurpose, CodeAttempts>,
    pub lockout: Lockout,
    /// Tokens issued before this instant are revoked (GlobalSignOut).
    pub tokens_valid_after: Timestamp,
    /// Lookup keys the store indexes: computed by the core from the pool's settings.
    pub keys: UserKeys,
    /// Second factors: software token, enabled factors, preference.
    #[serde(default)]
    pub mfa: UserMfa,
    /// The version of each independently written part (see [`UserPart`]).
    #[serde(default)]
    pub versions: UserVersions,
}

/// The parts of a user that change independently. A write names the parts it changed, and
/// only those are compared-and-set: a sign-in counting a failure (lockout) never conflicts
/// with an administrator editing attributes (profile) or a sign-out (revocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserPart {
    /// Attributes, status, enabled, lookup keys (and `modified`).
    Profile,
    /// The password and its history.
    Credential,
    /// Pending one-time codes and their limits.
    Codes,
    /// The failed-attempt counter shared by passwords and MFA codes.
    Lockout,
    /// Second factors and the last accepted TOTP step.
    Mfa,
    /// `tokens_valid_after`.
    Revocation,
}

impl UserPart {
    pub const ALL: [UserPart; 6] = [
        Self::Profile,
        Self::Credential,
        Self::Codes,
        Self::Lockout,
        Self::Mfa,
        Self::Revocation,
    ];
}

/// The version of each [`UserPart`], bumped by every write of that part.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserVersions {
    pub profile: i64,
    pub credential: i64,
    pub codes: i64,
    pub lockout: i64,
    pub mfa: i64,
    pub revocation: i64,
}

impl UserVersions {
    fn slot(&mut self, part: UserPart) -> &mut i64 {
        match part {
            UserPart::Profile => &mut self.profile,
            UserPart::Credential => &mut self.credential,
            UserPart::Codes => &mut self.codes,
            UserPart::Lockout => &mut self.lockout,
            UserPart::Mfa => &mut self.mfa,
            UserPart::Revocation => &mut self.revocation,
        }
    }
    pub fn get(mut self, part: UserPart) -> i64 {
        *self.slot(part)
    }
}

/// A TOTP secret sealed under the master key (see `service::mfa::software_token`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareToken {
    pub sealed_secret: Vec<u8>,
    pub friendly_device_name: Option<String>,
    pub verified_at: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserMfa {
    /// The verified authenticator, if any.
    pub software_token: Option<SoftwareToken>,
    /// A secret from AssociateSoftwareToken waiting for VerifySoftwareToken (sealed).
    pub pending_secret: Option<Vec<u8>>,
    /// The last TOTP time step accepted for this user (RFC 6238 §5.2 replay guard).
    pub last_totp_step: Option<i64>,
    /// `UserMFASettingList`.
    pub enabled: Vec<MfaFactor>,
    /// `PreferredMfaSetting`.
    pub preferred: Option<MfaFactor>,
    /// The SMS_MFA or EMAIL_OTP code of the sign-in in progress (see `service::mfa::mfa_codes`).
    #[serde(default)]
    pub pending_code: Option<PendingMfaCode>,
}

/// A sent SMS_MFA / EMAIL_OTP code: only a hash binding it to the challenge's session is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingMfaCode {
    pub factor: MfaFactor,
    /// SHA-256 of the session's hash and the code.
    pub code_hash: String,
    pub expires: Timestamp,
}

/// Normalised lookup keys of a user. Uniqueness of each is enforced by the store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserKeys {
    pub username: String,
    /// Sign-in aliases: attribute name -> normalised value.
    pub aliases: BTreeMap<String, String>,
}

impl User {
    fn same_part(&self, other: &User, part: UserPart) -> bool {
        match part {
            UserPart::Profile => {
                self.attributes == other.attributes
                    && self.status == other.status
                    && self.enabled == other.enabled
                    && self.keys == other.keys
            }
            UserPart::Credential => {
                self.password == other.password && self.password_history == other.password_history
            }
            UserPart::Codes => {
                self.codes == other.codes && self.code_attempts == other.code_attempts
            }
            UserPart::Lockout => self.lockout == other.lockout,
            UserPart::Mfa => self.mfa == other.mfa,
            UserPart::Revocation => self.tokens_valid_after == other.tokens_valid_after,
        }
    }

    fn copy_part(&mut self, from: &User, part: UserPart) {
        match part {
            UserPart::Profile => {
                self.attributes = from.attributes.clone();
                self.status = from.status;
                self.enabled = from.enabled;
                self.keys = from.keys.clone();
                self.modified = from.modified;
            }
            UserPart::Credential => {
                self.password = from.password.clone();
                self.password_history = from.password_history.clone();
            }
            UserPart::Codes => {
                self.codes = from.codes.clone();
                self.code_attempts = from.code_attempts.clone();
            }
            UserPart::Lockout => self.lockout = from.lockout.clone(),
            UserPart::Mfa => self.mfa = from.mfa.clone(),
            UserPart::Revocation => self.tokens_valid_after = from.tokens_valid_after,
        }
    }

    /// The parts in which `after` differs from `before`.
    pub fn changed_parts(before: &User, after: &User) -> Vec<UserPart> {
        UserPart::ALL
            .into_iter()
            .filter(|p| !before.same_part(after, *p))
            .collect()
    }

    /// A writer's `changed` parts applied onto the `stored` user, each bumped to its next
    /// version; None when one of them was written by someone else since `written` was read
    /// (its version moved on). Parts the writer did not change keep their stored values.
    pub fn apply_changes(stored: &User, written: &User, changed: &[UserPart]) -> Option<User> {
        let mut out = stored.clone();
        for part in changed {
            if stored.versions.get(*part) != written.versions.get(*part) {
                return None;
            }
            out.copy_part(written, *part);
            *out.versions.slot(*part) += 1;
        }
        Some(out)
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
    pub fn attr_is_true(&self, name: &str) -> bool {
        self.attr(name) == Some("true")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        serde_json::from_value(serde_json::json!({
            "pool_id": "p", "username": "u", "sub": "s", "attributes": {}, "status": "Confirmed",
            "enabled": true, "created": 0, "modified": 0, "password": null, "password_history": [],
            "codes": {"confirm_sign_up": null, "forgot_password": null, "verify_attribute": {}},
            "lockout": {"failed_attempts": 0, "locked_until": null}, "tokens_valid_after": 0,
            "keys": {"username": "u", "aliases": {}}
        }))
        .expect("user")
    }

    #[test]
    fn writes_to_different_parts_do_not_conflict() {
        let stored = user();
        // an administrator edits an attribute...
        let mut admin = stored.clone();
        admin.attributes.insert("name".into(), "Ann".into());
        let admin_parts = User::changed_parts(&stored, &admin);
        assert_eq!(admin_parts, vec![UserPart::Profile]);
        // ...while a sign-in counts a failure on the same snapshot
        let mut sign_in = stored.clone();
        sign_in.lockout.failed_attempts = 1;
        let sign_in_parts = User::changed_parts(&stored, &sign_in);
        assert_eq!(sign_in_parts, vec![UserPart::Lockout]);
        let after_admin = User::apply_changes(&stored, &admin, &admin_parts).expect("admin");
        let after_both =
            User::apply_changes(&after_admin, &sign_in, &sign_in_parts).expect("sign-in");
        assert_eq!(after_both.attributes["name"], "Ann");
        assert_eq!(after_both.lockout.failed_attempts, 1);
        assert_eq!(
            (after_both.versions.profile, after_both.versions.lockout),
            (1, 1)
        );
        // a second writer of the same part, from the old snapshot, conflicts
        let mut late = stored.clone();
        late.lockout.failed_attempts = 7;
        assert!(User::apply_changes(&after_both, &late, &[UserPart::Lockout]).is_none());
    }
}
