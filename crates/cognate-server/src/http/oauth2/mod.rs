//! The OAuth 2.0 / OpenID Connect endpoints of user-pool domains: `/oauth2/authorize`,
//! `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`, with the managed login
//! pages (`http::login`). Served under `/domains/<prefix>` for prefix domains and at the root
//! for custom domains (matched by `Host`); see `domain_urls`.

pub mod authorize;
pub mod client_config;
pub mod domain;
mod logout;
mod revoke;
mod token;
mod userinfo;
pub mod web;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::http::login;
use crate::state::AppState;

/// The routes of one domain (mounted at `/domains/{prefix}` and at the root).
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/oauth2/authorize", get(authorize::authorize))
        .route("/oauth2/token", post(token::token))
        .route(
            "/oauth2/userInfo",
            get(userinfo::user_info).post(userinfo::user_info),
        )
        .route("/oauth2/revoke", post(revoke::revoke))
        .route("/logout", get(logout::logout))
        .route("/login", get(login::get_login).post(login::post_login))
        .route("/login.css", get(login::stylesheet))
        .route("/signup", get(login::get_sign_up).post(login::post_sign_up))
        .route(
            "/forgotPassword",
            get(login::get_forgot_password).post(login::post_forgot_password),
        )
}
