//! The `UserPoolType` shape of CreateUserPool and DescribeUserPool, with the members Cognito
//! fills in for a pool that does not set them: `LambdaConfig {}`, `VerificationMessageTemplate`
//! `{DefaultEmailOption: CONFIRM_WITH_CODE}`, `EmailConfiguration` `{EmailSendingAccount:
//! COGNITO_DEFAULT}`, `UserAttributeUpdateSettings` with no attributes, `UserPoolTags {}`,
//! `AdminCreateUserConfig`, `Policies.SignInPolicy` `[PASSWORD]`, `UserPoolTier ESSENTIALS`.

use cognate_core::model::{AttributeDataType, SchemaAttribute, UserPool};
use cognate_core::service::Ctx;
use serde_json::{json, Map, Value};

use super::output::ts;

/// One `SchemaAttributeType`. Strings always carry `StringAttributeConstraints` (only the
/// bounds that are set, so `{}` for a custom string without any); numbers carry
/// `NumberAttributeConstraints` when a bound is set; bounds are strings.
pub fn schema_attribute(a: &SchemaAttribute) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), json!(a.name));
    m.insert("AttributeDataType".into(), json!(a.data_type.as_str()));
    m.insert("DeveloperOnlyAttribute".into(), json!(a.developer_only));
    m.insert("Mutable".into(), json!(a.mutable));
    m.insert("Required".into(), json!(a.required));
    let bounds = |min: Option<String>, max: Option<String>, lo: &str, hi: &str| {
        let mut c = Map::new();
        if let Some(v) = min {
            c.insert(lo.into(), json!(v));
        }
        if let Some(v) = max {
            c.insert(hi.into(), json!(v));
        }
        Value::Object(c)
    };
    match a.data_type {
        AttributeDataType::String => {
            let c = bounds(
                a.min_length.map(|v| v.to_string()),
                a.max_length.map(|v| v.to_string()),
                "MinLength",
                "MaxLength",
            );
            m.insert("StringAttributeConstraints".into(), c);
        }
        AttributeDataType::Number if a.min_value.is_some() || a.max_value.is_some() => {
            let c = bounds(
                a.min_value.map(|v| v.to_string()),
                a.max_value.map(|v| v.to_string()),
                "MinValue",
                "MaxValue",
            );
            m.insert("NumberAttributeConstraints".into(), c);
        }
        _ => {}
    }
    Value::Object(m)
}

/// The object member `k` of `m` (an empty one when absent).
fn object(m: &Map<String, Value>, k: &str) -> Map<String, Value> {
    m.get(k)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// `Policies`: the typed password policy, and the echoed rest with `SignInPolicy` defaulted.
fn policies(p: &UserPool, m: &Map<String, Value>) -> Value {
    let pp = &p.password_policy;
    let mut policy = json!({
        "MinimumLength": pp.minimum_length,
        "RequireUppercase": pp.require_uppercase,
        "RequireLowercase": pp.require_lowercase,
        "RequireNumbers": pp.require_numbers,
        "RequireSymbols": pp.require_symbols,
        "TemporaryPasswordValidityDays": pp.temporary_password_validity_days,
    });
    if pp.password_history_size > 0 {
        policy["PasswordHistorySize"] = json!(pp.password_history_size);
    }
    let mut policies = object(m, "Policies");
    policies.insert("PasswordPolicy".into(), policy);
    policies
        .entry("SignInPolicy")
        .or_insert(json!({"AllowedFirstAuthFactors": ["PASSWORD"]}));
    Value::Object(policies)
}

/// `VerificationMessageTemplate` and the legacy members it mirrors (`EmailVerificationMessage`,
/// `EmailVerificationSubject`, `SmsVerificationMessage`): each side fills what the other set.
fn verification_messages(m: &mut Map<String, Value>) {
    let mut template = object(m, "VerificationMessageTemplate");
    for (inner, legacy) in [
        ("EmailMessage", "EmailVerificationMessage"),
        ("EmailSubject", "EmailVerificationSubject"),
        ("SmsMessage", "SmsVerificationMessage"),
    ] {
        match (template.get(inner).cloned(), m.get(legacy).cloned()) {
            (Some(v), None) => {
                m.insert(legacy.into(), v);
            }
            (None, Some(v)) => {
                template.insert(inner.into(), v);
            }
            _ => {}
        }
    }
    template
        .entry("DefaultEmailOption")
        .or_insert(json!("CONFIRM_WITH_CODE"));
    m.insert(
        "VerificationMessageTemplate".into(),
        Value::Object(template),
    );
}

/// The `UserPoolType` shape.
pub fn user_pool(ctx: &Ctx<'_>, p: &UserPool, users: Option<u64>) -> Value {
    let mut m = p.settings.clone();
    m.insert("Id".into(), json!(p.id));
    m.insert("Name".into(), json!(p.name));
    m.insert("Policies".into(), policies(p, &p.settings));
    m.insert(
        "DeletionProtection".into(),
        json!(if p.deletion_protection {
            "ACTIVE"
        } else {
            "INACTIVE"
        }),
    );
    m.entry("LambdaConfig").or_insert(json!({}));
    m.insert("LastModifiedDate".into(), ts(p.modified));
    m.insert("CreationDate".into(), ts(p.created));
    m.insert(
        "SchemaAttributes".into(),
        Value::Array(p.schema.iter().map(schema_attribute).collect()),
    );
    for (k, v) in [
        ("AutoVerifiedAttributes", &p.auto_verified_attributes),
        ("UsernameAttributes", &p.username_attributes),
        ("AliasAttributes", &p.alias_attributes),
    ] {
        if !v.is_empty() {
            m.insert(k.into(), json!(v));
        }
    }
    verification_messages(&mut m);
    m.entry("UserAttributeUpdateSettings")
        .or_insert(json!({"AttributesRequireVerificationBeforeUpdate": []}));
    m.insert(
        "MfaConfiguration".into(),
        json!(p.mfa_configuration.as_str()),
    );
    if let Some(n) = users {
        m.insert("EstimatedNumberOfUsers".into(), json!(n));
    }
    let mut email = object(&p.settings, "EmailConfiguration");
    email
        .entry("EmailSendingAccount")
        .or_insert(json!("COGNITO_DEFAULT"));
    m.insert("EmailConfiguration".into(), Value::Object(email));
    m.entry("UserPoolTags").or_insert(json!({}));
    let mut admin = object(&p.settings, "AdminCreateUserConfig");
    admin.insert(
        "AllowAdminCreateUserOnly".into(),
        json!(p.allow_admin_create_user_only),
    );
    admin
        .entry("UnusedAccountValidityDays")
        .or_insert(json!(p.password_policy.temporary_password_validity_days));
    m.insert("AdminCreateUserConfig".into(), Value::Object(admin));
    if p.case_sensitivity_given {
        m.insert(
            "UsernameConfiguration".into(),
            json!({"CaseSensitive": p.case_sensitive}),
        );
    }
    m.insert("Arn".into(), json!(p.arn(&ctx.settings.account_id)));
    m.entry("UserPoolTier").or_insert(json!("ESSENTIALS"));
    Value::Object(m)
}
