//! The documents of a pool's resource servers and identity providers, stored as
//! [`Resource`](super::Resource) data. Unlike the other entities, their JSON is Cognito's wire
//! shape (`ResourceServerType`, `IdentityProviderType`), so the OAuth endpoints and the API
//! read one encoding.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

/// `ResourceServerType`: the scopes a client-credentials grant hands out are
/// `<identifier>/<scope name>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServer {
    pub user_pool_id: String,
    pub identifier: String,
    pub name: String,
    #[serde(default)]
    pub scopes: Vec<ResourceServerScope>,
}

/// `ResourceServerScopeType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerScope {
    pub scope_name: String,
    pub scope_description: String,
}

impl ResourceServer {
    /// The full scope names (`identifier/scope`) this server defines.
    pub fn scope_names(&self) -> impl Iterator<Item = String> + '_ {
        self.scopes
            .iter()
            .map(|s| format!("{}/{}", self.identifier, s.scope_name))
    }
}

/// An OAuth grant an app client allows (`AllowedOAuthFlows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OAuthFlow {
    Code,
    Implicit,
    ClientCredentials,
}

impl OAuthFlow {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "code" => Some(Self::Code),
            "implicit" => Some(Self::Implicit),
            "client_credentials" => Some(Self::ClientCredentials),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Implicit => "implicit",
            Self::ClientCredentials => "client_credentials",
        }
    }
}

/// `IdentityProviderTypeType`: the kind of a third-party IdP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProviderType {
    #[serde(rename = "SAML")]
    Saml,
    Facebook,
    Google,
    LoginWithAmazon,
    SignInWithApple,
    #[serde(rename = "OIDC")]
    Oidc,
}

impl ProviderType {
    pub const ALL: [ProviderType; 6] = [
        Self::Saml,
        Self::Facebook,
        Self::Google,
        Self::LoginWithAmazon,
        Self::SignInWithApple,
        Self::Oidc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Saml => "SAML",
            Self::Facebook => "Facebook",
            Self::Google => "Google",
            Self::LoginWithAmazon => "LoginWithAmazon",
            Self::SignInWithApple => "SignInWithApple",
            Self::Oidc => "OIDC",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Social providers (Google, Facebook, LoginWithAmazon, SignInWithApple) are named after
    /// their type; SAML and OIDC providers have names of their own.
    pub fn is_social(self) -> bool {
        !matches!(self, Self::Saml | Self::Oidc)
    }
}

/// `IdentityProviderType` as stored: `ProviderDetails` without the secrets (`client_secret`,
/// `private_key`), which are in `SealedSecrets`, sealed under the master key (see
/// `service::federation::identity_providers::provider_details` for the full details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProvider {
    pub user_pool_id: String,
    pub provider_name: String,
    pub provider_type: ProviderType,
    pub provider_details: BTreeMap<String, String>,
    #[serde(default)]
    pub attribute_mapping: BTreeMap<String, String>,
    #[serde(default)]
    pub idp_identifiers: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub acr_mapping: BTreeMap<String, String>,
    pub creation_date: Timestamp,
    pub last_modified_date: Timestamp,
    /// The secret members of `ProviderDetails`, sealed (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_secrets: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The OAuth endpoints read stored resource servers: their JSON is `ResourceServerType`.
    #[test]
    fn resource_servers_are_stored_in_the_wire_shape() {
        let server = ResourceServer {
            user_pool_id: "us-east-1_a".into(),
            identifier: "https://api".into(),
            name: "API".into(),
            scopes: vec![ResourceServerScope {
                scope_name: "read".into(),
                scope_description: "Read".into(),
            }],
        };
        let json = serde_json::to_value(&server).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({
                "UserPoolId": "us-east-1_a", "Identifier": "https://api", "Name": "API",
                "Scopes": [{"ScopeName": "read", "ScopeDescription": "Read"}]
            }))
        );
        assert_eq!(
            server.scope_names().collect::<Vec<_>>(),
            vec!["https://api/read".to_owned()]
        );
    }

    #[test]
    fn provider_types_and_flows_round_trip() {
        for t in ProviderType::ALL {
            assert_eq!(ProviderType::parse(t.as_str()), Some(t));
            assert_eq!(
                serde_json::to_value(t).ok(),
                Some(serde_json::json!(t.as_str()))
            );
        }
        assert!(ProviderType::Google.is_social() && !ProviderType::Oidc.is_social());
        for f in [
            OAuthFlow::Code,
            OAuthFlow::Implicit,
            OAuthFlow::ClientCredentials,
        ] {
            assert_eq!(OAuthFlow::parse(f.as_str()), Some(f));
        }
        assert_eq!(OAuthFlow::parse("token"), None);
    }
}
