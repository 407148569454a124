//! Compact JWS with RS256: the only JWT form Cognito issues.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use serde_json::Value;

use super::keys::SigningKey256;
use crate::random::{Random, RngAdapter};

/// Signs `claims` with RSA blinding: `random` masks the private-key operation against timing
/// side channels (PKCS#1 v1.5 signatures themselves stay deterministic).
pub fn sign(key: &SigningKey256, claims: &Value, random: &dyn Random) -> String {
    let header = serde_json::json!({"kid": key.kid, "alg": "RS256"});
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let sig = key
        .signing
        .sign_with_rng(&mut RngAdapter(random), signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// Not three Base64url segments of JSON, wrong alg, unknown kid or bad signature.
    Invalid,
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
    let sig =
        rsa::pkcs1v15::Signature::try_from(sig_bytes.as_slice()).map_err(|_| JwtError::Invalid)?;
    let signing_input = &token[..h.len() + 1 + p.len()];
    key.verifying
        .verify(signing_input.as_bytes(), &sig)
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

    #[test]
    fn sign_verify_and_reject_tampering() {
        let r = SeededRandom::new(42);
        let k1 = SigningKey256::generate_from_seed(r.bytes()).expect("key");
        let k2 = SigningKey256::generate_from_seed(r.bytes()).expect("key");
        assert_ne!(k1.kid, k2.kid);
        let claims = serde_json::json!({"sub": "abc", "n": 1});
        let t = sign(&k1, &claims, &r);
        assert_eq!(verify(&t, &[&k1, &k2]), Ok(claims.clone()));
        assert_eq!(verify(&t, &[&k2]), Err(JwtError::Invalid));
        // swap the payload
        let other = sign(&k1, &serde_json::json!({"sub": "evil"}), &r);
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
        // blinding changes how the signature is computed, never the PKCS#1 v1.5 result
        let again = sign(&k1, &claims, &SeededRandom::new(7));
        assert_eq!(again, t);
    }
}
