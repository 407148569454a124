//! RS256 signing keys: generation, key ids and JWKS entries.
//!
//! The `rsa` crate generates keys and encodes them as PKCS#8; `ring` signs and verifies with
//! them. ring's RSA is constant-time with assembly Montgomery multiplication: a 2048-bit
//! signature costs a fraction of the pure-Rust `rsa` crate's (see BENCHMARKS.md, micro-benchmark),
//! and signing is on the path of every token issued.

use std::sync::Arc;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents};
use rsa::pkcs8::EncodePrivateKey;
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// An RSA key pair used to sign one kind of token. Cloning shares the key.
#[derive(Clone)]
pub struct SigningKey256 {
    pub kid: String,
    pub(crate) pair: Arc<RsaKeyPair>,
    /// The PKCS#8 document the pair was read from (what the store keeps, sealed).
    der: Arc<Zeroizing<Vec<u8>>>,
    /// Big-endian modulus and public exponent, without leading zeros.
    pub(crate) n: Vec<u8>,
    pub(crate) e: Vec<u8>,
}

impl std::fmt::Debug for SigningKey256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey256")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey256 {
    /// Generates a key from a 32-byte seed (ChaCha20 stream), so the expensive generation can
    /// run on another thread while randomness still comes from the injected source.
    pub fn generate_from_seed(seed: [u8; 32]) -> Result<Self, String> {
        use rand_chacha::rand_core::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
        let private = RsaPrivateKey::new(&mut rng, 2048).map_err(|e| e.to_string())?;
        let der = private.to_pkcs8_der().map_err(|e| e.to_string())?;
        Self::from_pkcs8_der(der.as_bytes())
    }

    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, String> {
        let pair = RsaKeyPair::from_pkcs8(der).map_err(|e| format!("RSA key: {e}"))?;
        let public = RsaPublicKeyComponents::<Vec<u8>>::from(pair.public());
        let (n, e) = (trim(&public.n).to_vec(), trim(&public.e).to_vec());
        let mut h = Sha256::new();
        h.update(&n);
        h.update(&e);
        // Same shape as Cognito's kids: 44 characters of standard Base64.
        let kid = STANDARD.encode(h.finalize());
        Ok(Self {
            kid,
            pair: Arc::new(pair),
            der: Arc::new(Zeroizing::new(der.to_vec())),
            n,
            e,
        })
    }

    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, String> {
        Ok(Zeroizing::new(self.der.to_vec()))
    }

    /// The public key as a JWK, as Cognito's JWKS lists it.
    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(&self.e),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(&self.n),
            "use": "sig",
        })
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}
