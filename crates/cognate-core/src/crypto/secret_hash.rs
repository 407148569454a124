//! SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)).

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub fn compute(client_secret: &str, username: &str, client_id: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Constant-time check of a received SECRET_HASH.
pub fn verify(client_secret: &str, username: &str, client_id: &str, received: &str) -> bool {
    super::ct_eq(
        compute(client_secret, username, client_id).as_bytes(),
        received.as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    /// A known answer, cross-checked with two real clients.
    #[test]
    fn known_answer() {
        let h = super::compute(
            "example-client-secret-0123456789abcdefghijkl",
            "alice",
            "7abcdefghijklmnopqrstuvwx1",
        );
        assert_eq!(h, "o48wBwjSi4y7U1i0p48L5MyGFCVIJsvsd/xPjv2CGU4=");
        assert!(super::verify(
            "example-client-secret-0123456789abcdefghijkl",
            "alice",
            "7abcdefghijklmnopqrstuvwx1",
            &h
        ));
        assert!(!super::verify(
            "x",
            "alice",
            "7abcdefghijklmnopqrstuvwx1",
            &h
        ));
    }
}
