//! RS256 signing keys: generation, key ids and JWKS entries.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// An RSA key pair used to sign one kind of token.
#[derive(Clone)]
pub struct SigningKey256 {
    pub kid: String,
    pub(crate) signing: SigningKey<Sha256>,
    pub(crate) verifying: VerifyingKey<Sha256>,
    public: RsaPublicKey,
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
        Ok(Self::from_private(private))
    }

    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, String> {
        let private = RsaPrivateKey::from_pkcs8_der(der).map_err(|e| e.to_string())?;
        Ok(Self::from_private(private))
    }

    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, String> {
        let key: &RsaPrivateKey = self.signing.as_ref();
        key.to_pkcs8_der()
            .map(|d| Zeroizing::new(d.as_bytes().to_vec()))
            .map_err(|e| e.to_string())
    }

    fn from_private(private: RsaPrivateKey) -> Self {
        let public = private.to_public_key();
        let mut h = Sha256::new();
        h.update(public.n().to_bytes_be());
        h.update(public.e().to_bytes_be());
        // Same shape as Cognito's kids: 44 characters of standard Base64.
        let kid = STANDARD.encode(h.finalize());
        Self {
            kid,
            verifying: VerifyingKey::new(public.clone()),
            signing: SigningKey::new(private),
            public,
        }
    }

    /// The public key as a JWK, as Cognito's JWKS lists it.
    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(self.public.e().to_bytes_be()),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(self.public.n().to_bytes_be()),
            "use": "sig",
        })
    }
}
