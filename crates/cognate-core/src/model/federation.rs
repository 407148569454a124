//! The documents of a pool's resource servers and identity providers, stored as
//! [`Resource`](super::Resource) data. Unlike the other entities, their JSON is Cognito's wire
//! shape (`ResourceServerType`, `IdentityProviderType`), so the OAuth endpoints and the API
//! read one encoding.

use serde::{Deserialize, Serialize};

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
