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
    /// Optimistic-concurrency version, bumped by every successful update.
    pub version: i64,
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
}

/// Normalised lookup keys of a user. Uniqueness of each is enforced by the store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserKeys {
    pub username: String,
    /// Sign-in aliases: attribute name -> normalised value.
    pub aliases: BTreeMap<String, String>,
}

impl User {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
    pub fn attr_is_true(&self, name: &str) -> bool {
        self.attr(name) == Some("true")
    }
}
