//! Reading CreateUserPool / UpdateUserPool / AddCustomAttributes input: the members the core
//! interprets become typed values; the other `UserPoolType` members are kept verbatim in
//! `settings` and echoed by DescribeUserPool.

use cognate_core::model::{
    AttributeDataType, MessageTemplates, MfaConfiguration, PasswordPolicy, RecoveryMechanism,
    RecoveryOption,
};
use cognate_core::service::pools::schema::{Bounds, SchemaDefinition};
use cognate_core::service::pools::user_pools::{PoolConfig, PoolIdentity};
use cognate_core::{CognitoError, Result};

use super::Input;

/// The `UserPoolType` members a request may set that are stored as given and echoed (some are
/// also read into typed fields: the password policy, templates, recovery, AdminCreateUser).
/// CreateUserPool-only members (`Schema`, `UsernameAttributes`, `AliasAttributes`,
/// `UsernameConfiguration`) are typed and never in this list, so an UpdateUserPool that sends
/// them anyway changes nothing, as on Cognito.
const ECHOED: &[&str] = &[
    "Policies",
    "LambdaConfig",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "UserAttributeUpdateSettings",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "UserPoolAddOns",
    "AccountRecoverySetting",
    "UserPoolTier",
    "KeyConfiguration",
    "IssuerConfiguration",
    "AcrConfiguration",
    "DcrConfiguration",
];

/// `Policies.PasswordPolicy`: Cognito's default policy when left out; inside a given policy a
/// requirement left out is off, the minimum length 8 and temporary passwords valid 7 days.
fn password_policy(i: &Input) -> PasswordPolicy {
    let d = PasswordPolicy::default();
    let Some(p) = i.obj("Policies").and_then(|p| p.obj("PasswordPolicy")) else {
        return d;
    };
    let number = |k: &str, default: u32| {
        p.opt_i64(k)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(default)
    };
    PasswordPolicy {
        minimum_length: number("MinimumLength", d.minimum_length),
        require_uppercase: p.opt_bool("RequireUppercase").unwrap_or(false),
        require_lowercase: p.opt_bool("RequireLowercase").unwrap_or(false),
        require_numbers: p.opt_bool("RequireNumbers").unwrap_or(false),
        require_symbols: p.opt_bool("RequireSymbols").unwrap_or(false),
        password_history_size: number("PasswordHistorySize", 0),
        temporary_password_validity_days: number("TemporaryPasswordValidityDays", 7),
    }
}

/// `AccountRecoverySetting.RecoveryMechanisms`, by priority (a missing priority sorts last).
fn account_recovery(i: &Input) -> Option<Vec<RecoveryMechanism>> {
    let setting = i
        .obj("AccountRecoverySetting")
        .filter(|s| s.has("RecoveryMechanisms"))?;
    Some(
        setting
            .list("RecoveryMechanisms")
            .iter()
            .filter_map(|m| {
                Some(RecoveryMechanism {
                    priority: m.opt_i64("Priority").unwrap_or(99),
                    option: RecoveryOption::parse(m.opt_str("Name")?)?,
                })
            })
            .collect(),
    )
}

/// The templates in use: `VerificationMessageTemplate`, else the legacy
/// `EmailVerificationMessage` / `SmsVerificationMessage` / `EmailVerificationSubject`; the
/// invitation templates of `AdminCreateUserConfig.InviteMessageTemplate`;
/// the sender (`EmailConfiguration.From`, `ReplyToEmailAddress`)
/// and `SmsConfiguration`.
fn message_templates(i: &Input) -> MessageTemplates {
    let member = |block: Option<Input>, k: &str| block.and_then(|b| b.opt_str(k)).map(String::from);
    let top = |k: &str| i.opt_str(k).map(String::from);
    let verification = i.obj("VerificationMessageTemplate");
    let invite = i
        .obj("AdminCreateUserConfig")
        .and_then(|c| c.obj("InviteMessageTemplate"));
    let email = i.obj("EmailConfiguration");
    let sms_configuration = i
        .obj("SmsConfiguration")
        .map(|c| {
            ["SnsCallerArn", "ExternalId", "SnsRegion"]
                .into_iter()
                .filter_map(|k| Some((k.to_owned(), c.opt_str(k)?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    MessageTemplates {
        verification_email: member(verification, "EmailMessage")
            .or_else(|| top("EmailVerificationMessage")),
        verification_sms: member(verification, "SmsMessage")
            .or_else(|| top("SmsVerificationMessage")),
        invite_email: member(invite, "EmailMessage"),
        invite_sms: member(invite, "SMSMessage"),
        verification_email_subject: member(verification, "EmailSubject")
            .or_else(|| top("EmailVerificationSubject")),
        invite_email_subject: member(invite, "EmailSubject"),
        email_from: member(email, "From"),
        email_reply_to: member(email, "ReplyToEmailAddress"),
        sms_configuration,
    }
}

/// Everything UpdateUserPool may set (and CreateUserPool besides the identity).
pub fn config(i: &Input) -> PoolConfig {
    PoolConfig {
        name: None,
        password_policy: password_policy(i),
        mfa_configuration: i
            .opt_str("MfaConfiguration")
            .and_then(MfaConfiguration::parse)
            .unwrap_or_default(),
        auto_verified_attributes: i.str_list("AutoVerifiedAttributes"),
        allow_admin_create_user_only: i
            .obj("AdminCreateUserConfig")
            .and_then(|a| a.opt_bool("AllowAdminCreateUserOnly"))
            .unwrap_or(false),
        deletion_protection: i.opt_str("DeletionProtection") == Some("ACTIVE"),
        account_recovery: account_recovery(i),
        message_templates: message_templates(i),
        sms_configured: i.has("SmsConfiguration"),
        sms_authentication_message: i.opt_str("SmsAuthenticationMessage").map(String::from),
        settings: i.only(ECHOED),
    }
}

/// What only CreateUserPool sets.
pub fn identity(i: &Input) -> Result<PoolIdentity> {
    let case_sensitive = i
        .obj("UsernameConfiguration")
        .and_then(|u| u.opt_bool("CaseSensitive"));
    Ok(PoolIdentity {
        name: i.str("PoolName")?.to_owned(),
        username_attributes: i.str_list("UsernameAttributes"),
        alias_attributes: i.str_list("AliasAttributes"),
        // The API's default is case-sensitive usernames.
        case_sensitive: case_sensitive.unwrap_or(true),
        case_sensitivity_given: i.has("UsernameConfiguration"),
        schema: schema_definitions(i, "Schema")?,
    })
}

/// `Schema` / `CustomAttributes`: `SchemaAttributeType` entries as given.
pub fn schema_definitions(i: &Input, member: &str) -> Result<Vec<SchemaDefinition>> {
    i.list(member)
        .iter()
        .enumerate()
        .map(|(n, a)| schema_definition(a, member, n + 1))
        .collect()
}

fn schema_definition(a: &Input, member: &str, n: usize) -> Result<SchemaDefinition> {
    let name = a.opt_str("Name").ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value null at '{}.{n}.member.name' failed to satisfy constraint: Member must not be null",
            super::input::lower_first(member)
        ))
    })?;
    let bounds = |k: &str, min: &str, max: &str| {
        a.obj(k).map(|c| Bounds {
            min: c.opt_str(min).map(String::from),
            max: c.opt_str(max).map(String::from),
        })
    };
    Ok(SchemaDefinition {
        name: name.to_owned(),
        data_type: a
            .opt_str("AttributeDataType")
            .and_then(AttributeDataType::parse),
        developer_only: a.opt_bool("DeveloperOnlyAttribute"),
        mutable: a.opt_bool("Mutable"),
        required: a.opt_bool("Required"),
        string_constraints: bounds("StringAttributeConstraints", "MinLength", "MaxLength"),
        number_constraints: bounds("NumberAttributeConstraints", "MinValue", "MaxValue"),
    })
}
