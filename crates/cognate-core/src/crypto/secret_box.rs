//! Authenticated encryption for secrets at rest (signing keys, TOTP secrets):
//! XChaCha20-Poly1305 with a random 24-byte nonce prepended to the ciphertext.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::random::{Random, RandomExt};

pub struct SecretBox {
    key: Zeroizing<[u8; 32]>,
}

impl SecretBox {
    pub fn new(key: [u8; 32]) -> Self {
        Self {
            key: Zeroizing::new(key),
        }
    }

    /// Seals `plaintext`; `context` is bound as associated data (e.g. "signing-key:<kid>").
    pub fn seal(&self, random: &dyn Random, context: &str, plaintext: &[u8]) -> Vec<u8> {
        let nonce = random.bytes::<24>();
        let cipher = XChaCha20Poly1305::new((&*self.key).into());
        let mut out = nonce.to_vec();
        // Encryption with a valid key and nonce cannot fail for in-memory buffers.
        if let Ok(ct) = cipher.encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: context.as_bytes(),
            },
        ) {
            out.extend_from_slice(&ct);
        }
        out
    }

    pub fn open(&self, context: &str, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < 24 + 16 {
            return None;
        }
        let (nonce, ct) = sealed.split_at(24);
        let cipher = XChaCha20Poly1305::new((&*self.key).into());
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .ok()
            .map(Zeroizing::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SeededRandom;

    #[test]
    fn round_trip_and_tamper() {
        let b = SecretBox::new([1u8; 32]);
        let r = SeededRandom::new(1);
        let sealed = b.seal(&r, "ctx", b"hello");
        assert!(!sealed.windows(5).any(|w| w == b"hello"));
        assert_eq!(
            b.open("ctx", &sealed).as_deref().map(|v| v.as_slice()),
            Some(&b"hello"[..])
        );
        assert!(b.open("other", &sealed).is_none());
        let mut bad = sealed.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(b.open("ctx", &bad).is_none());
        assert!(SecretBox::new([2u8; 32]).open("ctx", &sealed).is_none());
    }
}
