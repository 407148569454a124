//! Which user-pool domain a request is for: `/domains/<prefix>/...` names a prefix domain; a
//! request at the root paths is for the custom domain its `Host` names. Either way the domain
//! must be registered (CreateUserPoolDomain).

use std::sync::Arc;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::domain_urls::domain_base_url;
use crate::http::host_check::custom_domain_of;
use crate::http::login::page::error_page;
use crate::state::AppState;

pub struct Domain {
    pub pool_id: String,
    pub name: String,
    /// Where the domain's endpoints are (`<public-url>/domains/<prefix>`, or the custom name).
    pub base_url: String,
    /// The path prefix of the endpoints on this server (cookies are scoped to it).
    pub base_path: String,
    pub secure: bool,
}

impl FromRequestParts<Arc<AppState>> for Domain {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_owned(), |u| u.0.path().to_owned());
        let not_found = || {
            error_page(
                axum::http::StatusCode::NOT_FOUND,
                "Page not found",
                "This sign-in address is not set up. Check the link you followed.",
            )
            .into_response()
        };
        let (name, base_path) = match path.strip_prefix("/domains/") {
            Some(rest) => {
                let prefix = rest.split('/').next().unwrap_or("").to_owned();
                let base = format!("/domains/{prefix}");
                (prefix, base)
            }
            None => {
                let host = parts.headers.get("host").and_then(|h| h.to_str().ok());
                match custom_domain_of(state, host).await {
                    Some(d) => (d, String::new()),
                    None => return Err(not_found()),
                }
            }
        };
        let found = state.store.find_domain(&name).await.map_err(|e| {
            tracing::error!(detail = %e, "looking up a domain");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        })?;
        let Some(resource) = found else {
            return Err(not_found());
        };
        let base_url = domain_base_url(&state.settings.public_url, &name);
        Ok(Self {
            pool_id: resource.pool_id,
            secure: base_url.starts_with("https://"),
            base_path: if base_path.is_empty() {
                String::new()
            } else {
                // The public URL may carry a path of its own before /domains.
                base_url
                    .split_once("://")
                    .and_then(|(_, rest)| rest.find('/').map(|k| rest[k..].to_owned()))
                    .unwrap_or(base_path)
            },
            name,
            base_url,
        })
    }
}
