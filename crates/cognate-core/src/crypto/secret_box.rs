//! Authenticated encryption for secrets at rest (signing keys, TOTP secrets, SRP verifiers):
//! XChaCha20-Poly1305 with a random 24-byte nonce prepended to the ciphertext; and values
//! derived from the master key that only the installation can compute.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::Sha256;
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

    /// `N` bytes derived from the master key, `context` and `data` (HKDF-SHA256): stable for
    /// this installation, unpredictable without its key.
    pub fn derive<const N: usize>(&self, context: &str, data: &[u8]) -> [u8; N] {
        let hk = Hkdf::<Sha256>::new(Some(b"cognate-derive-v1"), &*self.key);
        let mut out = [0u8; N];
        // N is at most 255 * 32 bytes for every caller; a longer request leaves zeros.
        let _ = hk.expand_multi_info(&[context.as_bytes(), &[0], data], &mut out);
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

    #[test]
    fn derived_values_depend_on_key_context_and_data() {
        let a = SecretBox::new([1; 32]);
        let b = SecretBox::new([2; 32]);
        let x: [u8; 16] = a.derive("salt", b"alice");
        assert_eq!(x, a.derive::<16>("salt", b"alice"));
        assert_ne!(x, a.derive::<16>("salt", b"bob"));
        assert_ne!(x, a.derive::<16>("other", b"alice"));
        assert_ne!(x, b.derive::<16>("salt", b"alice"));
    }
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
