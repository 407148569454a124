//! The OAuth members of CreateUserPoolClient and UpdateUserPoolClient, checked as Cognito
//! checks them: flows, scopes (standard ones or those of the pool's resource servers), callback
//! and sign-out URLs, the default redirect URI and the identity providers. The server stores
//! the members as given in the client's settings; this file only decides whether they are
//! acceptable.

use crate::model::{OAuthFlow, ResourceKind};
use crate::service::federation::resource_servers::find_resource_server;
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// The scopes Cognito defines itself.
pub const STANDARD_SCOPES: [&str; 5] = [
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// The identity provider every pool has: its own users.
pub const COGNITO_PROVIDER: &str = "COGNITO";

/// A client's OAuth configuration as the request gave it (each member left out is empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuthConfig {
    /// `AllowedOAuthFlowsUserPoolClient`.
    pub enabled: bool,
    pub flows: Vec<OAuthFlow>,
    pub scopes: Vec<String>,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub default_redirect_uri: Option<String>,
    pub identity_providers: Vec<String>,
}

fn invalid_flow(message: &str) -> CognitoError {
    CognitoError::new(ErrorKind::InvalidOAuthFlow, message)
}

/// Whether `url` may be a callback or sign-out URL: absolute (a scheme, then something), no
/// fragment, and HTTPS unless it is plain HTTP to the loopback host (`localhost`,
/// `127.0.0.1`, `[::1]`, any port). App schemes such as `myapp://callback` are allowed.
pub fn redirect_url_problem(url: &str) -> Option<&'static str> {
    let Some((scheme, rest)) = url.split_once(':') else {
        return Some("is not an absolute URI");
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return Some("is not an absolute URI");
    }
    if url.contains('#') {
        return Some("must not include a fragment");
    }
    if scheme.eq_ignore_ascii_case("http") {
        let authority = rest
            .strip_prefix("//")
            .unwrap_or_default()
            .split(['/', '?'])
            .next()
            .unwrap_or_default();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().map(|h| format!("[{h}]")),
            None => authority.split(':').next().map(str::to_owned),
        }
        .unwrap_or_default()
        .to_ascii_lowercase();
        if !["localhost", "127.0.0.1", "[::1]"].contains(&host.as_str()) {
            return Some("must use HTTPS (HTTP is allowed for localhost only)");
        }
    }
    None
}

fn check_urls(member: &str, urls: &[String]) -> Result<()> {
    for url in urls {
        if let Some(problem) = redirect_url_problem(url) {
            return Err(CognitoError::invalid_parameter(format!(
                "{member}: {url} {problem}."
            )));
        }
    }
    Ok(())
}

/// `identifier/scope` of one of the pool's resource servers. Scope names cannot contain `/`,
/// so the identifier is everything before the last one (identifiers are often URLs).
async fn is_custom_scope(ctx: &Ctx<'_>, pool_id: &str, scope: &str) -> Result<bool> {
    let Some((identifier, name)) = scope.rsplit_once('/') else {
        return Ok(false);
    };
    Ok(find_resource_server(ctx, pool_id, identifier)
        .await?
        .is_some_and(|s| s.scopes.iter().any(|sc| sc.scope_name == name)))
}

/// Checks an app client's OAuth configuration against the pool; `has_secret` is whether the
/// client has a secret (the client-credentials grant needs one).
pub async fn check_client_oauth(
    ctx: &Ctx<'_>,
    pool_id: &str,
    config: &OAuthConfig,
    has_secret: bool,
) -> Result<()> {
    check_urls("CallbackURLs", &config.callback_urls)?;
    check_urls("LogoutURLs", &config.logout_urls)?;
    if let Some(uri) = &config.default_redirect_uri {
        check_urls("DefaultRedirectURI", std::slice::from_ref(uri))?;
        if !config.callback_urls.contains(uri) {
            return Err(CognitoError::invalid_parameter(
                "DefaultRedirectURI must be one of the CallbackURLs.",
            ));
        }
    }
    for scope in &config.scopes {
        if !STANDARD_SCOPES.contains(&scope.as_str())
            && !is_custom_scope(ctx, pool_id, scope).await?
        {
            return Err(CognitoError::new(
                ErrorKind::ScopeDoesNotExist,
                format!("Invalid scope requested: {scope}"),
            ));
        }
    }
    for provider in &config.identity_providers {
        if provider != COGNITO_PROVIDER
            && ctx
                .store
                .get_resource(pool_id, ResourceKind::IdentityProvider, provider)
                .await?
                .is_none()
        {
            return Err(CognitoError::invalid_parameter(format!(
                "The provider {provider} does not exist for User Pool {pool_id}."
            )));
        }
    }
    let client_credentials = config.flows.contains(&OAuthFlow::ClientCredentials);
    if client_credentials && config.flows.len() > 1 {
        return Err(invalid_flow(
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        ));
    }
    if client_credentials && !has_secret {
        return Err(invalid_flow(
            "client_credentials flow can not be selected if client does not have a client secret.",
        ));
    }
    if config.enabled {
        if config.flows.is_empty() || config.scopes.is_empty() {
            return Err(invalid_flow(
                "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
            ));
        }
        if !client_credentials && config.callback_urls.is_empty() {
            return Err(invalid_flow(
                "CallbackUrls can not be empty when code flow or implicit flow is selected",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redirect_url_problem as problem;

    #[test]
    fn https_app_schemes_and_loopback_http_are_allowed() {
        for ok in [
            "https://example.com/cb",
            "https://example.com:8443/cb?x=1",
            "myapp://callback",
            "com.example.app:/oauth",
            "http://localhost",
            "http://localhost:3000/cb",
            "HTTP://LOCALHOST:3000",
            "http://127.0.0.1:8080/",
            "http://[::1]:5000/cb",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn http_elsewhere_fragments_and_relative_urls_are_refused() {
        for bad in [
            "http://example.com/cb",
            "http://localhost.example.com/cb",
            "http://192.168.1.5/cb",
            "https://example.com/cb#frag",
            "/relative/path",
            "example.com",
            "1abc://x",
            "https:",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
