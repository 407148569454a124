//! CreateIdentityProvider, DescribeIdentityProvider, UpdateIdentityProvider,
//! DeleteIdentityProvider, ListIdentityProviders, GetIdentityProviderByIdentifier.

use cognate_core::model::{IdentityProvider, ProviderType};
use cognate_core::service::federation::identity_providers::{self, ProviderConfig, MAX_PAGE};
use cognate_core::service::federation::provider_details::{Details, WRITE_ONLY_KEYS};
use cognate_core::service::Ctx;
use cognate_core::{CognitoError, Result};
use serde_json::{json, Map, Value};

use super::output::{decode_token, next_token, put, ts};
use super::Input;

fn config(i: &Input) -> ProviderConfig {
    let map = |k: &str| i.has(k).then(|| i.str_map(k));
    ProviderConfig {
        details: map("ProviderDetails"),
        attribute_mapping: map("AttributeMapping"),
        idp_identifiers: i.opt_str_list("IdpIdentifiers"),
        acr_mapping: map("AcrMapping"),
    }
}

/// The `IdentityProviderType` shape, with the full details (secrets included, as Cognito
/// returns them, but never Apple's private key).
fn identity_provider_type(idp: &IdentityProvider, details: &Details) -> Value {
    let shown: Map<String, Value> = details
        .iter()
        .filter(|(k, _)| !WRITE_ONLY_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut m = Map::new();
    m.insert("UserPoolId".into(), json!(idp.user_pool_id));
    m.insert("ProviderName".into(), json!(idp.provider_name));
    m.insert("ProviderType".into(), json!(idp.provider_type.as_str()));
    m.insert("ProviderDetails".into(), Value::Object(shown));
    m.insert("AttributeMapping".into(), json!(idp.attribute_mapping));
    m.insert("IdpIdentifiers".into(), json!(idp.idp_identifiers));
    if !idp.acr_mapping.is_empty() {
        m.insert("AcrMapping".into(), json!(idp.acr_mapping));
    }
    m.insert("LastModifiedDate".into(), ts(idp.last_modified_date));
    m.insert("CreationDate".into(), ts(idp.creation_date));
    Value::Object(m)
}

pub async fn create_identity_provider(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let kind_name = i.str("ProviderType")?;
    let kind = ProviderType::parse(kind_name).ok_or_else(|| {
        CognitoError::invalid_parameter(format!("Invalid provider type: {kind_name}"))
    })?;
    let (idp, details) = identity_providers::create_identity_provider(
        ctx,
        i.str("UserPoolId")?,
        i.str("ProviderName")?,
        kind,
        config(i),
    )
    .await?;
    Ok(json!({"IdentityProvider": identity_provider_type(&idp, &details)}))
}

pub async fn describe_identity_provider(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let (idp, details) = identity_providers::describe_identity_provider(
        ctx,
        i.str("UserPoolId")?,
        i.str("ProviderName")?,
    )
    .await?;
    Ok(json!({"IdentityProvider": identity_provider_type(&idp, &details)}))
}

pub async fn update_identity_provider(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let (idp, details) = identity_providers::update_identity_provider(
        ctx,
        i.str("UserPoolId")?,
        i.str("ProviderName")?,
        config(i),
    )
    .await?;
    Ok(json!({"IdentityProvider": identity_provider_type(&idp, &details)}))
}

pub async fn delete_identity_provider(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    identity_providers::delete_identity_provider(ctx, i.str("UserPoolId")?, i.str("ProviderName")?)
        .await?;
    Ok(json!({}))
}

pub async fn list_identity_providers(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let max = match i.opt_i64("MaxResults") {
        None | Some(0) => MAX_PAGE,
        Some(n) => n.clamp(1, MAX_PAGE as i64) as usize,
    };
    let after = decode_token(i.opt_str("NextToken"))?;
    let (list, next) = identity_providers::list_identity_providers(
        ctx,
        i.str("UserPoolId")?,
        after.as_deref(),
        max,
    )
    .await?;
    let mut out = Map::new();
    out.insert(
        "Providers".into(),
        Value::Array(
            list.iter()
                .map(|p| {
                    json!({
                        "ProviderName": p.provider_name,
                        "ProviderType": p.provider_type.as_str(),
                        "LastModifiedDate": ts(p.last_modified_date),
                        "CreationDate": ts(p.creation_date),
                    })
                })
                .collect(),
        ),
    );
    put(&mut out, "NextToken", next_token(next));
    Ok(Value::Object(out))
}

pub async fn get_identity_provider_by_identifier(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let (idp, details) = identity_providers::get_identity_provider_by_identifier(
        ctx,
        i.str("UserPoolId")?,
        i.str("IdpIdentifier")?,
    )
    .await?;
    Ok(json!({"IdentityProvider": identity_provider_type(&idp, &details)}))
}
