//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.

use cognate_core::model::{AppClient, ExplicitAuthFlow, OAuthFlow, TimeUnit};
use cognate_core::service::federation::client_oauth::OAuthConfig;
use cognate_core::service::pools::clients::{self, ClientConfig};
use cognate_core::service::Ctx;
use cognate_core::{CognitoError, Result};
use serde_json::{json, Map, Value};

use super::output::{decode_token, next_token, put, ts};
use super::Input;

/// The `UserPoolClientType` members a request may set that are stored as given and echoed
/// (OAuth and hosted-UI settings, analytics, refresh-token rotation). The OAuth members are
/// also read into an [`OAuthConfig`] and validated; the OAuth endpoints read them from here.
const ECHOED: &[&str] = &[
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "EnablePropagateAdditionalUserContextData",
    "RefreshTokenRotation",
];

fn explicit_auth_flow(f: &str) -> Result<ExplicitAuthFlow> {
    ExplicitAuthFlow::parse(f)
        .ok_or_else(|| CognitoError::invalid_parameter(format!("Invalid explicit auth flow: {f}")))
}

/// The client settings of a Create or Update request. UpdateUserPoolClient may leave the name
/// out (it is kept); everything else left out is reset to its default.
fn config(i: &Input) -> Result<ClientConfig> {
    let units = i.obj("TokenValidityUnits");
    let unit = |k: &str| units.and_then(|u| u.opt_str(k)).and_then(TimeUnit::parse);
    Ok(ClientConfig {
        name: i.opt_str("ClientName").unwrap_or_default().to_owned(),
        explicit_auth_flows: i
            .opt_str_list("ExplicitAuthFlows")
            .map(|flows| flows.iter().map(|f| explicit_auth_flow(f)).collect())
            .transpose()?,
        access_token_validity: i.opt_i64("AccessTokenValidity"),
        id_token_validity: i.opt_i64("IdTokenValidity"),
        refresh_token_validity: i.opt_i64("RefreshTokenValidity"),
        access_token_unit: unit("AccessToken"),
        id_token_unit: unit("IdToken"),
        refresh_token_unit: unit("RefreshToken"),
        auth_session_validity: i.opt_i64("AuthSessionValidity"),
        prevent_user_existence_errors: i
            .opt_str("PreventUserExistenceErrors")
            .map(|v| v == "ENABLED"),
        enable_token_revocation: i.opt_bool("EnableTokenRevocation"),
        read_attributes: i.str_list("ReadAttributes"),
        write_attributes: i.str_list("WriteAttributes"),
        settings: i.only(ECHOED),
        oauth: oauth_config(i)?,
    })
}

fn oauth_config(i: &Input) -> Result<OAuthConfig> {
    Ok(OAuthConfig {
        enabled: i
            .opt_bool("AllowedOAuthFlowsUserPoolClient")
            .unwrap_or(false),
        flows: i
            .str_list("AllowedOAuthFlows")
            .iter()
            .map(|f| {
                OAuthFlow::parse(f).ok_or_else(|| {
                    CognitoError::invalid_parameter(format!("Invalid OAuth flow: {f}"))
                })
            })
            .collect::<Result<_>>()?,
        scopes: i.str_list("AllowedOAuthScopes"),
        callback_urls: i.str_list("CallbackURLs"),
        logout_urls: i.str_list("LogoutURLs"),
        default_redirect_uri: i.opt_str("DefaultRedirectURI").map(String::from),
        identity_providers: i.str_list("SupportedIdentityProviders"),
    })
}

/// The `UserPoolClientType` shape. As on Cognito, a setting the client was not given is left
/// out (ExplicitAuthFlows, AccessTokenValidity, IdTokenValidity, PreventUserExistenceErrors,
/// each TokenValidityUnits member, Read/WriteAttributes) while its default applies;
/// RefreshTokenValidity, EnableTokenRevocation and AuthSessionValidity are always shown.
fn user_pool_client(c: &AppClient) -> Value {
    let mut m = c.settings.clone();
    m.insert("UserPoolId".into(), json!(c.pool_id));
    m.insert("ClientName".into(), json!(c.name));
    m.insert("ClientId".into(), json!(c.client_id));
    put(&mut m, "ClientSecret", json!(c.secret));
    m.insert("LastModifiedDate".into(), ts(c.modified));
    m.insert("CreationDate".into(), ts(c.created));
    m.insert(
        "RefreshTokenValidity".into(),
        json!(c.refresh_token_validity.value),
    );
    let given = &c.given;
    if given.access_token_validity {
        m.insert(
            "AccessTokenValidity".into(),
            json!(c.access_token_validity.value),
        );
    }
    if given.id_token_validity {
        m.insert("IdTokenValidity".into(), json!(c.id_token_validity.value));
    }
    let mut units = Map::new();
    for (k, unit) in [
        ("AccessToken", given.access_token_unit),
        ("IdToken", given.id_token_unit),
        ("RefreshToken", given.refresh_token_unit),
    ] {
        if let Some(u) = unit {
            units.insert(k.into(), json!(u.as_str()));
        }
    }
    m.insert("TokenValidityUnits".into(), Value::Object(units));
    if !c.read_attributes.is_empty() {
        m.insert("ReadAttributes".into(), json!(c.read_attributes));
    }
    if !c.write_attributes.is_empty() {
        m.insert("WriteAttributes".into(), json!(c.write_attributes));
    }
    if given.explicit_auth_flows {
        m.insert("ExplicitAuthFlows".into(), json!(c.explicit_auth_flows));
    }
    m.entry("AllowedOAuthFlowsUserPoolClient")
        .or_insert(json!(false));
    if given.prevent_user_existence_errors {
        m.insert(
            "PreventUserExistenceErrors".into(),
            json!(if c.prevent_user_existence_errors {
                "ENABLED"
            } else {
                "LEGACY"
            }),
        );
    }
    m.insert(
        "EnableTokenRevocation".into(),
        json!(c.enable_token_revocation),
    );
    m.entry("EnablePropagateAdditionalUserContextData")
        .or_insert(json!(false));
    m.insert("AuthSessionValidity".into(), json!(c.auth_session_validity));
    Value::Object(m)
}

pub async fn create_user_pool_client(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    i.str("ClientName")?;
    let client = clients::create_user_pool_client(
        ctx,
        i.str("UserPoolId")?,
        config(i)?,
        i.opt_bool("GenerateSecret").unwrap_or(false),
        i.opt_str("ClientSecret").map(String::from),
    )
    .await?;
    Ok(json!({"UserPoolClient": user_pool_client(&client)}))
}

pub async fn describe_user_pool_client(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let c =
        clients::describe_user_pool_client(ctx, i.str("UserPoolId")?, i.str("ClientId")?).await?;
    Ok(json!({"UserPoolClient": user_pool_client(&c)}))
}

/// Replaces the client's settings: members left out go back to their defaults.
pub async fn update_user_pool_client(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let c =
        clients::update_user_pool_client(ctx, i.str("UserPoolId")?, i.str("ClientId")?, config(i)?)
            .await?;
    Ok(json!({"UserPoolClient": user_pool_client(&c)}))
}

pub async fn delete_user_pool_client(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    clients::delete_user_pool_client(ctx, i.str("UserPoolId")?, i.str("ClientId")?).await?;
    Ok(json!({}))
}

pub async fn list_user_pool_clients(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let max = i.opt_i64("MaxResults").unwrap_or(60).clamp(1, 60) as usize;
    let after = decode_token(i.opt_str("NextToken"))?;
    let (list, next) =
        clients::list_user_pool_clients(ctx, i.str("UserPoolId")?, after.as_deref(), max).await?;
    let mut out = Map::new();
    out.insert(
        "UserPoolClients".into(),
        Value::Array(
            list.iter()
                .map(|c| json!({"ClientId": c.client_id, "UserPoolId": c.pool_id, "ClientName": c.name}))
                .collect(),
        ),
    );
    put(&mut out, "NextToken", next_token(next));
    Ok(Value::Object(out))
}
