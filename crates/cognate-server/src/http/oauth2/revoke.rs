//! `POST /oauth2/revoke`: revokes a refresh token (and the tokens descending from it), the
//! same use-case as RevokeToken. Errors are `{"error": ...}` with status 400.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use cognate_core::service::oauth2::OAuthError;
use cognate_core::service::tokens::revoke::revoke_token;
use cognate_core::ErrorKind;
use serde_json::json;

use super::domain::Domain;
use super::token::{client_credentials_of, oauth_error};
use crate::state::AppState;

pub async fn revoke(
    State(state): State<Arc<AppState>>,
    _domain: Domain,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (client_id, secret) = match client_credentials_of(&headers, &form) {
        Ok(c) => c,
        Err(e) => return oauth_error(e),
    };
    let Some(token) = form.get("token").filter(|t| !t.is_empty()) else {
        return oauth_error(OAuthError::INVALID_REQUEST);
    };
    let ctx = state.ctx();
    match revoke_token(&ctx, token, &client_id, secret.as_deref()).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => {
            let code = match e.kind {
                ErrorKind::Unauthorized => "invalid_client",
                ErrorKind::UnsupportedTokenType => "unsupported_token_type",
                ErrorKind::UnsupportedOperation => "unauthorized_client",
                ErrorKind::InternalError => return oauth_error(OAuthError::Other(e)),
                _ => "invalid_request",
            };
            (StatusCode::BAD_REQUEST, Json(json!({"error": code}))).into_response()
        }
    }
}
