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

pub async fn openid_configuration(
    State(state): State<Arc<AppState>>,
    Path(pool_id): Path<String>,
) -> Response {
    if let Err(r) = known_pool(&state, &pool_id).await {
        return r;
    }
    let issuer = state.settings.issuer(&pool_id);
    Json(serde_json::json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "authorization_endpoint": format!("{issuer}/oauth2/authorize"),
        "token_endpoint": format!("{issuer}/oauth2/token"),
        "userinfo_endpoint": format!("{issuer}/oauth2/userInfo"),
        "revocation_endpoint": format!("{issuer}/oauth2/revoke"),
        "end_session_endpoint": format!("{issuer}/logout"),
        "response_types_supported": ["code", "token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "token_use", "cognito:username", "cognito:groups", "email", "email_verified", "phone_number", "phone_number_verified"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
    }))
    .into_response()
}
