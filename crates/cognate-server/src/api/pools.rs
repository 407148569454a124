//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools, AddCustomAttributes.

use cognate_core::model::{
    MessageTemplates, MfaConfiguration, PasswordPolicy, RecoveryMechanism, RecoveryOption,
    SchemaAttribute, UserPool,
};
use cognate_core::service::common::attributes::STANDARD;
use cognate_core::service::pools::user_pools::{self as pools, PoolConfig, PoolIdentity};
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Map, Value};

use super::output::{decode_token, next_token, put, ts};
use super::Input;

/// Members interpreted by the core; everything else is stored and echoed as given (the
/// members parsed by `account_recovery` and `message_templates` are echoed too).
const INTERPRETED: &[&str] = &[
    "PoolName",
    "UserPoolId",
    "Schema",
    "UsernameAttributes",
    "AliasAttributes",
    "AutoVerifiedAttributes",
    "MfaConfiguration",
    "DeletionProtection",
    "UsernameConfiguration",
];

fn password_policy(i: &Input) -> PasswordPolicy {
    let d = PasswordPolicy::default();
    let Some(p) = i.obj("Policies").and_then(|p| p.obj("PasswordPolicy")) else {
        return d;
    };
    PasswordPolicy {
        minimum_length: p
            .opt_i64("MinimumLength")
            .map(|n| n as u32)
            .unwrap_or(d.minimum_length),
        require_uppercase: p.opt_bool("RequireUppercase").unwrap_or(false),
        require_lowercase: p.opt_bool("RequireLowercase").unwrap_or(false),
        require_numbers: p.opt_bool("RequireNumbers").unwrap_or(false),
        require_symbols: p.opt_bool("RequireSymbols").unwrap_or(false),
        password_history_size: p.opt_i64("PasswordHistorySize").unwrap_or(0) as u32,
        temporary_password_validity_days: p.opt_i64("TemporaryPasswordValidityDays").unwrap_or(7)
            as u32,
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

fn message_templates(i: &Input) -> MessageTemplates {
    let member = |block: Option<Input>, k: &str| block.and_then(|b| b.opt_str(k)).map(String::from);
    let verification = i.obj("VerificationMessageTemplate");
    let invite = i
        .obj("AdminCreateUserConfig")
        .and_then(|c| c.obj("InviteMessageTemplate"));
    MessageTemplates {
        verification_email: member(verification, "EmailMessage"),
        verification_sms: member(verification, "SmsMessage"),
        invite_email: member(invite, "EmailMessage"),
        invite_sms: member(invite, "SMSMessage"),
    }
}

fn config(i: &Input) -> PoolConfig {
    PoolConfig {
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
        settings: i.rest(INTERPRETED),
    }
}

fn schema_attribute(a: &Input) -> SchemaAttribute {
    let raw = a.opt_str("Name").unwrap_or("");
    let standard = STANDARD.iter().any(|(n, _)| *n == raw);
    let name = if standard || raw.starts_with("custom:") {
        raw.to_owned()
    } else {
        format!("custom:{raw}")
    };
    let s = a.obj("StringAttributeConstraints");
    let n = a.obj("NumberAttributeConstraints");
    let len = |o: Option<Input>, k: &str| {
        o.and_then(|o| o.opt_str(k))
            .and_then(|v| v.parse::<u32>().ok())
    };
    let num = |o: Option<Input>, k: &str| {
        o.and_then(|o| o.opt_str(k))
            .and_then(|v| v.parse::<i64>().ok())
    };
    let data_type = a
        .opt_str("AttributeDataType")
        .unwrap_or("String")
        .to_owned();
    SchemaAttribute {
        min_length: len(s, "MinLength").or((data_type == "String").then_some(0)),
        max_length: len(s, "MaxLength").or((data_type == "String").then_some(2048)),
        min_value: num(n, "MinValue"),
        max_value: num(n, "MaxValue"),
        data_type,
        mutable: a.opt_bool("Mutable").unwrap_or(true),
        required: a.opt_bool("Required").unwrap_or(false),
        developer_only: a.opt_bool("DeveloperOnlyAttribute").unwrap_or(false),
        name,
    }
}

fn schema_out(a: &SchemaAttribute) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), json!(a.name));
    m.insert("AttributeDataType".into(), json!(a.data_type));
    m.insert("DeveloperOnlyAttribute".into(), json!(a.developer_only));
    m.insert("Mutable".into(), json!(a.mutable));
    m.insert("Required".into(), json!(a.required));
    if a.data_type == "String" {
        let mut c = Map::new();
        if let Some(v) = a.min_length {
            c.insert("MinLength".into(), json!(v.to_string()));
        }
        if let Some(v) = a.max_length {
            c.insert("MaxLength".into(), json!(v.to_string()));
        }
        m.insert("StringAttributeConstraints".into(), Value::Object(c));
    }
    if a.data_type == "Number" && (a.min_value.is_some() || a.max_value.is_some()) {
        let mut c = Map::new();
        if let Some(v) = a.min_value {
            c.insert("MinValue".into(), json!(v.to_string()));
        }
        if let Some(v) = a.max_value {
            c.insert("MaxValue".into(), json!(v.to_string()));
        }
        m.insert("NumberAttributeConstraints".into(), Value::Object(c));
    }
    Value::Object(m)
}

/// The `UserPoolType` shape.
pub fn user_pool(ctx: &Ctx<'_>, p: &UserPool, users: Option<u64>) -> Value {
    let mut m = p.settings.clone();
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
    let mut policies = m
        .get("Policies")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    policies.insert("PasswordPolicy".into(), policy);
    m.insert("Policies".into(), Value::Object(policies));
    let mut admin = m
        .get("AdminCreateUserConfig")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    admin.insert(
        "AllowAdminCreateUserOnly".into(),
        json!(p.allow_admin_create_user_only),
    );
    admin
        .entry("UnusedAccountValidityDays")
        .or_insert(json!(pp.temporary_password_validity_days));
    m.insert("AdminCreateUserConfig".into(), Value::Object(admin));
    m.insert("Id".into(), json!(p.id));
    m.insert("Name".into(), json!(p.name));
    m.insert("Arn".into(), json!(p.arn(&ctx.settings.account_id)));
    m.insert("CreationDate".into(), ts(p.created));
    m.insert("LastModifiedDate".into(), ts(p.modified));
    m.insert(
        "MfaConfiguration".into(),
        json!(p.mfa_configuration.as_str()),
    );
    m.insert(
        "SchemaAttributes".into(),
        Value::Array(p.schema.iter().map(schema_out).collect()),
    );
    m.insert(
        "UsernameConfiguration".into(),
        json!({"CaseSensitive": p.case_sensitive}),
    );
    m.insert(
        "DeletionProtection".into(),
        json!(if p.deletion_protection {
            "ACTIVE"
        } else {
            "INACTIVE"
        }),
    );
    if !p.username_attributes.is_empty() {
        m.insert("UsernameAttributes".into(), json!(p.username_attributes));
    }
    if !p.alias_attributes.is_empty() {
        m.insert("AliasAttributes".into(), json!(p.alias_attributes));
    }
    if !p.auto_verified_attributes.is_empty() {
        m.insert(
            "AutoVerifiedAttributes".into(),
            json!(p.auto_verified_attributes),
        );
    }
    m.entry("UserPoolTier").or_insert(json!("ESSENTIALS"));
    if let Some(n) = users {
        m.insert("EstimatedNumberOfUsers".into(), json!(n));
    }
    Value::Object(m)
}

pub async fn create_user_pool(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let identity = PoolIdentity {
        name: i.str("PoolName")?.to_owned(),
        username_attributes: i.str_list("UsernameAttributes"),
        alias_attributes: i.str_list("AliasAttributes"),
        case_sensitive: i
            .obj("UsernameConfiguration")
            .and_then(|u| u.opt_bool("CaseSensitive"))
            .unwrap_or(true),
        schema: i.list("Schema").iter().map(schema_attribute).collect(),
    };
    let pool = pools::create_user_pool(ctx, identity, config(i)).await?;
    Ok(json!({"UserPool": user_pool(ctx, &pool, Some(0))}))
}

pub async fn describe_user_pool(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let (pool, users) = pools::describe_user_pool(ctx, i.str("UserPoolId")?).await?;
    Ok(json!({"UserPool": user_pool(ctx, &pool, Some(users))}))
}

pub async fn update_user_pool(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    pools::update_user_pool(ctx, i.str("UserPoolId")?, config(i)).await?;
    Ok(json!({}))
}

pub async fn delete_user_pool(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    pools::delete_user_pool(ctx, i.str("UserPoolId")?).await?;
    Ok(json!({}))
}

pub async fn list_user_pools(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let max = i.opt_i64("MaxResults").unwrap_or(60).clamp(1, 60) as usize;
    let after = decode_token(i.opt_str("NextToken"))?;
    let (list, next) = pools::list_user_pools(ctx, after.as_deref(), max).await?;
    let mut out = Map::new();
    out.insert(
        "UserPools".into(),
        Value::Array(
            list.iter()
                .map(|p| {
                    json!({
                        "Id": p.id,
                        "Name": p.name,
                        "LambdaConfig": p.settings.get("LambdaConfig").cloned().unwrap_or(json!({})),
                        "CreationDate": ts(p.created),
                        "LastModifiedDate": ts(p.modified),
                    })
                })
                .collect(),
        ),
    );
    put(&mut out, "NextToken", next_token(next));
    Ok(Value::Object(out))
}

pub async fn add_custom_attributes(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let attrs = i
        .list("CustomAttributes")
        .iter()
        .map(schema_attribute)
        .collect();
    pools::add_custom_attributes(ctx, i.str("UserPoolId")?, attrs).await?;
    Ok(json!({}))
}
