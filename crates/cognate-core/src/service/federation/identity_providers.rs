//! CreateIdentityProvider, DescribeIdentityProvider, UpdateIdentityProvider,
//! DeleteIdentityProvider, ListIdentityProviders, GetIdentityProviderByIdentifier. A provider
//! is a `ResourceKind::IdentityProvider` resource keyed by its name (see
//! `model::IdentityProvider`); its secrets are sealed (see `provider_details`). Providers are
//! stored and checked only: signing in through them is not implemented.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{IdentityProvider, ProviderType, Resource, ResourceKind, UserPool};
use crate::service::common::resources;
use crate::service::federation::client_oauth::COGNITO_PROVIDER;
use crate::service::federation::provider_details::{
    complete_details, complete_mapping, provider_details, seal_secrets, Details,
};
use crate::service::Ctx;
use crate::store::{Constraint, StoreError};
use crate::{CognitoError, ErrorKind, Result};

/// The largest page of ListIdentityProviders, and its size when MaxResults is left out or 0.
pub const MAX_PAGE: usize = 60;

/// What CreateIdentityProvider gives, and what UpdateIdentityProvider may change (`None`
/// keeps the current value).
#[derive(Debug, Clone, Default)]
pub struct ProviderConfig {
    pub details: Option<Details>,
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    pub idp_identifiers: Option<Vec<String>>,
    pub acr_mapping: Option<BTreeMap<String, String>>,
}

fn not_found(name: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("Identity provider {name} does not exist."))
}

fn to_resource(idp: &IdentityProvider) -> Result<Resource> {
    Ok(Resource {
        pool_id: idp.user_pool_id.clone(),
        kind: ResourceKind::IdentityProvider,
        id: idp.provider_name.clone(),
        data: serde_json::to_value(idp).map_err(CognitoError::internal)?,
    })
}

fn from_resource(r: Resource) -> Result<IdentityProvider> {
    serde_json::from_value(r.data).map_err(CognitoError::internal)
}

/// Social providers are named after their type; no other provider may take such a name (or
/// COGNITO, the pool's own users).
fn check_name(name: &str, kind: ProviderType) -> Result<()> {
    let named_after_a_type = ProviderType::parse(name).filter(|t| t.is_social());
    let ok = if kind.is_social() {
        name == kind.as_str()
    } else {
        named_after_a_type.is_none() && name != COGNITO_PROVIDER
    };
    if ok {
        Ok(())
    } else {
        Err(CognitoError::invalid_parameter(format!(
            "Provider {name} cannot be of type {}.",
            kind.as_str()
        )))
    }
}

/// Every provider of the pool, by name.
async fn all_providers(ctx: &Ctx<'_>, pool_id: &str) -> Result<Vec<IdentityProvider>> {
    resources::all(ctx, pool_id, ResourceKind::IdentityProvider)
        .await?
        .into_iter()
        .map(from_resource)
        .collect()
}

/// IdpIdentifiers are unique in the pool, across providers.
async fn check_identifiers(ctx: &Ctx<'_>, idp: &IdentityProvider) -> Result<()> {
    let mut seen = BTreeSet::new();
    for id in &idp.idp_identifiers {
        if !seen.insert(id.as_str()) {
            return Err(duplicate_identifier(id));
        }
    }
    for other in all_providers(ctx, &idp.user_pool_id).await? {
        if other.provider_name == idp.provider_name {
            continue;
        }
        if let Some(id) = other
            .idp_identifiers
            .iter()
            .find(|id| seen.contains(id.as_str()))
        {
            return Err(duplicate_identifier(id));
        }
    }
    Ok(())
}

fn duplicate_identifier(id: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!(
        "The identifier {id} is already used by an identity provider of this user pool."
    ))
}

fn check_acr_mapping(kind: ProviderType, acr: &BTreeMap<String, String>) -> Result<()> {
    if !acr.is_empty() && kind != ProviderType::Oidc {
        return Err(CognitoError::invalid_parameter(
            "AcrMapping is supported only for OIDC identity providers.",
        ));
    }
    Ok(())
}

/// Completes and checks everything but the name, then seals the secrets.
async fn settle(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    idp: &mut IdentityProvider,
    details: Details,
) -> Result<()> {
    let details = complete_details(idp.provider_type, details)?;
    idp.attribute_mapping = complete_mapping(
        pool,
        idp.provider_type,
        std::mem::take(&mut idp.attribute_mapping),
    )?;
    check_acr_mapping(idp.provider_type, &idp.acr_mapping)?;
    check_identifiers(ctx, idp).await?;
    seal_secrets(ctx, idp, details)
}

pub async fn create_identity_provider(
    ctx: &Ctx<'_>,
    pool_id: &str,
    name: &str,
    kind: ProviderType,
    config: ProviderConfig,
) -> Result<(IdentityProvider, Details)> {
    let pool = ctx.pool(pool_id).await?;
    check_name(name, kind)?;
    let mut idp = IdentityProvider {
        user_pool_id: pool_id.to_owned(),
        provider_name: name.to_owned(),
        provider_type: kind,
        provider_details: BTreeMap::new(),
        attribute_mapping: config.attribute_mapping.unwrap_or_default(),
        idp_identifiers: config.idp_identifiers.unwrap_or_default(),
        acr_mapping: config.acr_mapping.unwrap_or_default(),
        creation_date: ctx.now,
        last_modified_date: ctx.now,
        sealed_secrets: None,
    };
    settle(ctx, &pool, &mut idp, config.details.unwrap_or_default()).await?;
    ctx.store
        .insert_resource(&to_resource(&idp)?)
        .await
        .map_err(|e| match e {
            StoreError::Conflict {
                constraint: Constraint::Resource,
            } => CognitoError::new(
                ErrorKind::DuplicateProvider,
                format!("{name} already exists in user pool {pool_id}"),
            ),
            StoreError::Conflict {
                constraint: Constraint::Reference,
            } => CognitoError::pool_not_found(pool_id),
            e => e.into(),
        })?;
    let details = provider_details(ctx, &idp)?;
    Ok((idp, details))
}

/// The provider `name` of the pool, if it exists (the pool is not checked).
pub async fn find_identity_provider(
    ctx: &Ctx<'_>,
    pool_id: &str,
    name: &str,
) -> Result<Option<IdentityProvider>> {
    ctx.store
        .get_resource(pool_id, ResourceKind::IdentityProvider, name)
        .await?
        .map(from_resource)
        .transpose()
}

/// The provider and its full details (secrets unsealed).
pub async fn describe_identity_provider(
    ctx: &Ctx<'_>,
    pool_id: &str,
    name: &str,
) -> Result<(IdentityProvider, Details)> {
    ctx.pool(pool_id).await?;
    let idp = find_identity_provider(ctx, pool_id, name)
        .await?
        .ok_or_else(|| not_found(name))?;
    let details = provider_details(ctx, &idp)?;
    Ok((idp, details))
}

/// Updates what the request gives. ProviderDetails given are merged over the current ones (so
/// a secret Describe does not return, Apple's private key, need not be sent again) and
/// checked as on creation; AttributeMapping, IdpIdentifiers and AcrMapping given replace the
/// current ones.
pub async fn update_identity_provider(
    ctx: &Ctx<'_>,
    pool_id: &str,
    name: &str,
    config: ProviderConfig,
) -> Result<(IdentityProvider, Details)> {
    let pool = ctx.pool(pool_id).await?;
    let mut idp = find_identity_provider(ctx, pool_id, name)
        .await?
        .ok_or_else(|| not_found(name))?;
    let mut details = provider_details(ctx, &idp)?;
    if let Some(given) = config.details {
        details.extend(given);
    }
    if let Some(m) = config.attribute_mapping {
        idp.attribute_mapping = m;
    }
    if let Some(ids) = config.idp_identifiers {
        idp.idp_identifiers = ids;
    }
    if let Some(acr) = config.acr_mapping {
        idp.acr_mapping = acr;
    }
    idp.last_modified_date = ctx.now;
    settle(ctx, &pool, &mut idp, details).await?;
    ctx.store.put_resource(&to_resource(&idp)?).await?;
    let details = provider_details(ctx, &idp)?;
    Ok((idp, details))
}

/// Deletes the provider. App clients that list it in SupportedIdentityProviders keep the name.
pub async fn delete_identity_provider(ctx: &Ctx<'_>, pool_id: &str, name: &str) -> Result<()> {
    ctx.pool(pool_id).await?;
    if !ctx
        .store
        .delete_resource(pool_id, ResourceKind::IdentityProvider, name)
        .await?
    {
        return Err(not_found(name));
    }
    Ok(())
}

/// One page of the pool's providers by name, and the name to continue after.
pub async fn list_identity_providers(
    ctx: &Ctx<'_>,
    pool_id: &str,
    after: Option<&str>,
    max: usize,
) -> Result<(Vec<IdentityProvider>, Option<String>)> {
    ctx.pool(pool_id).await?;
    let max = max.clamp(1, MAX_PAGE);
    let (page, next) =
        resources::page(ctx, pool_id, ResourceKind::IdentityProvider, after, max).await?;
    let providers = page
        .into_iter()
        .map(from_resource)
        .collect::<Result<Vec<_>>>()?;
    Ok((providers, next))
}

pub async fn get_identity_provider_by_identifier(
    ctx: &Ctx<'_>,
    pool_id: &str,
    identifier: &str,
) -> Result<(IdentityProvider, Details)> {
    ctx.pool(pool_id).await?;
    let idp = all_providers(ctx, pool_id)
        .await?
        .into_iter()
        .find(|p| p.idp_identifiers.iter().any(|i| i == identifier))
        .ok_or_else(|| {
            CognitoError::resource_not_found(format!(
                "Identity provider with identifier {identifier} does not exist."
            ))
        })?;
    let details = provider_details(ctx, &idp)?;
    Ok((idp, details))
}
