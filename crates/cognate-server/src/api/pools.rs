//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools,
//! AddCustomAttributes.

use cognate_core::service::pools::domains;
use cognate_core::service::pools::user_pools as pools;
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Map, Value};

use super::output::{decode_token, next_token, put, ts};
use super::pool_input::{config, identity, schema_definitions};
use super::pool_output::user_pool;
use super::Input;

pub async fn create_user_pool(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let pool = pools::create_user_pool(ctx, identity(i)?, config(i)).await?;
    Ok(json!({"UserPool": user_pool(ctx, &pool, Some(0))}))
}

pub async fn describe_user_pool(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let (pool, users) = pools::describe_user_pool(ctx, i.str("UserPoolId")?).await?;
    let mut shape = user_pool(ctx, &pool, Some(users));
    if let (Some(d), Some(m)) = (
        domains::pool_domain(ctx, &pool.id).await?,
        shape.as_object_mut(),
    ) {
        let member = if domains::is_custom(&d.id) {
            "CustomDomain"
        } else {
            "Domain"
        };
        m.insert(member.into(), json!(d.id));
    }
    Ok(json!({"UserPool": shape}))
}

/// Replaces the pool's configuration: members left out go back to their defaults.
pub async fn update_user_pool(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let mut config = config(i);
    config.name = i.opt_str("PoolName").map(String::from);
    pools::update_user_pool(ctx, i.str("UserPoolId")?, config).await?;
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
    let definitions = schema_definitions(i, "CustomAttributes")?;
    pools::add_custom_attributes(ctx, i.str("UserPoolId")?, &definitions).await?;
    Ok(json!({}))
}
