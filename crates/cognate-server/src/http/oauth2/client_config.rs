//! Reads a client's OAuth members from its stored settings (wire names) into the core's
//! `OAuthConfig`.

use cognate_core::model::AppClient;
use cognate_core::service::oauth2::client::{OAuthConfig, OAuthFlow};
use serde_json::Value;

fn strings(client: &AppClient, member: &str) -> Vec<String> {
    client
        .settings
        .get(member)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

pub fn oauth_config(client: &AppClient) -> OAuthConfig {
    OAuthConfig {
        enabled: client
            .settings
            .get("AllowedOAuthFlowsUserPoolClient")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        flows: strings(client, "AllowedOAuthFlows")
            .iter()
            .filter_map(|f| match f.as_str() {
                "code" => Some(OAuthFlow::Code),
                "implicit" => Some(OAuthFlow::Implicit),
                "client_credentials" => Some(OAuthFlow::ClientCredentials),
                _ => None,
            })
            .collect(),
        scopes: strings(client, "AllowedOAuthScopes"),
        callback_urls: strings(client, "CallbackURLs"),
        logout_urls: strings(client, "LogoutURLs"),
        default_redirect_uri: client
            .settings
            .get("DefaultRedirectURI")
            .and_then(Value::as_str)
            .map(String::from),
        identity_providers: strings(client, "SupportedIdentityProviders"),
    }
}
