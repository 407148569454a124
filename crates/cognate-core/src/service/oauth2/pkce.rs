//! PKCE (RFC 7636): `S256` and `plain` code challenges.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::Digest;

use crate::crypto::ct_eq;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    S256,
    Plain,
}

impl Method {
    /// `code_challenge_method`; absent means `plain` (RFC 7636 4.3).
    pub fn parse(s: Option<&str>) -> Option<Self> {
        match s {
            None | Some("plain") => Some(Self::Plain),
            Some("S256") => Some(Self::S256),
            Some(_) => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::S256 => "S256",
            Self::Plain => "plain",
        }
    }
}

/// A verifier is 43 to 128 characters of `[A-Za-z0-9-._~]` (RFC 7636 4.1).
fn well_formed(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Whether `verifier` answers `challenge`.
pub fn verify(method: Method, challenge: &str, verifier: &str) -> bool {
    if !well_formed(verifier) {
        return false;
    }
    let expected = match method {
        Method::S256 => URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes())),
        Method::Plain => verifier.to_owned(),
    };
    ct_eq(expected.as_bytes(), challenge.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(verify(Method::S256, challenge, verifier));
        assert!(!verify(
            Method::S256,
            challenge,
            &verifier.replace('d', "e")
        ));
        assert!(verify(Method::Plain, verifier, verifier));
        assert!(!verify(Method::Plain, challenge, verifier));
        assert!(!verify(Method::Plain, "short", "short"));
        assert_eq!(Method::parse(None), Some(Method::Plain));
        assert_eq!(Method::parse(Some("S512")), None);
    }
}
