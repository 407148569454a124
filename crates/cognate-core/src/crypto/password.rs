//! argon2id password hashing (PHC strings). Expensive by design: callers run it off the async
//! runtime (see `service::Ctx::hash_password`).

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` with a 16-byte `salt`.
pub fn hash(password: &str, salt: &[u8; 16]) -> Result<String, String> {
    let salt = SaltString::encode_b64(salt).map_err(|e| e.to_string())?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Runs a full verification against a fixed hash of a random password (computed once, with
/// the same parameters as every other hash), for answers that must cost what a real check
/// costs.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| {
        hash("cognate: no user has this password", &[0x5a; 16]).unwrap_or_default()
    });
    let _ = verify(password, phc);
}

/// Checks `password` against a PHC string (constant-time comparison inside argon2).
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hash_then_verify() {
        let h = super::hash("Passw0rd!", &[7u8; 16]).expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("Passw0rd!"));
        assert!(super::verify("Passw0rd!", &h));
        assert!(!super::verify("Passw0rd?", &h));
        assert!(!super::verify("Passw0rd!", "not a phc"));
    }
}
