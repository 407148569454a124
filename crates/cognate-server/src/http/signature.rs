//! Signed operations: every operation the service model does not mark `smithy.api#noAuth` needs
//! a SigV4 signature (service `cognito-idp`, the server's region) by a configured access key.
//! With no credentials configured (allowed on loopback only) any signature, or none, passes.

use axum::http::{HeaderMap, Method, Uri};

use super::envelope::WireError;
use super::sigv4::{self, Expected, SignedParts};
use crate::state::AppState;

pub const SERVICE: &str = "cognito-idp";

/// Headers a signature must cover besides `host`: a captured request cannot be replayed as
/// another operation. Every AWS SDK signs it.
const MUST_SIGN: &[&str] = &["x-amz-target"];

/// Verifies the request's signature; the access key that signed it, or `None` when the server
/// runs without credentials.
pub async fn authenticate(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Option<String>, WireError> {
    let Some(credentials) = &state.credentials else {
        return Ok(None);
    };
    let keys = credentials.keys().await;
    let request = sigv4::Request {
        parts: SignedParts {
            method: method.as_str(),
            path: uri.path(),
            query: uri.query(),
            authority: uri.authority().map(|a| a.as_str()),
            headers,
        },
        body,
    };
    let expected = Expected {
        region: &state.settings.region,
        service: SERVICE,
        now_secs: state.clock.now().secs(),
        must_sign: MUST_SIGN,
    };
    sigv4::verify(&request, &expected, |id| keys.secret(id))
        .map(Some)
        .map_err(|e| WireError::bad(e.code(), e.message()))
}
