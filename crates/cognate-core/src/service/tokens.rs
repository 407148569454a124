//! Token issue, verification, refresh and revocation; the JWKS document.

use crate::service::TokenKeys;

/// The JWKS served at `/<poolId>/.well-known/jwks.json`: the ID and access token keys.
pub fn jwks(keys: &TokenKeys) -> serde_json::Value {
    serde_json::json!({"keys": [keys.id.jwk(), keys.access.jwk()]})
}
