//! Tokens whose RS256 signature has already been checked, so that a client calling with the
//! same access token again (as clients do for the token's lifetime) does not pay for another
//! RSA verification. Only the signature check is skipped: expiry, the pool, the user, its
//! state and revocation are checked on every call as before.
//!
//! Entries are SHA-256 digests of the whole token (header, claims and signature), so a hit
//! means these exact bytes were verified with the key their `kid` names. Memory is bounded:
//! two generations of at most [`GENERATION`] digests each; when the current one fills, it
//! becomes the previous one and the oldest is dropped.

use std::collections::HashSet;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// Digests per generation (32 bytes each: about 2 MB for both at the most).
pub const GENERATION: usize = 32_768;

#[derive(Default)]
pub struct VerifiedTokens(Mutex<Generations>);

#[derive(Default)]
struct Generations {
    current: HashSet<[u8; 32]>,
    previous: HashSet<[u8; 32]>,
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl VerifiedTokens {
    /// Whether `token`'s signature was verified before.
    pub fn contains(&self, token: &str) -> bool {
        let d = digest(token);
        self.0
            .lock()
            .map(|g| g.current.contains(&d) || g.previous.contains(&d))
            .unwrap_or(false)
    }

    /// Remembers that `token`'s signature is valid.
    pub fn insert(&self, token: &str) {
        let d = digest(token);
        if let Ok(mut g) = self.0.lock() {
            if g.current.len() >= GENERATION {
                g.previous = std::mem::take(&mut g.current);
            }
            g.current.insert(d);
        }
    }

    /// Forgets every token (a pool's keys were removed).
    pub fn clear(&self) {
        if let Ok(mut g) = self.0.lock() {
            g.current.clear();
            g.previous.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_exact_tokens_within_two_generations() {
        let v = VerifiedTokens::default();
        assert!(!v.contains("a.b.c"));
        v.insert("a.b.c");
        assert!(v.contains("a.b.c"));
        assert!(!v.contains("a.b.d"), "another signature is another token");
        for i in 0..GENERATION {
            v.insert(&format!("t{i}"));
        }
        assert!(v.contains("a.b.c"), "still in the previous generation");
        for i in 0..GENERATION {
            v.insert(&format!("u{i}"));
        }
        assert!(!v.contains("a.b.c"), "dropped with the oldest generation");
        v.clear();
        assert!(!v.contains(&format!("u{}", GENERATION - 1)));
    }
}
