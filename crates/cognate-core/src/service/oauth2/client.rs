//! A client's OAuth 2.0 configuration (read from its settings by the server, which knows the
//! wire names), client authentication at the token endpoint, and the checks of redirect URIs
//! and scopes.

use crate::crypto::ct_eq;
use crate::model::AppClient;
use crate::service::oauth2::OAuthError;
use crate::service::Ctx;

/// `AllowedOAuthFlows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthFlow {
    Code,
    Implicit,
    ClientCredentials,
}

/// The OAuth members of a client (`AllowedOAuthFlowsUserPoolClient`, `AllowedOAuthFlows`,
/// `AllowedOAuthScopes`, `CallbackURLs`, `LogoutURLs`, `DefaultRedirectURI`,
/// `SupportedIdentityProviders`).
#[derive(Debug, Clone, Default)]
pub struct OAuthConfig {
    pub enabled: bool,
    pub flows: Vec<OAuthFlow>,
    pub scopes: Vec<String>,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub default_redirect_uri: Option<String>,
    pub identity_providers: Vec<String>,
}

impl OAuthConfig {
    pub fn allows(&self, flow: OAuthFlow) -> bool {
        self.enabled && self.flows.contains(&flow)
    }

    /// The redirect URI of an authorization request: the one given, which must be one of the
    /// CallbackURLs exactly; without one, the DefaultRedirectURI (or the only callback).
    pub fn redirect_uri(&self, given: Option<&str>) -> Option<String> {
        match given {
            Some(uri) => self.callback_urls.iter().find(|u| *u == uri).cloned(),
            None => {
                self.default_redirect_uri
                    .clone()
                    .or_else(|| match self.callback_urls.as_slice() {
                        [only] => Some(only.clone()),
                        _ => None,
                    })
            }
        }
    }

    /// The scopes an authorization request is granted: the requested ones, each of which must
    /// be allowed; none requested means every allowed scope. `None`: a scope is not allowed.
    pub fn grant_scopes(&self, requested: Option<&str>) -> Option<Vec<String>> {
        let requested: Vec<&str> = requested
            .unwrap_or("")
            .split(' ')
            .filter(|s| !s.is_empty())
            .collect();
        if requested.is_empty() {
            return Some(self.scopes.clone());
        }
        let mut out: Vec<String> = Vec::new();
        for s in requested {
            if !self.scopes.iter().any(|a| a == s) {
                return None;
            }
            if !out.iter().any(|o| o == s) {
                out.push(s.to_owned());
            }
        }
        Some(out)
    }
}

/// Client authentication at the token endpoint: the client id and, for a client with a
/// secret, the secret (HTTP Basic or `client_secret` in the form). Unknown client or wrong
/// secret: `invalid_client`.
pub async fn authenticate_client(
    ctx: &Ctx<'_>,
    client_id: &str,
    secret: Option<&str>,
) -> Result<AppClient, OAuthError> {
    let client = ctx
        .store
        .get_client(client_id)
        .await?
        .ok_or(OAuthError::INVALID_CLIENT)?;
    match (&client.secret, secret) {
        (None, _) => Ok(client),
        (Some(expected), Some(given)) if ct_eq(expected.as_bytes(), given.as_bytes()) => Ok(client),
        _ => Err(OAuthError::INVALID_CLIENT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> OAuthConfig {
        OAuthConfig {
            enabled: true,
            flows: vec![OAuthFlow::Code],
            scopes: vec!["openid".into(), "email".into()],
            callback_urls: vec!["https://app/cb".into(), "https://app/cb2".into()],
            ..OAuthConfig::default()
        }
    }

    #[test]
    fn redirect_uris_match_exactly() {
        let c = config();
        assert_eq!(
            c.redirect_uri(Some("https://app/cb")).as_deref(),
            Some("https://app/cb")
        );
        assert_eq!(c.redirect_uri(Some("https://app/cb/")), None);
        assert_eq!(c.redirect_uri(Some("https://APP/cb")), None);
        assert_eq!(c.redirect_uri(None), None);
    }

    #[test]
    fn scopes_must_be_allowed() {
        let c = config();
        assert_eq!(
            c.grant_scopes(Some("openid")),
            Some(vec!["openid".to_owned()])
        );
        assert_eq!(c.grant_scopes(None), Some(c.scopes.clone()));
        assert_eq!(c.grant_scopes(Some("openid phone")), None);
        assert!(c.allows(OAuthFlow::Code) && !c.allows(OAuthFlow::ClientCredentials));
    }
}
