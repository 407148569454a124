use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::model::{AttributeDataType, RecoveryOption};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_length: u32,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub password_history_size: u32,
    pub temporary_password_validity_days: u32,
}

impl Default for PasswordPolicy {
    /// Cognito's defaults for a pool created without a policy.
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            password_history_size: 0,
            temporary_password_validity_days: 7,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum MfaConfiguration {
    #[default]
    Off,
    On,
    Optional,
}

impl MfaConfiguration {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "OFF",
            Self::On => "ON",
            Self::Optional => "OPTIONAL",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "OFF" => Some(Self::Off),
            "ON" => Some(Self::On),
            "OPTIONAL" => Some(Self::Optional),
            _ => None,
        }
    }
}

/// A standard, custom or developer-only attribute of the pool schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaAttribute {
    /// Full name: `email`, `custom:plan`, or `dev:custom:plan` for developer-only attributes.
    pub name: String,
    pub data_type: AttributeDataType,
    pub mutable: bool,
    pub required: bool,
    pub developer_only: bool,
    /// String length limits as set (None: not set; custom strings still stop at 2048).
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    /// Number limits as set.
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
}

impl SchemaAttribute {
    pub fn is_custom(&self) -> bool {
        self.name.starts_with("custom:") || self.name.starts_with("dev:")
    }
}

/// A user pool. `settings` holds configuration Cognate stores and echoes back but does not
/// interpret (Lambda triggers, message templates as given, ...); the server layer owns its
/// shape and the core never reads it. What the core does interpret is parsed into typed fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPool {
    pub id: String,
    pub name: String,
    pub region: String,
    pub created: Timestamp,
    pub modified: Timestamp,
    pub password_policy: PasswordPolicy,
    pub mfa_configuration: MfaConfiguration,
    /// `email` and/or `phone_number` used *as* the username (the internal username is a UUID).
    pub username_attributes: Vec<String>,
    /// `email`, `phone_number`, `preferred_username` usable to sign in besides the username.
    pub alias_attributes: Vec<String>,
    pub auto_verified_attributes: Vec<String>,
    pub case_sensitive: bool,
    /// Whether CreateUserPool had a `UsernameConfiguration` (DescribeUserPool shows it only then).
    #[serde(default)]
    pub case_sensitivity_given: bool,
    pub allow_admin_create_user_only: bool,
    pub deletion_protection: bool,
    pub schema: Vec<SchemaAttribute>,
    /// Factors enabled by SetUserPoolMfaConfig.
    #[serde(default)]
    pub mfa_factors: MfaFactors,
    /// `AccountRecoverySetting`: where password-reset codes go, in priority order. None when
    /// the pool sets none (Cognito's legacy order then applies).
    #[serde(default)]
    pub account_recovery: Option<Vec<RecoveryMechanism>>,
    /// The message templates the pool sets (each None for Cognito's default).
    #[serde(default)]
    pub message_templates: MessageTemplates,
    pub settings: serde_json::Map<String, serde_json::Value>,
}

/// Which second factors the pool offers (SetUserPoolMfaConfig; CreateUserPool/UpdateUserPool
/// turn SMS on with an `SmsConfiguration`), and the messages their codes are sent in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaFactors {
    pub software_token: bool,
    pub sms: bool,
    pub email: bool,
    /// `SmsAuthenticationMessage` (contains `{####}`); None for Cognito's default.
    #[serde(default)]
    pub sms_message: Option<String>,
    /// `EmailMfaConfiguration.Message` and `Subject`; None for Cognito's defaults.
    #[serde(default)]
    pub email_message: Option<String>,
    #[serde(default)]
    pub email_subject: Option<String>,
}

/// One `RecoveryMechanismType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryMechanism {
    pub priority: i64,
    pub option: RecoveryOption,
}

/// Message templates: `VerificationMessageTemplate` (EmailMessage, SmsMessage) and
/// `AdminCreateUserConfig.InviteMessageTemplate` (EmailMessage, SMSMessage).
/// Also the e-mail subjects and the pool's sender (`EmailConfiguration`, `SmsConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTemplates {
    pub verification_email: Option<String>,
    pub verification_sms: Option<String>,
    pub invite_email: Option<String>,
    pub invite_sms: Option<String>,
    /// `VerificationMessageTemplate.EmailSubject`, else `EmailVerificationSubject`.
    #[serde(default)]
    pub verification_email_subject: Option<String>,
    /// `AdminCreateUserConfig.InviteMessageTemplate.EmailSubject`.
    #[serde(default)]
    pub invite_email_subject: Option<String>,
    /// `EmailConfiguration.From`: the sender, else the server's `--email-from`.
    #[serde(default)]
    pub email_from: Option<String>,
    /// `EmailConfiguration.ReplyToEmailAddress`.
    #[serde(default)]
    pub email_reply_to: Option<String>,
    /// `SmsConfiguration`'s string members (`SnsCallerArn`, `ExternalId`, `SnsRegion`).
    #[serde(default)]
    pub sms_configuration: std::collections::BTreeMap<String, String>,
}

impl UserPool {
    pub fn arn(&self, account: &str) -> String {
        format!(
            "arn:aws:cognito-idp:{}:{}:userpool/{}",
            self.region, account, self.id
        )
    }

    /// The part of the id after the first `_`: SRP mixes it into x.
    pub fn pool_name_for_srp(&self) -> &str {
        self.id.split_once('_').map(|(_, n)| n).unwrap_or(&self.id)
    }

    pub fn schema_attribute(&self, name: &str) -> Option<&SchemaAttribute> {
        self.schema.iter().find(|a| a.name == name)
    }

    /// Whether sign-in may use `attr` (email, phone_number, preferred_username) instead of the username.
    pub fn signs_in_with(&self, attr: &str) -> bool {
        self.username_attributes.iter().any(|a| a == attr)
            || self.alias_attributes.iter().any(|a| a == attr)
    }
}
