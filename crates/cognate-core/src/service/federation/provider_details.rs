//! The rules of an identity provider's `ProviderDetails` and `AttributeMapping` per provider
//! type: the keys a request must give, the keys Cognito adds (the social providers' endpoint
//! URLs), the default `username` mapping, and the sealing of the secret keys at rest.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::model::{IdentityProvider, ProviderType, UserPool};
use crate::service::Ctx;
use crate::{CognitoError, Result};

/// The `ProviderDetails` keys stored sealed.
pub const SECRET_KEYS: [&str; 2] = ["client_secret", "private_key"];

/// The keys DescribeIdentityProvider never returns (Sign in with Apple's private key).
pub const WRITE_ONLY_KEYS: [&str; 1] = ["private_key"];

pub type Details = BTreeMap<String, String>;

fn required_keys(kind: ProviderType) -> &'static [&'static str] {
    match kind {
        ProviderType::Google | ProviderType::Facebook | ProviderType::LoginWithAmazon => {
            &["client_id", "client_secret", "authorize_scopes"]
        }
        ProviderType::SignInWithApple => &[
            "client_id",
            "team_id",
            "key_id",
            "private_key",
            "authorize_scopes",
        ],
        ProviderType::Oidc => &["client_id", "authorize_scopes", "oidc_issuer"],
        ProviderType::Saml => &[],
    }
}

fn set(details: &mut Details, pairs: &[(&str, &str)]) {
    for (k, v) in pairs {
        details.insert((*k).to_owned(), (*v).to_owned());
    }
}

/// Checks `details` for a provider of type `kind` and adds the keys Cognito derives (the
/// documented Describe responses): a social provider's endpoints are Cognito's, whatever the
/// request said.
pub fn complete_details(kind: ProviderType, mut details: Details) -> Result<Details> {
    for key in required_keys(kind) {
        if details.get(*key).is_none_or(|v| v.trim().is_empty()) {
            return Err(CognitoError::invalid_parameter(format!(
                "ProviderDetails of a {} provider must contain {key}.",
                kind.as_str()
            )));
        }
    }
    match kind {
        ProviderType::Google => set(
            &mut details,
            &[
                (
                    "attributes_url",
                    "https://people.googleapis.com/v1/people/me?personFields=",
                ),
                ("attributes_url_add_attributes", "true"),
                (
                    "authorize_url",
                    "https://accounts.google.com/o/oauth2/v2/auth",
                ),
                ("oidc_issuer", "https://accounts.google.com"),
                ("token_request_method", "POST"),
                ("token_url", "https://www.googleapis.com/oauth2/v4/token"),
            ],
        ),
        ProviderType::Facebook => {
            let version = details
                .get("api_version")
                .map(|v| format!("{v}/"))
                .unwrap_or_default();
            set(
                &mut details,
                &[
                    (
                        "attributes_url",
                        &format!("https://graph.facebook.com/{version}me?fields="),
                    ),
                    ("attributes_url_add_attributes", "true"),
                    (
                        "authorize_url",
                        &format!("https://www.facebook.com/{version}dialog/oauth"),
                    ),
                    ("token_request_method", "GET"),
                    (
                        "token_url",
                        &format!("https://graph.facebook.com/{version}oauth/access_token"),
                    ),
                ],
            );
        }
        ProviderType::LoginWithAmazon => set(
            &mut details,
            &[
                ("attributes_url", "https://api.amazon.com/user/profile"),
                ("attributes_url_add_attributes", "false"),
                ("authorize_url", "https://www.amazon.com/ap/oa"),
                ("token_request_method", "POST"),
                ("token_url", "https://api.amazon.com/auth/o2/token"),
            ],
        ),
        ProviderType::SignInWithApple => set(
            &mut details,
            &[
                ("attributes_url_add_attributes", "false"),
                ("authorize_url", "https://appleid.apple.com/auth/authorize"),
                ("oidc_issuer", "https://appleid.apple.com"),
                ("token_request_method", "POST"),
                ("token_url", "https://appleid.apple.com/auth/token"),
            ],
        ),
        ProviderType::Oidc => {
            let method = details
                .entry("attributes_request_method".into())
                .or_insert_with(|| "GET".into());
            if method != "GET" && method != "POST" {
                return Err(CognitoError::invalid_parameter(
                    "attributes_request_method must be GET or POST.",
                ));
            }
            details
                .entry("attributes_url_add_attributes".into())
                .or_insert_with(|| "false".into());
        }
        ProviderType::Saml => {
            let url = details.contains_key("MetadataURL");
            let file = details.contains_key("MetadataFile");
            if url == file {
                return Err(CognitoError::invalid_parameter(
                    "ProviderDetails of a SAML provider must contain exactly one of MetadataURL and MetadataFile.",
                ));
            }
        }
    }
    Ok(details)
}

/// The claim Cognito maps to `username` when the request does not say.
fn default_username_claim(kind: ProviderType) -> Option<&'static str> {
    match kind {
        ProviderType::Google | ProviderType::SignInWithApple | ProviderType::Oidc => Some("sub"),
        ProviderType::Facebook => Some("id"),
        ProviderType::LoginWithAmazon => Some("user_id"),
        ProviderType::Saml => None,
    }
}

/// Checks that every mapped attribute is one of the pool's (or `username`) and adds the
/// default `username` mapping.
pub fn complete_mapping(
    pool: &UserPool,
    kind: ProviderType,
    mut mapping: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    for attr in mapping.keys() {
        if attr != "username" && pool.schema_attribute(attr).is_none() {
            return Err(CognitoError::invalid_parameter(format!(
                "Attribute mapping refers to {attr}, which is not an attribute of the user pool."
            )));
        }
    }
    if let Some(claim) = default_username_claim(kind) {
        mapping
            .entry("username".into())
            .or_insert_with(|| claim.into());
    }
    Ok(mapping)
}

fn seal_context(pool_id: &str, provider: &str) -> String {
    format!("idp-secrets:{pool_id}:{provider}")
}

/// Moves the secret keys of `details` into `idp.sealed_secrets`, sealed.
pub fn seal_secrets(ctx: &Ctx<'_>, idp: &mut IdentityProvider, mut details: Details) -> Result<()> {
    let secrets: Details = SECRET_KEYS
        .iter()
        .filter_map(|k| details.remove(*k).map(|v| ((*k).to_owned(), v)))
        .collect();
    idp.provider_details = details;
    idp.sealed_secrets = if secrets.is_empty() {
        None
    } else {
        let plain =
            zeroize::Zeroizing::new(serde_json::to_vec(&secrets).map_err(CognitoError::internal)?);
        let sealed = ctx.sealer.seal(
            ctx.random,
            &seal_context(&idp.user_pool_id, &idp.provider_name),
            &plain,
        );
        Some(STANDARD.encode(sealed))
    };
    Ok(())
}

/// The provider's full `ProviderDetails`: the stored ones and the unsealed secrets.
pub fn provider_details(ctx: &Ctx<'_>, idp: &IdentityProvider) -> Result<Details> {
    let mut details = idp.provider_details.clone();
    if let Some(sealed) = &idp.sealed_secrets {
        let unreadable = || {
            CognitoError::internal("cannot unseal identity provider secrets (wrong master key?)")
        };
        let bytes = STANDARD.decode(sealed).map_err(|_| unreadable())?;
        let plain = ctx
            .sealer
            .open(&seal_context(&idp.user_pool_id, &idp.provider_name), &bytes)
            .ok_or_else(unreadable)?;
        let secrets: Details = serde_json::from_slice(&plain).map_err(|_| unreadable())?;
        details.extend(secrets);
    }
    Ok(details)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(pairs: &[(&str, &str)]) -> Details {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn social_providers_get_cognitos_endpoints() {
        let given = details(&[
            ("client_id", "id"),
            ("client_secret", "s"),
            ("authorize_scopes", "email profile openid"),
            ("authorize_url", "https://evil.example.com"),
        ]);
        let google = complete_details(ProviderType::Google, given.clone()).ok();
        let google = google.unwrap_or_default();
        assert_eq!(
            google.get("authorize_url").map(String::as_str),
            Some("https://accounts.google.com/o/oauth2/v2/auth")
        );
        assert_eq!(
            google.get("oidc_issuer").map(String::as_str),
            Some("https://accounts.google.com")
        );
        let mut fb = given.clone();
        fb.insert("api_version".into(), "v17.0".into());
        let fb = complete_details(ProviderType::Facebook, fb).unwrap_or_default();
        assert_eq!(
            fb.get("token_url").map(String::as_str),
            Some("https://graph.facebook.com/v17.0/oauth/access_token")
        );
        assert_eq!(
            fb.get("token_request_method").map(String::as_str),
            Some("GET")
        );
    }

    #[test]
    fn required_keys_are_checked_per_type() {
        let google = details(&[("client_id", "id"), ("authorize_scopes", "openid")]);
        assert!(complete_details(ProviderType::Google, google).is_err());
        let apple = details(&[
            ("client_id", "id"),
            ("team_id", "t"),
            ("key_id", "k"),
            ("authorize_scopes", "email"),
        ]);
        assert!(complete_details(ProviderType::SignInWithApple, apple).is_err());
        let oidc = details(&[("client_id", "id"), ("authorize_scopes", "openid")]);
        assert!(complete_details(ProviderType::Oidc, oidc).is_err());
        assert!(complete_details(ProviderType::Saml, details(&[])).is_err());
        let both = details(&[("MetadataURL", "https://x"), ("MetadataFile", "<x/>")]);
        assert!(complete_details(ProviderType::Saml, both).is_err());
        let url = details(&[("MetadataURL", "https://idp.example.com/metadata")]);
        assert!(complete_details(ProviderType::Saml, url).is_ok());
    }
}
