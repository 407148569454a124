//! OAuth 2.0 / OpenID Connect: the client's OAuth configuration, PKCE, authorization codes,
//! the token endpoint's grants, and managed-login browser sessions. The HTTP side (routes,
//! forms, pages) is in `cognate-server::http::{oauth2, login}`.

pub mod client;
pub mod codes;
pub mod error;
pub mod grants;
pub mod login_session;
pub mod pkce;

pub use error::OAuthError;
