//! `GET|POST /oauth2/userInfo`: the signed-in user's attributes for an access token with the
//! `openid` scope, filtered by the token's scopes as Cognito does (`email` → email and
//! email_verified, `phone` → phone_number and phone_number_verified, `profile` or
//! `aws.cognito.signin.user.admin` → every attribute the client may read). Values are strings.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cognate_core::service::tokens::verify::authenticate_for_user_info;
use serde_json::{json, Map, Value};

use super::domain::Domain;
use crate::state::AppState;

fn invalid_token(description: &str) -> Response {
    let mut r = (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": "invalid_token", "error_description": description})),
    )
        .into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    r
}

fn wanted(scopes: &[&str], name: &str) -> bool {
    let all = scopes.contains(&"profile") || scopes.contains(&"aws.cognito.signin.user.admin");
    match name {
        "email" | "email_verified" => scopes.contains(&"email") || all,
        "phone_number" | "phone_number_verified" => scopes.contains(&"phone") || all,
        _ => all,
    }
}

pub async fn user_info(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
) -> Response {
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
    else {
        return invalid_token("Access token is missing");
    };
    let ctx = state.ctx();
    let auth = match authenticate_for_user_info(&ctx, token.trim()).await {
        Ok(a) if a.pool.id == domain.pool_id => a,
        Ok(_) => return invalid_token("Access token is not valid for this domain"),
        Err(e) if e.kind == cognate_core::ErrorKind::InternalError => {
            tracing::error!(detail = %e.message, "userInfo");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        Err(e) => return invalid_token(&e.message),
    };
    let scope = auth
        .claims
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let scopes: Vec<&str> = scope.split(' ').collect();
    let mut out = Map::new();
    out.insert("sub".into(), json!(auth.user.sub));
    for (name, value) in &auth.user.attributes {
        if wanted(&scopes, name) {
            out.insert(name.clone(), json!(value));
        }
    }
    out.insert("username".into(), json!(auth.user.username));
    Json(Value::Object(out)).into_response()
}
