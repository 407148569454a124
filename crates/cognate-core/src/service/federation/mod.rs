//! What a pool federates with and grants: resource servers (custom OAuth scopes), identity
//! providers, and the OAuth settings of app clients that refer to both.

pub mod client_oauth;
pub mod identity_providers;
pub mod provider_details;
pub mod resource_servers;
