//! CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain.
//! The stored document is the wire `DomainDescriptionType`; `CloudFrontDistribution` is the
//! host this server answers on (see `domain_urls`).

use cognate_core::service::pools::domains;
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Map, Value};

use super::output::put;
use super::Input;
use crate::domain_urls::public_host;

fn custom_domain_config(i: &Input) -> Option<Value> {
    i.raw()
        .get("CustomDomainConfig")
        .filter(|v| v.is_object())
        .cloned()
}

/// `CloudFrontDomain` of a Create/Update answer: only custom domains have one.
fn answer(ctx: &Ctx<'_>, domain: &str, version: Option<&Value>) -> Value {
    let mut out = Map::new();
    if domains::is_custom(domain) {
        out.insert(
            "CloudFrontDomain".into(),
            json!(public_host(&ctx.settings.public_url)),
        );
    }
    put(
        &mut out,
        "ManagedLoginVersion",
        version.cloned().unwrap_or(Value::Null),
    );
    Value::Object(out)
}

pub async fn create_user_pool_domain(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let pool_id = i.str("UserPoolId")?;
    let domain = i.str("Domain")?;
    let custom = custom_domain_config(i);
    let mut d = Map::new();
    d.insert("UserPoolId".into(), json!(pool_id));
    d.insert("AWSAccountId".into(), json!(ctx.settings.account_id));
    d.insert("Domain".into(), json!(domain));
    d.insert(
        "CloudFrontDistribution".into(),
        json!(public_host(&ctx.settings.public_url)),
    );
    d.insert(
        "Version".into(),
        json!(ctx.now.as_epoch_f64().floor().to_string()),
    );
    d.insert("Status".into(), json!("ACTIVE"));
    if let Some(c) = &custom {
        d.insert("CustomDomainConfig".into(), c.clone());
    }
    let version = json!(i.opt_i64("ManagedLoginVersion").unwrap_or(1));
    d.insert("ManagedLoginVersion".into(), version.clone());
    domains::create_user_pool_domain(ctx, pool_id, domain, custom.is_some(), Value::Object(d))
        .await?;
    Ok(answer(ctx, domain, Some(&version)))
}

pub async fn describe_user_pool_domain(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let found = domains::describe_user_pool_domain(ctx, i.str("Domain")?).await?;
    Ok(json!({"DomainDescription": found.map_or_else(|| json!({}), |r| r.data)}))
}

pub async fn update_user_pool_domain(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let domain = i.str("Domain")?;
    let custom = custom_domain_config(i);
    if custom.is_some() && !domains::is_custom(domain) {
        return Err(cognate_core::CognitoError::invalid_parameter(
            "CustomDomainConfig applies to custom domains only.",
        ));
    }
    let version = i.opt_i64("ManagedLoginVersion");
    let updated = domains::update_user_pool_domain(ctx, i.str("UserPoolId")?, domain, |data| {
        if let Some(m) = data.as_object_mut() {
            if let Some(c) = custom {
                m.insert("CustomDomainConfig".into(), c);
            }
            if let Some(v) = version {
                m.insert("ManagedLoginVersion".into(), json!(v));
            }
        }
    })
    .await?;
    Ok(answer(ctx, domain, updated.data.get("ManagedLoginVersion")))
}

pub async fn delete_user_pool_domain(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    domains::delete_user_pool_domain(ctx, i.str("UserPoolId")?, i.str("Domain")?).await?;
    Ok(json!({}))
}
