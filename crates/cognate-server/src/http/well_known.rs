//! `GET /<poolId>/.well-known/jwks.json` and `/openid-configuration`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::state::AppState;

async fn known_pool(state: &AppState, pool_id: &str) -> Result<(), Response> {
    match state.store.get_pool(pool_id).await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err((
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({"message": format!("User pool {pool_id} does not exist.")})),
        )
            .into_response()),
        Err(e) => {
            tracing::error!(detail = %e, "store error");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

pub async fn jwks(State(state): State<Arc<AppState>>, Path(pool_id): Path<String>) -> Response {
    if let Err(r) = known_pool(&state, &pool_id).await {
        return r;
    }
    let ctx = state.ctx();
    match cognate_core::service::common::keys::pool_keys(&ctx, &pool_id).await {
        Ok(keys) => Json(cognate_core::service::tokens::issue::jwks(&keys)).into_response(),
        Err(e) => {
            tracing::error!(detail = %e, "loading signing keys");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Cognito's discovery document. The OAuth endpoints are listed only when the pool has a
/// domain, and point at that domain's endpoints on this server (`domain_urls`); the issuer
/// stays the pool's issuer.
pub async fn openid_configuration(
    State(state): State<Arc<AppState>>,
    Path(pool_id): Path<String>,
) -> Response {
    if let Err(r) = known_pool(&state, &pool_id).await {
        return r;
    }
    let ctx = state.ctx();
    let domain = match cognate_core::service::pools::domains::pool_domain(&ctx, &pool_id).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(detail = %e, "reading the pool's domain");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let issuer = state.settings.issuer(&pool_id);
    let mut doc = serde_json::json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "response_types_supported": ["code", "token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "token_use", "cognito:username", "cognito:groups", "email", "email_verified", "phone_number", "phone_number_verified"],
    });
    if let (Some(d), Some(m)) = (domain, doc.as_object_mut()) {
        let base = crate::domain_urls::domain_base_url(&state.settings.public_url, &d.id);
        for (k, path) in [
            ("authorization_endpoint", "/oauth2/authorize"),
            ("token_endpoint", "/oauth2/token"),
            ("userinfo_endpoint", "/oauth2/userInfo"),
            ("revocation_endpoint", "/oauth2/revoke"),
            ("end_session_endpoint", "/logout"),
        ] {
            m.insert(k.into(), serde_json::json!(format!("{base}{path}")));
        }
        m.insert(
            "grant_types_supported".into(),
            serde_json::json!(["authorization_code", "refresh_token", "client_credentials"]),
        );
        m.insert(
            "code_challenge_methods_supported".into(),
            serde_json::json!(["S256", "plain"]),
        );
    }
    Json(doc).into_response()
}
