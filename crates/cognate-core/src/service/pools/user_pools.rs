//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools,
//! AddCustomAttributes.

use crate::model::{
    MessageTemplates, MfaConfiguration, MfaFactors, PasswordPolicy, RecoveryMechanism, UserPool,
};
use crate::random::RandomExt;
use crate::service::common::keys::pool_keys;
use crate::service::pools::schema::{self, SchemaDefinition};
use crate::service::Ctx;
use crate::store::StoreError;
use crate::{CognitoError, Result};

/// Everything UpdateUserPool may change. It replaces, as Cognito documents: what the request
/// leaves out goes back to its default (only the name, when left out, stays).
#[derive(Debug, Clone, Default)]
pub struct PoolConfig {
    /// `PoolName` of UpdateUserPool (CreateUserPool names the pool in [`PoolIdentity`]).
    pub name: Option<String>,
    pub password_policy: PasswordPolicy,
    pub mfa_configuration: MfaConfiguration,
    pub auto_verified_attributes: Vec<String>,
    pub allow_admin_create_user_only: bool,
    pub deletion_protection: bool,
    /// `AccountRecoverySetting`, None when not given.
    pub account_recovery: Option<Vec<RecoveryMechanism>>,
    pub message_templates: MessageTemplates,
    /// Whether the request has an `SmsConfiguration` (SMS can be sent: with MFA ON or
    /// OPTIONAL it turns SMS MFA on).
    pub sms_configured: bool,
    /// `SmsAuthenticationMessage`: the text of SMS MFA codes.
    pub sms_authentication_message: Option<String>,
    /// Members stored and echoed, not interpreted.
    pub settings: serde_json::Map<String, serde_json::Value>,
}

/// What only CreateUserPool sets; UpdateUserPool cannot change it (and has no members for it).
#[derive(Debug, Clone, Default)]
pub struct PoolIdentity {
    pub name: String,
    pub username_attributes: Vec<String>,
    pub alias_attributes: Vec<String>,
    pub case_sensitive: bool,
    /// Whether the request had a `UsernameConfiguration`.
    pub case_sensitivity_given: bool,
    /// The `Schema` entries: standard attributes redefined, custom ones added.
    pub schema: Vec<SchemaDefinition>,
}

fn mfa_needs_sms() -> CognitoError {
    CognitoError::invalid_parameter(
        "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
    )
}

/// The pool's factors after CreateUserPool / UpdateUserPool: with MFA ON or OPTIONAL an
/// `SmsConfiguration` turns SMS MFA on when no factor is, and MFA needs some factor; SMS MFA
/// stops without an `SmsConfiguration` (UpdateUserPool replaces it).
fn factors_after(config: &PoolConfig, mut factors: MfaFactors) -> Result<MfaFactors> {
    factors.sms_message = config.sms_authentication_message.clone();
    if !config.sms_configured {
        factors.sms = false;
    }
    let none = !(factors.software_token || factors.sms || factors.email);
    if config.mfa_configuration != MfaConfiguration::Off && none {
        if !config.sms_configured {
            return Err(mfa_needs_sms());
        }
        factors.sms = true;
    }
    Ok(factors)
}

fn check_config(config: &PoolConfig) -> Result<()> {
    if config.password_policy.temporary_password_validity_days > 365 {
        return Err(CognitoError::invalid_parameter(
            "TemporaryPasswordValidityDays must be between 0 and 365.",
        ));
    }
    Ok(())
}

pub async fn create_user_pool(
    ctx: &Ctx<'_>,
    identity: PoolIdentity,
    mut config: PoolConfig,
) -> Result<UserPool> {
    if !identity.username_attributes.is_empty() && !identity.alias_attributes.is_empty() {
        return Err(CognitoError::invalid_parameter(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
        ));
    }
    for a in &identity.username_attributes {
        if a != "email" && a != "phone_number" {
            return Err(CognitoError::invalid_parameter(format!(
                "Invalid username attribute: {a}"
            )));
        }
    }
    let schema = schema::create_schema(&identity.schema)?;
    if config.password_policy.temporary_password_validity_days == 0 {
        config.password_policy.temporary_password_validity_days = 7;
    }
    check_config(&config)?;
    let mfa_factors = factors_after(&config, MfaFactors::default())?;
    for attempt in 0..5 {
        let pool = UserPool {
            id: format!("{}_{}", ctx.settings.region, ctx.random.alnum(9)),
            name: identity.name.clone(),
            region: ctx.settings.region.clone(),
            created: ctx.now,
            modified: ctx.now,
            password_policy: config.password_policy.clone(),
            mfa_configuration: config.mfa_configuration,
            username_attributes: identity.username_attributes.clone(),
            alias_attributes: identity.alias_attributes.clone(),
            auto_verified_attributes: config.auto_verified_attributes.clone(),
            case_sensitive: identity.case_sensitive,
            case_sensitivity_given: identity.case_sensitivity_given,
            allow_admin_create_user_only: config.allow_admin_create_user_only,
            deletion_protection: config.deletion_protection,
            schema: schema.clone(),
            mfa_factors: mfa_factors.clone(),
            account_recovery: config.account_recovery.clone(),
            message_templates: config.message_templates.clone(),
            settings: config.settings.clone(),
        };
        match ctx.store.insert_pool(&pool).await {
            Ok(()) => {
                pool_keys(ctx, &pool.id).await?;
                return Ok(pool);
            }
            Err(StoreError::Conflict { .. }) if attempt < 4 => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CognitoError::internal("could not allocate a pool id"))
}

pub async fn describe_user_pool(ctx: &Ctx<'_>, pool_id: &str) -> Result<(UserPool, u64)> {
    let pool = ctx.pool(pool_id).await?;
    let users = ctx.store.count_users(pool_id).await?;
    Ok((pool, users))
}

pub async fn update_user_pool(ctx: &Ctx<'_>, pool_id: &str, mut config: PoolConfig) -> Result<()> {
    let mut pool = ctx.pool(pool_id).await?;
    if config.password_policy.temporary_password_validity_days == 0 {
        config.password_policy.temporary_password_validity_days = 7;
    }
    check_config(&config)?;
    pool.mfa_factors = factors_after(&config, pool.mfa_factors.clone())?;
    if let Some(name) = config.name {
        pool.name = name;
    }
    pool.password_policy = config.password_policy;
    pool.mfa_configuration = config.mfa_configuration;
    pool.auto_verified_attributes = config.auto_verified_attributes;
    pool.allow_admin_create_user_only = config.allow_admin_create_user_only;
    pool.deletion_protection = config.deletion_protection;
    pool.account_recovery = config.account_recovery;
    pool.message_templates = config.message_templates;
    pool.settings = config.settings;
    pool.modified = ctx.now;
    ctx.store.update_pool(&pool).await.map_err(|e| match e {
        StoreError::NotFound => CognitoError::pool_not_found(pool_id),
        e => e.into(),
    })
}

pub async fn delete_user_pool(ctx: &Ctx<'_>, pool_id: &str) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    if pool.deletion_protection {
        return Err(CognitoError::invalid_parameter(
            "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
        ));
    }
    if !ctx.store.delete_pool(pool_id).await? {
        return Err(CognitoError::pool_not_found(pool_id));
    }
    ctx.keys.remove(pool_id);
    Ok(())
}

/// One page of pools, plus the id to continue after when there are more.
pub async fn list_user_pools(
    ctx: &Ctx<'_>,
    after: Option<&str>,
    max: usize,
) -> Result<(Vec<UserPool>, Option<String>)> {
    let mut pools = ctx.store.list_pools(after, max + 1).await?;
    let next = if pools.len() > max {
        pools.truncate(max);
        pools.last().map(|p| p.id.clone())
    } else {
        None
    };
    Ok((pools, next))
}

pub async fn add_custom_attributes(
    ctx: &Ctx<'_>,
    pool_id: &str,
    definitions: &[SchemaDefinition],
) -> Result<()> {
    let mut pool = ctx.pool(pool_id).await?;
    schema::add_custom_attributes(&mut pool.schema, definitions)?;
    pool.modified = ctx.now;
    ctx.store.update_pool(&pool).await.map_err(|e| match e {
        StoreError::NotFound => CognitoError::pool_not_found(pool_id),
        e => e.into(),
    })
}
