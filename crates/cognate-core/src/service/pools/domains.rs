//! CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain.
//!
//! A domain is a `ResourceKind::Domain` resource whose id is the domain string (a prefix such
//! as `myapp`, or a custom domain such as `auth.example.com`) and whose data is the document
//! the API layer writes (the wire `DomainDescriptionType`). A pool has at most one domain;
//! domains are unique across the installation (the store refuses a taken one).

use crate::model::{Resource, ResourceKind};
use crate::service::Ctx;
use crate::store::{Constraint, StoreError};
use crate::{CognitoError, Result};

/// Words Cognito refuses in a prefix domain.
const RESERVED: [&str; 3] = ["aws", "amazon", "cognito"];

/// Whether `domain` is a custom domain (a fully-qualified name) rather than a prefix.
pub fn is_custom(domain: &str) -> bool {
    domain.contains('.')
}

fn no_such_domain() -> CognitoError {
    CognitoError::invalid_parameter("No such domain or user pool exists.")
}

/// The pool's domain, if it has one.
pub async fn pool_domain(ctx: &Ctx<'_>, pool_id: &str) -> Result<Option<Resource>> {
    Ok(ctx
        .store
        .list_resources(pool_id, ResourceKind::Domain, None, 1)
        .await?
        .into_iter()
        .next())
}

/// Checks Cognito's rules and stores the domain with `data`. `custom` says whether the request
/// carried a `CustomDomainConfig` (a custom domain needs one; a prefix domain must not be a
/// fully-qualified name).
pub async fn create_user_pool_domain(
    ctx: &Ctx<'_>,
    pool_id: &str,
    domain: &str,
    custom: bool,
    data: serde_json::Value,
) -> Result<()> {
    ctx.pool(pool_id).await?;
    if custom != is_custom(domain) {
        return Err(CognitoError::invalid_parameter(if custom {
            "A custom domain must be a fully-qualified domain name, such as auth.example.com."
        } else {
            "Domain must be a prefix without dots, or a custom domain with CustomDomainConfig."
        }));
    }
    if !custom {
        if let Some(word) = RESERVED.iter().find(|w| domain.contains(*w)) {
            return Err(CognitoError::invalid_parameter(format!(
                "Domain cannot contain reserved word: {word}"
            )));
        }
    }
    if let Some(existing) = pool_domain(ctx, pool_id).await? {
        return Err(CognitoError::invalid_parameter(format!(
            "User pool {pool_id} already has a domain configured: {}.",
            existing.id
        )));
    }
    let resource = Resource {
        pool_id: pool_id.to_owned(),
        kind: ResourceKind::Domain,
        id: domain.to_owned(),
        data,
    };
    match ctx.store.insert_resource(&resource).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict {
            constraint: Constraint::Resource,
        }) => Err(CognitoError::invalid_parameter(
            "Domain already associated with another user pool.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// The domain wherever it is; `None` if no pool has it (Cognito answers an empty description).
pub async fn describe_user_pool_domain(ctx: &Ctx<'_>, domain: &str) -> Result<Option<Resource>> {
    Ok(ctx.store.find_domain(domain).await?)
}

/// The pool's domain `domain`, or Cognito's "No such domain or user pool exists.".
async fn owned(ctx: &Ctx<'_>, pool_id: &str, domain: &str) -> Result<Resource> {
    ctx.pool(pool_id).await?;
    ctx.store
        .get_resource(pool_id, ResourceKind::Domain, domain)
        .await?
        .ok_or_else(no_such_domain)
}

/// Replaces the domain's document with what `update` makes of the current one.
pub async fn update_user_pool_domain(
    ctx: &Ctx<'_>,
    pool_id: &str,
    domain: &str,
    update: impl FnOnce(&mut serde_json::Value),
) -> Result<Resource> {
    let mut resource = owned(ctx, pool_id, domain).await?;
    update(&mut resource.data);
    ctx.store.put_resource(&resource).await?;
    Ok(resource)
}

pub async fn delete_user_pool_domain(ctx: &Ctx<'_>, pool_id: &str, domain: &str) -> Result<()> {
    owned(ctx, pool_id, domain).await?;
    if ctx
        .store
        .delete_resource(pool_id, ResourceKind::Domain, domain)
        .await?
    {
        Ok(())
    } else {
        Err(no_such_domain())
    }
}
