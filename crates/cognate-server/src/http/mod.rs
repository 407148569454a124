//! HTTP routes: the AWS JSON 1.1 endpoint (POST on any path, as amazon-cognito-identity-js posts
//! to the endpoint verbatim), the per-pool OIDC documents, health, and the test clock.

mod aws_json;
mod body_deadline;
pub mod serve;
mod test_clock;
mod well_known;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

pub use aws_json::MAX_BODY_BYTES;

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route(
            "/_cognate/clock",
            get(test_clock::get_clock).post(test_clock::set_clock),
        )
        .route("/{pool_id}/.well-known/jwks.json", get(well_known::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(well_known::openid_configuration),
        )
        .route("/", post(aws_json::handle))
        .fallback(post(aws_json::handle))
        .with_state(state)
}
