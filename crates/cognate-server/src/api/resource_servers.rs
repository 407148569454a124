//! CreateResourceServer, DescribeResourceServer, ListResourceServers, UpdateResourceServer,
//! DeleteResourceServer.

use cognate_core::model::{ResourceServer, ResourceServerScope};
use cognate_core::service::federation::resource_servers::{self, MAX_PAGE};
use cognate_core::service::Ctx;
use cognate_core::{CognitoError, Result};
use serde_json::{json, Map, Value};

use super::output::{decode_token, next_token, put};
use super::Input;

fn scopes(i: &Input) -> Vec<ResourceServerScope> {
    i.list("Scopes")
        .into_iter()
        .map(|s| ResourceServerScope {
            scope_name: s.opt_str("ScopeName").unwrap_or_default().to_owned(),
            scope_description: s.opt_str("ScopeDescription").unwrap_or_default().to_owned(),
        })
        .collect()
}

/// The `ResourceServerType` shape: the stored document is that shape.
fn resource_server_type(s: &ResourceServer) -> Result<Value> {
    serde_json::to_value(s).map_err(CognitoError::internal)
}

pub async fn create_resource_server(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let s = resource_servers::create_resource_server(
        ctx,
        i.str("UserPoolId")?,
        i.str("Identifier")?,
        i.str("Name")?,
        scopes(i),
    )
    .await?;
    Ok(json!({"ResourceServer": resource_server_type(&s)?}))
}

pub async fn describe_resource_server(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let s =
        resource_servers::describe_resource_server(ctx, i.str("UserPoolId")?, i.str("Identifier")?)
            .await?;
    Ok(json!({"ResourceServer": resource_server_type(&s)?}))
}

/// Replaces the name and the scopes (scopes left out are removed).
pub async fn update_resource_server(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let s = resource_servers::update_resource_server(
        ctx,
        i.str("UserPoolId")?,
        i.str("Identifier")?,
        i.str("Name")?,
        scopes(i),
    )
    .await?;
    Ok(json!({"ResourceServer": resource_server_type(&s)?}))
}

pub async fn delete_resource_server(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    resource_servers::delete_resource_server(ctx, i.str("UserPoolId")?, i.str("Identifier")?)
        .await?;
    Ok(json!({}))
}

pub async fn list_resource_servers(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let max = i
        .opt_i64("MaxResults")
        .map_or(MAX_PAGE, |n| n.clamp(1, MAX_PAGE as i64) as usize);
    let after = decode_token(i.opt_str("NextToken"))?;
    let (list, next) =
        resource_servers::list_resource_servers(ctx, i.str("UserPoolId")?, after.as_deref(), max)
            .await?;
    let mut out = Map::new();
    out.insert(
        "ResourceServers".into(),
        Value::Array(
            list.iter()
                .map(resource_server_type)
                .collect::<Result<Vec<_>>>()?,
        ),
    );
    put(&mut out, "NextToken", next_token(next));
    Ok(Value::Object(out))
}
