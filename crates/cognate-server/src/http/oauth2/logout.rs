//! `GET /logout`: ends the managed-login session and either goes to `logout_uri` (one of the
//! client's LogoutURLs) or, with `redirect_uri` and `response_type`, starts a new sign-in
//! (`/login` with those parameters), as Cognito's two forms do.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::authorize::SESSION_COOKIE;
use super::client_config::oauth_config;
use super::domain::Domain;
use super::web::{cookie, redirect, set_cookie, with_query};
use crate::http::login::page::error_page;
use crate::state::AppState;

pub async fn logout(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| params.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let bad = |msg: &str| error_page(StatusCode::BAD_REQUEST, "Sign-out request not valid", msg);
    let ctx = state.ctx();
    let client = match get("client_id") {
        Some(id) => match ctx.store.get_client(id).await {
            Ok(Some(c)) if c.pool_id == domain.pool_id => c,
            _ => return bad("The app (client_id) is not known here."),
        },
        None => return bad("The request names no app (client_id is missing)."),
    };
    let config = oauth_config(&client);
    let target = match (get("logout_uri"), get("redirect_uri")) {
        (Some(uri), _) => {
            if !config.logout_urls.iter().any(|u| u == uri) {
                return bad("The logout_uri is not one of the app's sign-out URLs.");
            }
            uri.to_owned()
        }
        (None, Some(_)) => {
            let pairs: Vec<(&str, &str)> = super::authorize::PARAMS
                .iter()
                .filter_map(|k| get(k).map(|v| (*k, v)))
                .collect();
            with_query(&format!("{}/login", domain.base_path), &pairs)
        }
        (None, None) => return bad("The request needs a logout_uri or a redirect_uri."),
    };
    if let Some(c) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) =
            cognate_core::service::oauth2::login_session::end(&ctx, &domain.pool_id, &c).await
        {
            tracing::error!(detail = %e, "ending a login session");
        }
    }
    redirect(&target, vec![set_cookie(&domain, SESSION_COOKIE, "", 0)])
}
