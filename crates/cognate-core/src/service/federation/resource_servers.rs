//! CreateResourceServer, DescribeResourceServer, ListResourceServers, UpdateResourceServer,
//! DeleteResourceServer. A resource server is a `ResourceKind::ResourceServer` resource keyed by
//! its identifier, whose data is the [`ResourceServer`] document.

use std::collections::BTreeSet;

use crate::model::{Resource, ResourceKind, ResourceServer, ResourceServerScope};
use crate::service::common::resources;
use crate::service::Ctx;
use crate::store::{Constraint, StoreError};
use crate::{CognitoError, Result};

/// The page size of ListResourceServers when MaxResults is left out, and its maximum.
pub const MAX_PAGE: usize = 50;

fn not_found(identifier: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("Resource server {identifier} does not exist."))
}

fn check_scopes(scopes: &[ResourceServerScope]) -> Result<()> {
    let mut seen = BTreeSet::new();
    for s in scopes {
        if !seen.insert(s.scope_name.as_str()) {
            return Err(CognitoError::invalid_parameter(format!(
                "Duplicate scope name {} in the resource server.",
                s.scope_name
            )));
        }
    }
    Ok(())
}

fn to_resource(server: &ResourceServer) -> Result<Resource> {
    Ok(Resource {
        pool_id: server.user_pool_id.clone(),
        kind: ResourceKind::ResourceServer,
        id: server.identifier.clone(),
        data: serde_json::to_value(server).map_err(CognitoError::internal)?,
    })
}

fn from_resource(r: Resource) -> Result<ResourceServer> {
    serde_json::from_value(r.data).map_err(CognitoError::internal)
}

/// The resource server `identifier` of the pool, if it exists (the pool is not checked).
pub async fn find_resource_server(
    ctx: &Ctx<'_>,
    pool_id: &str,
    identifier: &str,
) -> Result<Option<ResourceServer>> {
    ctx.store
        .get_resource(pool_id, ResourceKind::ResourceServer, identifier)
        .await?
        .map(from_resource)
        .transpose()
}

pub async fn create_resource_server(
    ctx: &Ctx<'_>,
    pool_id: &str,
    identifier: &str,
    name: &str,
    scopes: Vec<ResourceServerScope>,
) -> Result<ResourceServer> {
    ctx.pool(pool_id).await?;
    check_scopes(&scopes)?;
    let server = ResourceServer {
        user_pool_id: pool_id.to_owned(),
        identifier: identifier.to_owned(),
        name: name.to_owned(),
        scopes,
    };
    ctx.store
        .insert_resource(&to_resource(&server)?)
        .await
        .map_err(|e| match e {
            StoreError::Conflict {
                constraint: Constraint::Resource,
            } => CognitoError::invalid_parameter(format!(
                "{identifier} already exists in user pool {pool_id}."
            )),
            StoreError::Conflict {
                constraint: Constraint::Reference,
            } => CognitoError::pool_not_found(pool_id),
            e => e.into(),
        })?;
    Ok(server)
}

pub async fn describe_resource_server(
    ctx: &Ctx<'_>,
    pool_id: &str,
    identifier: &str,
) -> Result<ResourceServer> {
    ctx.pool(pool_id).await?;
    find_resource_server(ctx, pool_id, identifier)
        .await?
        .ok_or_else(|| not_found(identifier))
}

/// Replaces the name and the scopes: scopes left out are removed, as Cognito documents.
pub async fn update_resource_server(
    ctx: &Ctx<'_>,
    pool_id: &str,
    identifier: &str,
    name: &str,
    scopes: Vec<ResourceServerScope>,
) -> Result<ResourceServer> {
    let mut server = describe_resource_server(ctx, pool_id, identifier).await?;
    check_scopes(&scopes)?;
    server.name = name.to_owned();
    server.scopes = scopes;
    ctx.store.put_resource(&to_resource(&server)?).await?;
    Ok(server)
}

/// Deletes the server. App clients that list its scopes keep them, as on Cognito; the token
/// endpoint grants only scopes that still exist.
pub async fn delete_resource_server(ctx: &Ctx<'_>, pool_id: &str, identifier: &str) -> Result<()> {
    ctx.pool(pool_id).await?;
    if !ctx
        .store
        .delete_resource(pool_id, ResourceKind::ResourceServer, identifier)
        .await?
    {
        return Err(not_found(identifier));
    }
    Ok(())
}

/// One page of the pool's resource servers by identifier, and the identifier to continue
/// after when there are more.
pub async fn list_resource_servers(
    ctx: &Ctx<'_>,
    pool_id: &str,
    after: Option<&str>,
    max: usize,
) -> Result<(Vec<ResourceServer>, Option<String>)> {
    ctx.pool(pool_id).await?;
    let max = max.clamp(1, MAX_PAGE);
    let (page, next) =
        resources::page(ctx, pool_id, ResourceKind::ResourceServer, after, max).await?;
    let servers = page
        .into_iter()
        .map(from_resource)
        .collect::<Result<Vec<_>>>()?;
    Ok((servers, next))
}

/// Every `identifier/scope` the pool's resource servers define.
pub async fn all_scopes(ctx: &Ctx<'_>, pool_id: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for r in resources::all(ctx, pool_id, ResourceKind::ResourceServer).await? {
        out.extend(from_resource(r)?.scope_names());
    }
    Ok(out)
}
