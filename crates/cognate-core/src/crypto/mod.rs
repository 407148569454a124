//! Pure, synchronous cryptography. Deterministic given its inputs (randomness is passed in).

pub mod jwt;
pub mod keys;
pub mod password;
pub mod secret_box;
pub mod secret_hash;
pub mod srp;
pub mod totp;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Hex SHA-256, used to store one-time codes and refresh tokens by hash.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Constant-time equality of two byte strings (length is not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}
