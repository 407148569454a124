//! Compact JWS with RS256: the only JWT form Cognito issues.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use serde_json::Value;

use super::keys::SigningKey256;

/// Signs `claims`. PKCS#1 v1.5 signatures are deterministic, so the token does not depend on
/// any randomness; ring's private-key operation is constant-time and takes its own system
/// randomness where it needs any (its `SecureRandom` cannot be implemented outside ring, so the
/// injected source cannot stand in, and nothing observable depends on it).
pub fn sign(key: &SigningKey256, claims: &Value) -> Result<String, JwtError> {
    let header = serde_json::json!({"kid": key.kid, "alg": "RS256"});
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0u8; key.pair.public().modulus_len()];
    key.pair
        .sign(
            &RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            signing_input.as_bytes(),
            &mut sig,
        )
        .map_err(|_| JwtError::Signing)?;
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// Not three Base64url segments of JSON, wrong alg, unknown kid or bad signature.
    Invalid,
    /// The private-key operation failed (never expected: an internal error).
    Signing,
}

/// Verifies the signature with whichever of `keys` the header's kid names and returns the claims.
/// Expiry and claim checks are the caller's business.
pub fn verify(token: &str, keys: &[&SigningKey256]) -> Result<Value, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Invalid);
    };
    let header: Value = decode_json(h)?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(JwtError::Invalid);
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or(JwtError::Invalid)?;
    let key = keys
        .iter()
        .find(|k| k.kid == kid)
        .ok_or(JwtError::Invalid)?;
    let sig_bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Invalid)?;
    let signing_input = &token[..h.len() + 1 + p.len()];
    let public = RsaPublicKeyComponents {
        n: &key.n,
        e: &key.e,
    };
    public
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            signing_input.as_bytes(),
            &sig_bytes,
        )
        .map_err(|_| JwtError::Invalid)?;
    decode_json(p)
}

/// Reads the claims without verifying (only for tokens the caller then verifies, or for
/// choosing an error message).
pub fn peek_claims(token: &str) -> Option<Value> {
    decode_json(token.split('.').nth(1)?).ok()
}

fn decode_json(seg: &str) -> Result<Value, JwtError> {
    let bytes = URL_SAFE_NO_PAD.decode(seg).map_err(|_| JwtError::Invalid)?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|_| JwtError::Invalid)?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(JwtError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{RandomExt, SeededRandom};

    fn sign(key: &SigningKey256, claims: &Value) -> String {
        super::sign(key, claims).expect("sign")
    }

    #[test]
    fn sign_verify_and_reject_tampering() {
        let r = SeededRandom::new(42);
        let k1 = SigningKey256::generate_from_seed(r.bytes()).expect("key");
        let k2 = SigningKey256::generate_from_seed(r.bytes()).expect("key");
        assert_ne!(k1.kid, k2.kid);
        let claims = serde_json::json!({"sub": "abc", "n": 1});
        let t = sign(&k1, &claims);
        assert_eq!(verify(&t, &[&k1, &k2]), Ok(claims.clone()));
        assert_eq!(verify(&t, &[&k2]), Err(JwtError::Invalid));
        // swap the payload
        let other = sign(&k1, &serde_json::json!({"sub": "evil"}));
        let forged = format!(
            "{}.{}.{}",
            t.split('.').next().unwrap_or_default(),
            other.split('.').nth(1).unwrap_or_default(),
            t.split('.').nth(2).unwrap_or_default()
        );
        assert_eq!(verify(&forged, &[&k1]), Err(JwtError::Invalid));
        assert_eq!(verify("a.b", &[&k1]), Err(JwtError::Invalid));
        assert_eq!(verify("", &[&k1]), Err(JwtError::Invalid));
        // round trip through DER
        let der = k1.to_pkcs8_der().expect("der");
        let k1b = SigningKey256::from_pkcs8_der(&der).expect("parse");
        assert_eq!(k1b.kid, k1.kid);
        assert_eq!(verify(&t, &[&k1b]), Ok(claims.clone()));
        // PKCS#1 v1.5 signatures are deterministic
        assert_eq!(sign(&k1, &claims), t);
    }

    /// ring's signature is the same PKCS#1 v1.5 signature the `rsa` crate computes for the same
    /// key, and each verifies the other's: a cross-check of two independent implementations.
    #[test]
    fn ring_and_rsa_crate_agree() {
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::signature::{SignatureEncoding, Signer, Verifier};
        let r = SeededRandom::new(3);
        let k = SigningKey256::generate_from_seed(r.bytes()).expect("key");
        let der = k.to_pkcs8_der().expect("der");
        let private = rsa::RsaPrivateKey::from_pkcs8_der(&der).expect("rsa parse");
        let rsa_signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(private.clone());
        let token = sign(&k, &serde_json::json!({"sub": "x"}));
        let (input, sig_b64) = token.rsplit_once('.').expect("three parts");
        let ours = URL_SAFE_NO_PAD.decode(sig_b64).expect("b64");
        let theirs = rsa_signer.sign(input.as_bytes()).to_bytes();
        assert_eq!(ours, theirs.to_vec());
        let rsa_verifier =
            rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(private.to_public_key());
        let sig = rsa::pkcs1v15::Signature::try_from(ours.as_slice()).expect("sig");
        assert!(rsa_verifier.verify(input.as_bytes(), &sig).is_ok());
        // and the JWK carries the rsa crate's modulus and exponent
        use rsa::traits::PublicKeyParts;
        let jwk = k.jwk();
        let n = private.to_public_key().n().to_bytes_be();
        assert_eq!(jwk["n"], URL_SAFE_NO_PAD.encode(n));
        assert_eq!(jwk["e"], "AQAB");
    }
}
