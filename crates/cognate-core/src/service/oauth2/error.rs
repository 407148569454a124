//! The token endpoint's errors: RFC 6749's `error` codes, as Cognito answers them
//! (`{"error":"invalid_grant"}`), or an internal failure.

use crate::CognitoError;

#[derive(Debug)]
pub enum OAuthError {
    /// An RFC 6749 error code (`invalid_request`, `invalid_client`, `invalid_grant`,
    /// `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`).
    Protocol(&'static str),
    /// Anything else (the store failed...): a 500 whose detail is logged, not sent.
    Other(CognitoError),
}

impl OAuthError {
    pub const INVALID_REQUEST: Self = Self::Protocol("invalid_request");
    pub const INVALID_CLIENT: Self = Self::Protocol("invalid_client");
    pub const INVALID_GRANT: Self = Self::Protocol("invalid_grant");
    pub const UNAUTHORIZED_CLIENT: Self = Self::Protocol("unauthorized_client");
    pub const UNSUPPORTED_GRANT_TYPE: Self = Self::Protocol("unsupported_grant_type");
    pub const INVALID_SCOPE: Self = Self::Protocol("invalid_scope");
}

impl From<CognitoError> for OAuthError {
    fn from(e: CognitoError) -> Self {
        Self::Other(e)
    }
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Other(e.into())
    }
}
