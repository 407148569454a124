//! Configuration-only resources of a pool (domains, resource servers, identity providers,
//! branding): stored as JSON documents in one pool-scoped collection, keyed by
//! `(pool_id, kind, id)`, so a new kind of resource needs no new storage methods.

use serde::{Deserialize, Serialize};

/// What a [`Resource`] is. Stored by [`ResourceKind::as_str`]; never rename a stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ResourceKind {
    Domain,
    ResourceServer,
    IdentityProvider,
    Branding,
    /// An OAuth 2.0 authorization code, by the SHA-256 of the code; consumed by deleting it.
    AuthorizationCode,
    /// A managed-login browser session (the cookie), by the SHA-256 of the cookie value.
    LoginSession,
    /// The scope an OAuth sign-in granted, by the `origin_jti` of its refresh token.
    OAuthGrant,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 7] = [
        Self::Domain,
        Self::ResourceServer,
        Self::IdentityProvider,
        Self::Branding,
        Self::AuthorizationCode,
        Self::LoginSession,
        Self::OAuthGrant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::ResourceServer => "resource_server",
            Self::IdentityProvider => "identity_provider",
            Self::Branding => "branding",
            Self::AuthorizationCode => "authorization_code",
            Self::LoginSession => "login_session",
            Self::OAuthGrant => "oauth_grant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One configuration resource: `data` is the document its use-case defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub pool_id: String,
    pub kind: ResourceKind,
    /// Unique per pool and kind (a domain prefix, a resource server identifier, a provider name).
    pub id: String,
    pub data: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in ResourceKind::ALL {
            assert_eq!(ResourceKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ResourceKind::parse("user"), None);
    }
}
