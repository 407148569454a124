//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.

use cognate_core::model::{AppClient, ExplicitAuthFlow, TimeUnit};
use cognate_core::service::pools::clients::{self, ClientConfig};
use cognate_core::service::Ctx;
use cognate_core::{CognitoError, Result};
use serde_json::{json, Map, Value};

use super::output::{decode_token, next_token, put, ts};
use super::Input;

const INTERPRETED: &[&str] = &[
    "UserPoolId",
    "ClientId",
    "ClientName",
    "GenerateSecret",
    "ClientSecret",
    "ExplicitAuthFlows",
    "AccessTokenValidity",
    "IdTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
    "AuthSessionValidity",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "ReadAttributes",
    "WriteAttributes",
];

fn explicit_auth_flow(f: &str) -> Result<ExplicitAuthFlow> {
    ExplicitAuthFlow::parse(f)
        .ok_or_else(|| CognitoError::invalid_parameter(format!("Invalid explicit auth flow: {f}")))
}

fn config(i: &Input) -> Result<ClientConfig> {
    let units = i.obj("TokenValidityUnits");
    let unit = |k: &str| units.and_then(|u| u.opt_str(k)).and_then(TimeUnit::parse);
    Ok(ClientConfig {
        name: i.str("ClientName")?.to_owned(),
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
        prevent_user_existence_errors: i.opt_str("PreventUserExistenceErrors") == Some("ENABLED"),
        enable_token_revocation: i.opt_bool("EnableTokenRevocation"),
        read_attributes: i.str_list("ReadAttributes"),
        write_attributes: i.str_list("WriteAttributes"),
        settings: i.rest(INTERPRETED),
    })
}

/// The `UserPoolClientType` shape.
fn user_pool_client(c: &AppClient) -> Value {
    let mut m = c.settings.clone();
    m.insert("UserPoolId".into(), json!(c.pool_id));
    m.insert("ClientId".into(), json!(c.client_id));
    m.insert("ClientName".into(), json!(c.name));
    put(&mut m, "ClientSecret", json!(c.secret));
    m.insert("CreationDate".into(), ts(c.created));
    m.insert("LastModifiedDate".into(), ts(c.modified));
    m.insert("ExplicitAuthFlows".into(), json!(c.explicit_auth_flows));
    m.insert(
        "AccessTokenValidity".into(),
        json!(c.access_token_validity.value),
    );
    m.insert("IdTokenValidity".into(), json!(c.id_token_validity.value));
    m.insert(
        "RefreshTokenValidity".into(),
        json!(c.refresh_token_validity.value),
    );
    m.insert(
        "TokenValidityUnits".into(),
        json!({
            "AccessToken": c.access_token_validity.unit.as_str(),
            "IdToken": c.id_token_validity.unit.as_str(),
            "RefreshToken": c.refresh_token_validity.unit.as_str(),
        }),
    );
    m.insert("AuthSessionValidity".into(), json!(c.auth_session_validity));
    m.insert(
        "PreventUserExistenceErrors".into(),
        json!(if c.prevent_user_existence_errors {
            "ENABLED"
        } else {
            "LEGACY"
        }),
    );
    m.insert(
        "EnableTokenRevocation".into(),
        json!(c.enable_token_revocation),
    );
    if !c.read_attributes.is_empty() {
        m.insert("ReadAttributes".into(), json!(c.read_attributes));
    }
    if !c.write_attributes.is_empty() {
        m.insert("WriteAttributes".into(), json!(c.write_attributes));
    }
    m.entry("AllowedOAuthFlowsUserPoolClient")
        .or_insert(json!(false));
    m.entry("EnablePropagateAdditionalUserContextData")
        .or_insert(json!(false));
    Value::Object(m)
}

pub async fn create_user_pool_client(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
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

pub async fn update_user_pool_client(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let mut cfg = config(i).or_else(|_| -> Result<ClientConfig> {
        // ClientName is optional on update: keep the current one.
        Ok(ClientConfig::default())
    })?;
    let pool_id = i.str("UserPoolId")?;
    let client_id = i.str("ClientId")?;
    if cfg.name.is_empty() {
        let current = clients::describe_user_pool_client(ctx, pool_id, client_id).await?;
        let mut with_name = Map::new();
        with_name.clone_from(i.raw());
        with_name.insert("ClientName".into(), json!(current.name));
        let v = Value::Object(with_name);
        cfg = config(&Input::new(&v))?;
    }
    let c = clients::update_user_pool_client(ctx, pool_id, client_id, cfg).await?;
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
