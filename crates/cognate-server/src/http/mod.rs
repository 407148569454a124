//! HTTP routes: the AWS JSON 1.1 endpoint (POST on any path, as amazon-cognito-identity-js posts
//! to the endpoint verbatim), the per-pool OIDC documents, health, and the test clock. Every
//! route but `/health` and `/ready` goes through the `Host` check.

mod aws_json;
mod body_deadline;
mod envelope;
pub mod host_check;
mod import_upload;
pub mod login;
pub mod oauth2;
mod ready;
pub mod serve;
mod signature;
pub mod sigv4;
mod test_clock;
mod well_known;

use std::sync::Arc;

use axum::routing::{get, post, put};
use axum::Router;

use crate::state::AppState;

pub use aws_json::MAX_BODY_BYTES;

pub fn router(state: Arc<AppState>) -> Router {
    let checked = Router::new()
        .route(
            "/_cognate/clock",
            get(test_clock::get_clock).post(test_clock::set_clock),
        )
        .route("/{pool_id}/.well-known/jwks.json", get(well_known::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(well_known::openid_configuration),
        )
        .route("/import-jobs/{job_id}", put(import_upload::put_import_file))
        .nest("/domains/{prefix}", oauth2::routes())
        .merge(oauth2::routes())
        .route("/", post(aws_json::handle))
        .fallback(post(aws_json::handle))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            host_check::check,
        ));
    // Health and readiness answer whatever the Host: probes (load balancers, container
    // runtimes) use addresses the server cannot know in advance, and "ok" or "database
    // unreachable" tells a rebinding page nothing.
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready::ready))
        .merge(checked)
        .with_state(state)
}
