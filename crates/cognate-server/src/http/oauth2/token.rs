//! `POST /oauth2/token`: the `authorization_code`, `refresh_token` and `client_credentials`
//! grants. The client authenticates with HTTP Basic or `client_id`/`client_secret` in the
//! form. Errors are Cognito's JSON `{"error":"invalid_grant"}` with status 400.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_core::service::federation::resource_servers::all_scopes;
use cognate_core::service::oauth2::client::authenticate_client;
use cognate_core::service::oauth2::{grants, OAuthError};
use cognate_core::service::Ctx;
use serde_json::{json, Map, Value};

use super::client_config::oauth_config;
use super::domain::Domain;
use crate::state::AppState;

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

pub fn oauth_error(e: OAuthError) -> Response {
    match e {
        OAuthError::Protocol(code) => {
            no_store((StatusCode::BAD_REQUEST, Json(json!({"error": code}))).into_response())
        }
        OAuthError::Other(e) => {
            tracing::error!(detail = %e.message, "token endpoint");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `(client_id, client_secret)` from HTTP Basic (form-urlencoded parts) or the form.
pub fn client_credentials_of(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(String, Option<String>), OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        });
    if let Some(b64) = basic {
        let raw = STANDARD
            .decode(b64.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or(OAuthError::INVALID_CLIENT)?;
        let (id, secret) = raw.split_once(':').ok_or(OAuthError::INVALID_CLIENT)?;
        let decode = |s: &str| {
            form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        return Ok((decode(id), Some(decode(secret))));
    }
    let id = form
        .get("client_id")
        .filter(|v| !v.is_empty())
        .ok_or(OAuthError::INVALID_REQUEST)?;
    Ok((id.clone(), form.get("client_secret").cloned()))
}

async fn grant(
    ctx: &Ctx<'_>,
    domain: &Domain,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Value, OAuthError> {
    let get = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let grant_type = get("grant_type").ok_or(OAuthError::INVALID_REQUEST)?;
    let (client_id, secret) = client_credentials_of(headers, form)?;
    let client = authenticate_client(ctx, &client_id, secret.as_deref()).await?;
    if client.pool_id != domain.pool_id {
        return Err(OAuthError::INVALID_CLIENT);
    }
    let config = oauth_config(&client);
    let mut out = Map::new();
    match grant_type {
        "authorization_code" => {
            let code = get("code").ok_or(OAuthError::INVALID_REQUEST)?;
            let (t, with_id) = grants::authorization_code(
                ctx,
                &client,
                &config,
                code,
                get("redirect_uri"),
                get("code_verifier"),
            )
            .await?;
            if with_id {
                out.insert("id_token".into(), json!(t.id_token));
            }
            out.insert("access_token".into(), json!(t.access_token));
            out.insert("refresh_token".into(), json!(t.refresh_token));
            out.insert("expires_in".into(), json!(t.expires_in));
        }
        "refresh_token" => {
            let token = get("refresh_token").ok_or(OAuthError::INVALID_REQUEST)?;
            let t = grants::refresh_token(ctx, &client, token).await?;
            out.insert("id_token".into(), json!(t.id_token));
            out.insert("access_token".into(), json!(t.access_token));
            out.insert("expires_in".into(), json!(t.expires_in));
        }
        "client_credentials" => {
            let scopes = all_scopes(ctx, &client.pool_id).await?;
            let (token, expires_in) =
                grants::client_credentials(ctx, &client, &config, get("scope"), &scopes).await?;
            out.insert("access_token".into(), json!(token));
            out.insert("expires_in".into(), json!(expires_in));
        }
        _ => return Err(OAuthError::UNSUPPORTED_GRANT_TYPE),
    }
    out.insert("token_type".into(), json!("Bearer"));
    Ok(Value::Object(out))
}

pub async fn token(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let ctx = state.ctx();
    match grant(&ctx, &domain, &headers, &form).await {
        Ok(body) => no_store(Json(body).into_response()),
        Err(e) => oauth_error(e),
    }
}
