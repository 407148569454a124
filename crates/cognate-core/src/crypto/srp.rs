//! Cognito's SRP-6a variant (USER_SRP_AUTH / PASSWORD_VERIFIER), spec §4.6, vectors §6.2.
//!
//! Pure and synchronous: no I/O, no clock, randomness passed in as bytes. The group is the
//! 3072-bit MODP prime of RFC 3526 / RFC 5054 with g = 2, H = SHA-256, and every hash of a big
//! integer hashes the bytes of `padHex(n)` (Java `BigInteger.toByteArray` style).
//!
//! Big integers are `crypto-bigint`'s heap-allocated `BoxedUint` with Montgomery arithmetic:
//! the modular exponentiations (g^x, g^b, v^u, (A·v^u)^b) and reductions run in constant time
//! with respect to the *values* of the operands; only their precisions (fixed by input lengths)
//! show in the timing. The `padHex` encodings strip leading zero bytes, as the clients do, so the
//! length of S leaks through the hashing time by at most a byte or so, as in every Cognito client.
//!
//! The exponentiations take milliseconds (see the timing test): callers on an async runtime
//! should run [`server_ephemeral`] and [`verify_password_claim`] on a blocking thread.

use std::sync::{Arc, OnceLock};

use base64::Engine;
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, NonZero, Odd};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The 3072-bit MODP group of RFC 3526 §4 (also RFC 5054 Appendix A); the generator is g = 2.
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The generator.
pub const G: u8 = 2;

/// Bits in N.
const BITS: u32 = 3072;

/// Longest SRP_A accepted, in hex characters (twice the length of N, as some clients send it
/// unreduced; anything longer is [`SrpError::BadA`]).
pub const MAX_A_HEX_LEN: usize = 1536;

/// Shortest server secret accepted by [`server_ephemeral`], in bytes (256 bits).
pub const MIN_B_BYTES: usize = 32;

/// The HKDF `info` of Cognito's session key.
const KEY_INFO: &[u8] = b"Caldera Derived Key";

/// N, its Montgomery parameters, g and k in Montgomery form; built once.
struct Group {
    n: BoxedUint,
    params: Arc<BoxedMontyParams>,
    g: BoxedMontyForm,
    k: BoxedMontyForm,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        // Constants only: none of these can fail.
        let n_bytes = hex::decode(N_HEX).expect("N_HEX is hex");
        let n = BoxedUint::from_be_slice(&n_bytes, BITS).expect("N has 3072 bits");
        let odd = Option::<Odd<BoxedUint>>::from(Odd::new(n.clone())).expect("N is odd");
        let params = Arc::new(BoxedMontyParams::new(odd));
        let g =
            BoxedMontyForm::new_with_arc(BoxedUint::from(u64::from(G)).widen(BITS), params.clone());
        let k_int = BoxedUint::from_be_slice(&k_bytes(), BITS).expect("k has 256 bits");
        let k = BoxedMontyForm::new_with_arc(k_int, params.clone());
        Group { n, params, g, k }
    })
}

fn monty(x: BoxedUint) -> BoxedMontyForm {
    BoxedMontyForm::new_with_arc(x, group().params.clone())
}

/// `bytes` (big-endian, any length up to 512 MiB) reduced mod N, at N's precision.
fn reduce(bytes: &[u8]) -> Option<BoxedUint> {
    let bits = u32::try_from(bytes.len()).ok()?.checked_mul(8)?;
    let precision = bits.div_ceil(64).checked_mul(64)?.max(BITS);
    let x = BoxedUint::from_be_slice(bytes, precision).ok()?;
    let n = Option::<NonZero<BoxedUint>>::from(NonZero::new(group().n.widen(precision)))?;
    Some(x.rem(&n).shorten(BITS))
}

/// `bytes` (big-endian) as an exponent; its precision follows the length of `bytes`, not its value.
fn exponent(bytes: &[u8]) -> Option<BoxedUint> {
    let bits = u32::try_from(bytes.len()).ok()?.checked_mul(8)?;
    let precision = bits.div_ceil(64).checked_mul(64)?.max(64);
    BoxedUint::from_be_slice(bytes, precision).ok()
}

fn to_bytes(x: &BoxedMontyForm) -> Vec<u8> {
    x.retrieve().to_be_bytes().into_vec()
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The bytes whose hex is `padHex(n)`: minimal big-endian, a 0x00 prefix when the high bit is
/// set, and `[0x00]` for zero (Java `BigInteger.toByteArray` of a non-negative number).
fn pad_bytes(be_bytes: &[u8]) -> Vec<u8> {
    let t = trim(be_bytes);
    let mut out = Vec::with_capacity(t.len() + 1);
    if t.first().is_none_or(|&b| b >= 0x80) {
        out.push(0);
    }
    out.extend_from_slice(t);
    out
}

/// `padHex(n)` for the non-negative integer with big-endian bytes `be_bytes` (leading zero bytes
/// ignored): lower-case hex, even length, `00` prefixed when the first nibble is 8–f; `"00"` for 0.
pub fn pad_hex(be_bytes: &[u8]) -> String {
    hex::encode(pad_bytes(be_bytes))
}

/// Plain lower-case hex of an integer, no padding (`BigInteger.toString(16)`); `"0"` for 0.
fn plain_hex(be_bytes: &[u8]) -> String {
    let h = hex::encode(trim(be_bytes));
    match h.strip_prefix('0') {
        Some(rest) => rest.to_owned(),
        None if h.is_empty() => "0".to_owned(),
        None => h,
    }
}

/// Hex of any length and either case (odd lengths get a leading zero nibble); `None` if empty
/// or not hex.
fn decode_hex_any(s: &str) -> Option<Vec<u8>> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    if s.len() % 2 == 1 {
        hex::decode(format!("0{s}")).ok()
    } else {
        hex::decode(s).ok()
    }
}

/// k = H(padHex(N) ‖ padHex(g)).
fn k_bytes() -> [u8; 32] {
    let n = hex::decode(N_HEX).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(pad_bytes(&n));
    h.update(pad_bytes(&[G]));
    h.finalize().into()
}

/// x = H(bytes(padHex(salt)) ‖ H(poolName ‖ username ‖ ":" ‖ password)).
fn compute_x(pool_name: &str, username: &str, password: &str, salt: &[u8]) -> [u8; 32] {
    let mut inner = Sha256::new();
    inner.update(pool_name.as_bytes());
    inner.update(username.as_bytes());
    inner.update(b":");
    inner.update(password.as_bytes());
    let mut outer = Sha256::new();
    outer.update(pad_bytes(salt));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// u = H(bytes(padHex(A)) ‖ bytes(padHex(B))).
fn compute_u(a_pub: &[u8], b_pub: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(pad_bytes(a_pub));
    h.update(pad_bytes(b_pub));
    h.finalize().into()
}

/// K = HKDF-SHA256(IKM = bytes(padHex(S)), salt = bytes(padHex(u)), info = "Caldera Derived Key"), 16 bytes.
fn derive_key(s: &[u8], u: &[u8]) -> Option<[u8; 16]> {
    let hk = Hkdf::<Sha256>::new(Some(&pad_bytes(u)), &pad_bytes(s));
    let mut okm = [0u8; 16];
    hk.expand(KEY_INFO, &mut okm).ok()?;
    Some(okm)
}

/// HMAC-SHA256(K, poolName ‖ userIdForSrp ‖ secretBlock ‖ timestamp).
fn claim_mac(
    key: &[u8],
    pool_name: &str,
    user_id_for_srp: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Option<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(pool_name.as_bytes());
    mac.update(user_id_for_srp.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    Some(mac.finalize().into_bytes().into())
}

/// The password verifier to store when a password is set:
/// x = H(padHex(salt) ‖ H(poolName ‖ username ‖ ":" ‖ password)); v = g^x mod N.
/// `pool_name` is the part of the pool id after `_`; `username` is the internal username
/// (USER_ID_FOR_SRP). Returns v as minimal big-endian bytes.
pub fn verifier(pool_name: &str, username: &str, password: &str, salt: &[u8]) -> Vec<u8> {
    let x = compute_x(pool_name, username, password, salt);
    let Some(x) = exponent(&x) else {
        return Vec::new(); // unreachable: a 32-byte hash always fits
    };
    trim(&to_bytes(&group().g.pow(&x))).to_vec()
}

/// SALT as sent to clients: `padHex` of the salt integer (canonical, so that pycognito, which
/// hashes the string as received, and Amplify, which re-encodes the integer, agree).
/// Store the salt as raw bytes and always send this form.
pub fn salt_hex(salt: &[u8]) -> String {
    pad_hex(salt)
}

/// The server's half of one SRP exchange.
#[derive(Clone)]
pub struct ServerEphemeral {
    /// The secret b, big-endian, exactly as passed to [`server_ephemeral`].
    pub b: Vec<u8>,
    /// SRP_B: B = (k·v + g^b) mod N as plain lower-case hex (no padding).
    pub b_pub_hex: String,
}

impl std::fmt::Debug for ServerEphemeral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerEphemeral")
            .field("b", &"<secret>")
            .field("b_pub_hex", &self.b_pub_hex)
            .finish()
    }
}

/// b = `b_random` read as a big-endian integer (pass at least [`MIN_B_BYTES`] fresh random bytes;
/// 32 are enough); B = (k·v + g^b) mod N. `None` when B mod N == 0, b == 0, or `b_random` is
/// shorter than [`MIN_B_BYTES`]: the caller retries with new random bytes of a proper length.
pub fn server_ephemeral(v: &[u8], b_random: &[u8]) -> Option<ServerEphemeral> {
    if b_random.len() < MIN_B_BYTES || b_random.iter().all(|&x| x == 0) {
        return None;
    }
    let grp = group();
    let b = exponent(b_random)?;
    let v = monty(reduce(v)?);
    let b_pub = (&grp.k * &v) + grp.g.pow(&b);
    if bool::from(b_pub.is_zero()) {
        return None;
    }
    Some(ServerEphemeral {
        b: b_random.to_vec(),
        b_pub_hex: plain_hex(&to_bytes(&b_pub)),
    })
}

/// Why a PASSWORD_VERIFIER answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SrpError {
    /// SRP_A is not hex, is empty or longer than [`MAX_A_HEX_LEN`], or A mod N == 0.
    BadA,
    /// The signature does not match (wrong password, tampered parameters, u == 0, bad input).
    Mismatch,
}

/// Checks PASSWORD_CLAIM_SIGNATURE.
///
/// `a_hex` is SRP_A as received (hex, any case, any length up to [`MAX_A_HEX_LEN`]);
/// SRP_A as bytes and reduced mod N; None if it is empty, not hex, longer than
/// [`MAX_A_HEX_LEN`] or 0 mod N (a client sending such an A could force S = 0).
fn parse_a(a_hex: &str) -> Option<(Vec<u8>, BoxedUint)> {
    if a_hex.len() > MAX_A_HEX_LEN {
        return None;
    }
    let a_pub = decode_hex_any(a_hex)?;
    let a_reduced = reduce(&a_pub)?;
    if bool::from(a_reduced.is_zero()) {
        return None;
    }
    Some((a_pub, a_reduced))
}

/// Whether SRP_A is acceptable (checked at InitiateAuth, before any work for the user).
pub fn is_valid_a(a_hex: &str) -> bool {
    parse_a(a_hex).is_some()
}

/// `secret_block` is the Base64-decoded PASSWORD_CLAIM_SECRET_BLOCK; `timestamp` the exact
/// TIMESTAMP string received (its format and freshness are the caller's to check with
/// [`parse_timestamp`]). Recomputes u = H(padHex(A) ‖ padHex(B)), S = (A·v^u)^b mod N,
/// K = HKDF-SHA256(padHex(S), salt = padHex(u), "Caldera Derived Key", 16 bytes) and
/// compares Base64(HMAC-SHA256(K, poolName ‖ userIdForSrp ‖ secretBlock ‖ timestamp)) with
/// `signature_b64` in constant time.
#[allow(clippy::too_many_arguments)]
pub fn verify_password_claim(
    pool_name: &str,
    user_id_for_srp: &str,
    v: &[u8],
    eph: &ServerEphemeral,
    a_hex: &str,
    secret_block: &[u8],
    timestamp: &str,
    signature_b64: &str,
) -> Result<(), SrpError> {
    let (a_pub, a_reduced) = parse_a(a_hex).ok_or(SrpError::BadA)?;
    let b_pub = decode_hex_any(&eph.b_pub_hex).ok_or(SrpError::Mismatch)?;
    let u = compute_u(&a_pub, &b_pub);
    if u.iter().all(|&x| x == 0) {
        return Err(SrpError::Mismatch);
    }
    let s = server_s(v, &eph.b, &a_reduced, &u).ok_or(SrpError::Mismatch)?;
    let key = derive_key(&s, &u).ok_or(SrpError::Mismatch)?;
    let expected = claim_mac(&key, pool_name, user_id_for_srp, secret_block, timestamp)
        .ok_or(SrpError::Mismatch)?;
    let received = base64::engine::general_purpose::STANDARD
        .decode(signature_b64)
        .map_err(|_| SrpError::Mismatch)?;
    if super::ct_eq(&expected, &received) {
        Ok(())
    } else {
        Err(SrpError::Mismatch)
    }
}

/// Server S = (A·v^u)^b mod N, big-endian at N's width.
fn server_s(v: &[u8], b: &[u8], a_reduced: &BoxedUint, u: &[u8]) -> Option<Vec<u8>> {
    let v = monty(reduce(v)?);
    let u = exponent(u)?;
    let b = exponent(b)?;
    let base = monty(a_reduced.clone()) * v.pow(&u);
    Some(to_bytes(&base.pow(&b)))
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1–12, day 1–31) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Unsigned decimal of `min..=max` ASCII digits.
fn digits(s: &str, min: usize, max: usize) -> Option<i64> {
    if s.len() < min || s.len() > max || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses Cognito's TIMESTAMP, `ddd MMM D HH:mm:ss UTC YYYY` (English names, single spaces,
/// day not zero-padded, e.g. `Tue Jan 2 03:04:05 UTC 2024`) to epoch seconds. Anything else is
/// `None`, including a zero-padded day (`Wed Apr 05 …`), an impossible date and a weekday that
/// does not match the date.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let mut parts = s.split(' ');
    let (Some(wd), Some(mon), Some(day), Some(time), Some(zone), Some(year), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if zone != "UTC" || day.starts_with('0') {
        return None;
    }
    let wd = WEEKDAYS.iter().position(|&w| w == wd)?;
    let month = i64::try_from(MONTHS.iter().position(|&m| m == mon)?).ok()? + 1;
    let day = digits(day, 1, 2)?;
    let year = digits(year, 4, 4)?;
    let (hh, rest) = time.split_once(':')?;
    let (mm, ss) = rest.split_once(':')?;
    let (hh, mm, ss) = (digits(hh, 2, 2)?, digits(mm, 2, 2)?, digits(ss, 2, 2)?);
    if day < 1 || day > days_in_month(year, month) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // 1970-01-01 was a Thursday.
    if usize::try_from((days + 4).rem_euclid(7)).ok()? != wd {
        return None;
    }
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Formats epoch seconds as Cognito's TIMESTAMP (`Tue Jan 2 03:04:05 UTC 2024`), what clients
/// send; [`parse_timestamp`] reads it back for years 1000–9999.
pub fn format_timestamp(epoch_secs: i64) -> String {
    let days = epoch_secs.div_euclid(86_400);
    let secs = epoch_secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let wd = WEEKDAYS
        .get(usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0))
        .copied()
        .unwrap_or("Sun");
    let mon = MONTHS
        .get(usize::try_from(m - 1).unwrap_or(0))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{wd} {mon} {d} {:02}:{:02}:{:02} UTC {y}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The client side (Amplify / pycognito formulas), for tests that show client and server agree.
#[cfg(test)]
pub mod client {
    use super::*;

    /// SRP_A = g^a mod N as plain hex, as amazon-cognito-identity-js sends it.
    pub fn a_pub_hex(a: &[u8]) -> String {
        let a = exponent(a).expect("a fits");
        plain_hex(&to_bytes(&group().g.pow(&a)))
    }

    /// Client S = (B − k·g^x)^(a + u·x) mod N, computed as base^a · (base^u)^x; returns (u, S).
    /// `salt_hex` is the SALT challenge parameter, parsed to an integer as Amplify does.
    pub fn session(
        pool_name: &str,
        username: &str,
        password: &str,
        salt_hex: &str,
        a: &[u8],
        b_pub_hex: &str,
    ) -> ([u8; 32], Vec<u8>) {
        let grp = group();
        let salt = decode_hex_any(salt_hex).expect("salt hex");
        let x = exponent(&compute_x(pool_name, username, password, &salt)).expect("x");
        let b_pub = decode_hex_any(b_pub_hex).expect("B hex");
        let a_pub = decode_hex_any(&a_pub_hex(a)).expect("A hex");
        let u = compute_u(&a_pub, &b_pub);
        let base = monty(reduce(&b_pub).expect("B")) - (&grp.k * grp.g.pow(&x));
        let ue = exponent(&u).expect("u");
        let s = base.pow(&exponent(a).expect("a")) * base.pow(&ue).pow(&x);
        (u, to_bytes(&s))
    }

    /// PASSWORD_CLAIM_SIGNATURE as the client computes it.
    #[allow(clippy::too_many_arguments)]
    pub fn signature(
        pool_name: &str,
        username: &str,
        password: &str,
        salt_hex: &str,
        a: &[u8],
        b_pub_hex: &str,
        secret_block: &[u8],
        timestamp: &str,
    ) -> String {
        let (u, s) = session(pool_name, username, password, salt_hex, a, b_pub_hex);
        let key = derive_key(&s, &u).expect("hkdf");
        let mac = claim_mac(&key, pool_name, username, secret_block, timestamp).expect("hmac");
        base64::engine::general_purpose::STANDARD.encode(mac)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::random::{RandomExt, SeededRandom};

    // shared/reference/cognito-vectors.json, object `srp` (cross-checked with
    // amazon-cognito-identity-js and pycognito).
    const POOL: &str = "ExAmPlE12";
    const USER: &str = "alice";
    const PASSWORD: &str = "Passw0rd!";
    const SALT: &str = "3f1c5a7b9d2e4f60718293a4b5c6d7e8";
    const K_HEX: &str = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";
    const A_SECRET: &str = "70b739356444a82b7c1758f7a90cf1e71d71df4f9172d744ce11688184d8106f";
    const B_SECRET: &str = "73411be833ad3f197ad6b912e2a5e3ae13a61744b79c09deb09b859383c9c90b";
    const X_HEX: &str = "53bcc69330242516bea78c467929de09ccf9e6160022c9c59c19036b83062e6e";
    const V_HEX: &str = concat!(
        "b8f1e9eebdf2d287b4b487b255f2979e8a0889fa46501af843f7d9166451ec2435518898cbac445af027be971d83a8ed",
        "edf493415e1cf7990248e362c79ff2b5872fab444aed4d6a501c5b9f7353b3d4c01f9dfd1d2c6ed7af35cefe7053fddd",
        "7d3f3f42f5ebbf3fbf7768f08ae2240a81aaf542144940f337ad3795ea283d55a9c4d5e1225bcfab2b0668815cec22e4",
        "602094f5bb946da19201ad86ee43b61b53606e26370a8f1d0dbe2c2747758205326e45674eb3c5a56b62955cfef973d4",
        "ab1ef3177698cb8e2895652db7a226548bbe236af2ba18a7de17a91a3fbd93c29d4a60f1c4ac750546ad64c9ae74f124",
        "2f309082b7e5f9718b477d6a319cd2e3b76bd9a3f6e48d61228a707b9f80ab04d68e9bfc7dc2447713a0edce3c65f32a",
        "c01dd7048be60560e507357783cc5aabd58efc9ca76d94564a46c4cf0843c5722927b85d047fb6fb4eabb66c3bd43116",
        "e611f7db97b0e81253d9689fac27b66a291de630e43db28fc608439388242483c1dd56ead2384b354aaa1599390ca1cc",
    );
    const SRP_A_HEX: &str = concat!(
        "f052d4eb6f1fc4e68ad05aa1e3f85a889b1120a9d2e3aee4c05054411f5703c86926663fde8a7fc86ea0489f57347ce5",
        "0dc143c7458aa1f2609b8dde893eecb532c8dbba68c497eaa03071828773619a852019707c2413921e28a258fedcbc88",
        "6b444d05cd97646fccb13ccdd5ae325f5b34bcdb46bb2669018dbf743a9ef52fdde3e1f05e02363961d5e8d0c2ca577b",
        "d4182e39fafd6d2269a21b9fb2f52f8a6eaa202bdd785876cedf7809e1ba340d87adca271f23ffe9c4554f2322aa2d53",
        "dfc5257263f3d0df2af5a2618f135c37b89a959dddf4a2ebaba46e73268658235f2304a062c887f586911f024565a4ca",
        "ab1fa9705141604b8b6751f071f624e74a54bf543ee5b338883371ffb659a5a59f8440f25320052075162f86b95db1b0",
        "2f90afb9d46451bc47fcc57eaf5b7a2125cb449edd9107e6570f5c9b38a8a823a757739da6bb5d1c8cafcd73726b52ab",
        "761fd9f1bcf9ec713d499dece45cf265a0b9f35a78fc21db1f6a99fdcd983721c04c25e454f43d40fbf5a828ceb0152e",
    );
    const SRP_B_HEX: &str = concat!(
        "89407ebda21c99922de7ea564c3a4f168058a8bf6ea395b6413e82c48e1e013043472af5927650de67a2284ede95258b",
        "60894f81fe9035568987eb4e8fb0e4f53d6bf430a52f04177a8bfc9165edbe98757541b9f146deae95dfeb7ec3a0c6bb",
        "8e753a86b616a421540530dc4a35f214e0169ee26bd8972e87dec06ffb4b6506c5ae044656bc973bdf60f76bbe8d8873",
        "37830513e8e6c34dcb4f6c7e1f6688032875ebf50253ba65cf03e1994a7f4ed3c92f7a9901b5845f3819631f88032fb4",
        "b3089529b8c031c1ee1922f4b9069b0c06249a55cde1bfb3d3307cc9694c425916f6341863280d0d6e246db1470e9495",
        "a6bb7bde0f067215c50a67eeff7c4e8976effeb25831176f4a805b6a82282484e4cdc2a5f532e198be5562323532d5b1",
        "e721da44a444304dc5578a25ab58220c0e87a254a5f5064a766beda70cd9cdc56052c2104f09c57d810820aa946a2fdb",
        "9cf7dca918f25c15cbb0305a931794acba85532fd5eb008e81c7c57cdae105feda565065a51b54c8713abd1964562de0",
    );
    const U_HEX: &str = "aa42ba00ecbf87d0ff221e4b82c99f12204c3500830637172768d2a2f796dcaa";
    const S_HEX: &str = concat!(
        "d1b8c960975cd46e92c18a44ab470211fca189d1fe3586fa37d1b0cef7c9e1ba1887a20e989d8e470ce08a9c48f6442b",
        "8b998df617305bce98957b87454499d1008e18afc90d147286dee0be241cb98f03ceaee8c989578aa25a26ede0f2d0e9",
        "a33ee1923475abf841f63d9833c594d66806c00564406d8a92bba283d665664dfa8756eac297faf8b4ea50141e155b6c",
        "8ba7a18af3699f12ba4f39d8b48a667a3f3d2baf27b2201c4cc8a00d84a3d64e7e749219b03337c4d2e0d2ac2871afbe",
        "09444db1aaed07fe132560bf5e7dce4b728d502fbbc24146936f22c48b9ace6c988dff61d17f9f99dccae2e18aac1d6f",
        "0f7556838f93ad86d841d45171ba16b868904dc14874ae74d7689e49909824e264c2cc6fb40084ce782206535cda0b44",
        "a0f97c1fbd9c512a02f50596e5cd8cb4919884968ff6c6babe53836757660e691947f0f535a924d4424a039687b8e755",
        "af0bb8a271fea33a678ab31083918c79dacc824ffa005259881b2a18e42afae958aa9c00442c4f97914de39d9692051d",
    );
    const K_SESSION_HEX: &str = "fba81e704a44f27fd0372c8c74499ec0";
    const SECRET_BLOCK: &str = "b3BhcXVlLXNlY3JldC1ibG9jay1leGFtcGxlLTAxMjM0NTY3ODk=";
    const TIMESTAMP: &str = "Tue Jan 2 03:04:05 UTC 2024";
    const SIGNATURE: &str = "CXlsdWSKILneGkWOr9El8Xy9JzQ9Of+bWZpJrgppBLI=";

    fn x4(h: &str) -> Vec<u8> {
        hex::decode(h.repeat(4)).unwrap()
    }

    fn block() -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(SECRET_BLOCK)
            .unwrap()
    }

    fn vector_eph() -> ServerEphemeral {
        server_ephemeral(&hex::decode(V_HEX).unwrap(), &x4(B_SECRET)).unwrap()
    }

    fn n_bytes() -> Vec<u8> {
        hex::decode(N_HEX).unwrap()
    }

    #[test]
    fn known_k_x_v() {
        assert_eq!(hex::encode(k_bytes()), K_HEX);
        let salt = hex::decode(SALT).unwrap();
        assert_eq!(hex::encode(compute_x(POOL, USER, PASSWORD, &salt)), X_HEX);
        assert_eq!(hex::encode(verifier(POOL, USER, PASSWORD, &salt)), V_HEX);
        assert_eq!(salt_hex(&salt), SALT);
    }

    #[test]
    fn known_a_b_u_s_k_signature() {
        assert_eq!(client::a_pub_hex(&x4(A_SECRET)), SRP_A_HEX);
        let eph = vector_eph();
        assert_eq!(eph.b_pub_hex, SRP_B_HEX);
        assert_eq!(eph.b, x4(B_SECRET));

        let a_pub = hex::decode(SRP_A_HEX).unwrap();
        let u = compute_u(&a_pub, &hex::decode(SRP_B_HEX).unwrap());
        assert_eq!(hex::encode(u), U_HEX);

        // Server S and client S.
        let a_red = reduce(&a_pub).unwrap();
        let s = server_s(&hex::decode(V_HEX).unwrap(), &eph.b, &a_red, &u).unwrap();
        assert_eq!(hex::encode(trim(&s)), S_HEX);
        let (cu, cs) = client::session(POOL, USER, PASSWORD, SALT, &x4(A_SECRET), SRP_B_HEX);
        assert_eq!(hex::encode(cu), U_HEX);
        assert_eq!(hex::encode(trim(&cs)), S_HEX);

        let key = derive_key(&s, &u).unwrap();
        assert_eq!(hex::encode(key), K_SESSION_HEX);
        let mac = claim_mac(&key, POOL, USER, &block(), TIMESTAMP).unwrap();
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(mac),
            SIGNATURE
        );
        let sig = client::signature(
            POOL,
            USER,
            PASSWORD,
            SALT,
            &x4(A_SECRET),
            SRP_B_HEX,
            &block(),
            TIMESTAMP,
        );
        assert_eq!(sig, SIGNATURE);
    }

    #[test]
    fn verify_known_claim() {
        let v = hex::decode(V_HEX).unwrap();
        let eph = vector_eph();
        let ok = |a: &str, blk: &[u8], ts: &str, sig: &str| {
            verify_password_claim(POOL, USER, &v, &eph, a, blk, ts, sig)
        };
        assert_eq!(ok(SRP_A_HEX, &block(), TIMESTAMP, SIGNATURE), Ok(()));
        // Case and leading zeros of SRP_A do not matter.
        assert_eq!(
            ok(&SRP_A_HEX.to_uppercase(), &block(), TIMESTAMP, SIGNATURE),
            Ok(())
        );
        assert_eq!(
            ok(&format!("000{SRP_A_HEX}"), &block(), TIMESTAMP, SIGNATURE),
            Ok(())
        );
        // Anything else signed differently is a mismatch.
        let m = Err(SrpError::Mismatch);
        assert_eq!(ok(SRP_A_HEX, b"other block", TIMESTAMP, SIGNATURE), m);
        assert_eq!(
            ok(
                SRP_A_HEX,
                &block(),
                "Tue Jan 2 03:04:06 UTC 2024",
                SIGNATURE
            ),
            m
        );
        assert_eq!(ok(SRP_A_HEX, &block(), TIMESTAMP, "not base64!"), m);
        assert_eq!(ok(SRP_A_HEX, &block(), TIMESTAMP, ""), m);
        let other = verify_password_claim(
            "Other",
            USER,
            &v,
            &eph,
            SRP_A_HEX,
            &block(),
            TIMESTAMP,
            SIGNATURE,
        );
        assert_eq!(other, m);
        let other = verify_password_claim(
            POOL,
            "bob",
            &v,
            &eph,
            SRP_A_HEX,
            &block(),
            TIMESTAMP,
            SIGNATURE,
        );
        assert_eq!(other, m);
    }

    #[test]
    fn pad_hex_encoding() {
        assert_eq!(pad_hex(&[0x8a]), "008a");
        assert_eq!(pad_hex(&[0x12, 0xab]), "12ab");
        assert_eq!(pad_hex(&[0x00, 0x12, 0xab]), "12ab");
        assert_eq!(pad_hex(&[0x0a]), "0a");
        assert_eq!(pad_hex(&[]), "00");
        assert_eq!(pad_hex(&[0, 0]), "00");
        assert_eq!(pad_hex(&[2]), "02");
        assert_eq!(plain_hex(&[0x0a, 0xbc]), "abc");
        assert_eq!(plain_hex(&[0x00]), "0");
        assert_eq!(plain_hex(&[0x8a]), "8a");
    }

    #[test]
    fn salt_hex_is_canonical() {
        // A redundant leading zero byte is dropped (pycognito and Amplify then agree)...
        let s = [0x00, 0x12, 0xab, 0x34];
        assert_eq!(salt_hex(&s), "12ab34");
        // ...and a high bit gets the 00 prefix, both clients hash 0x00 0x9f ...
        let s = [0x9f, 0x01, 0x02];
        assert_eq!(salt_hex(&s), "009f0102");
        // Whichever way the SALT parameter is read back, x and so v are the same.
        for salt in [&[0x00, 0x12, 0xab, 0x34][..], &[0x9f, 0x01, 0x02][..]] {
            let reparsed = hex::decode(salt_hex(salt)).unwrap();
            assert_eq!(
                verifier(POOL, USER, PASSWORD, salt),
                verifier(POOL, USER, PASSWORD, &reparsed)
            );
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp(TIMESTAMP), Some(1_704_164_645));
        assert_eq!(format_timestamp(1_704_164_645), TIMESTAMP);
        assert_eq!(parse_timestamp("Thu Jan 1 00:00:00 UTC 1970"), Some(0));
        assert_eq!(
            parse_timestamp("Wed Apr 5 12:00:00 UTC 2023"),
            Some(1_680_696_000)
        );
        assert_eq!(
            parse_timestamp("Thu Feb 29 23:59:59 UTC 2024"),
            Some(1_709_251_199)
        );
        assert_eq!(
            parse_timestamp("Sun Dec 31 23:59:59 UTC 2023"),
            Some(1_704_067_199)
        );
        for bad in [
            "Tue Jan 02 03:04:05 UTC 2024", // zero-padded day
            "Wed Apr 05 12:00:00 UTC 2023",
            "Wed Jan 2 03:04:05 UTC 2024",  // wrong weekday
            "Tue Jan  2 03:04:05 UTC 2024", // double space
            "Tue Jan 2 3:04:05 UTC 2024",
            "Tue Jan 2 03:04:05 GMT 2024",
            "Tue Jan 2 03:04:05 UTC 24",
            "Tue Jan 2 03:04:60 UTC 2024",
            "Tue Jan 2 24:04:05 UTC 2024",
            "Fri Feb 29 00:00:00 UTC 2023", // not a leap year
            "Tue Jan 32 03:04:05 UTC 2024",
            "Tue Jan 0 03:04:05 UTC 2024",
            "tue jan 2 03:04:05 UTC 2024",
            "Tue Jan 2 03:04:05 UTC 2024 ",
            "Tue Jan +2 03:04:05 UTC 2024",
            "2024-01-02T03:04:05Z",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
        // Round trip over a spread of instants, single- and double-digit days included.
        let mut t: i64 = 0;
        while t < 4_102_444_800 {
            let s = format_timestamp(t);
            assert_eq!(parse_timestamp(&s), Some(t), "{s}");
            t += 86_400 * 17 + 3_599;
        }
        assert_eq!(
            format_timestamp(1_680_696_000),
            "Wed Apr 5 12:00:00 UTC 2023"
        );
        // Extreme inputs do not panic.
        let _ = format_timestamp(i64::MAX);
        let _ = format_timestamp(i64::MIN);
    }

    #[test]
    fn bad_a() {
        let v = hex::decode(V_HEX).unwrap();
        let eph = vector_eph();
        let check = |a: &str| {
            verify_password_claim(POOL, USER, &v, &eph, a, &block(), TIMESTAMP, SIGNATURE)
        };
        let n = n_bytes();
        let two_n = {
            let mut out = vec![0u8; n.len() + 1];
            let mut carry = 0u16;
            for i in (0..n.len()).rev() {
                let s = u16::from(n[i]) * 2 + carry;
                out[i + 1] = (s & 0xff) as u8;
                carry = s >> 8;
            }
            out[0] = carry as u8;
            out
        };
        assert_eq!(check("0"), Err(SrpError::BadA));
        assert_eq!(check("0000"), Err(SrpError::BadA));
        assert_eq!(check(""), Err(SrpError::BadA));
        assert_eq!(check(N_HEX), Err(SrpError::BadA));
        assert_eq!(check(&N_HEX.to_lowercase()), Err(SrpError::BadA));
        assert_eq!(check(&hex::encode(&two_n)), Err(SrpError::BadA));
        assert_eq!(check("xyz"), Err(SrpError::BadA));
        assert_eq!(check("12 34"), Err(SrpError::BadA));
        assert_eq!(check(&"f".repeat(MAX_A_HEX_LEN + 1)), Err(SrpError::BadA));
        assert_eq!(
            check(&format!("1{}", "0".repeat(MAX_A_HEX_LEN))),
            Err(SrpError::BadA)
        );
        // Longest accepted A: no panic, just a mismatch.
        assert_eq!(check(&"f".repeat(MAX_A_HEX_LEN)), Err(SrpError::Mismatch));
        assert_eq!(check("1"), Err(SrpError::Mismatch));
        // A + N is accepted as A (reduced) but hashes differently: mismatch, not a panic.
        assert_eq!(
            check(&format!("1{}", "0".repeat(768))),
            Err(SrpError::Mismatch)
        );
    }

    #[test]
    fn wrong_password_mismatches() {
        let salt = hex::decode(SALT).unwrap();
        let v = verifier(POOL, USER, PASSWORD, &salt);
        let eph = server_ephemeral(&v, &x4(B_SECRET)).unwrap();
        let a = x4(A_SECRET);
        let a_hex = client::a_pub_hex(&a);
        let sig = |pw: &str| {
            client::signature(
                POOL,
                USER,
                pw,
                SALT,
                &a,
                &eph.b_pub_hex,
                &block(),
                TIMESTAMP,
            )
        };
        let res =
            |s: &str| verify_password_claim(POOL, USER, &v, &eph, &a_hex, &block(), TIMESTAMP, s);
        assert_eq!(res(&sig(PASSWORD)), Ok(()));
        assert_eq!(res(&sig("Passw0rd?")), Err(SrpError::Mismatch));
        assert_eq!(res(&sig("")), Err(SrpError::Mismatch));
    }

    #[test]
    fn server_ephemeral_rejects_short_or_zero_b() {
        let v = hex::decode(V_HEX).unwrap();
        assert!(server_ephemeral(&v, &[7u8; 31]).is_none());
        assert!(server_ephemeral(&v, &[0u8; 32]).is_none());
        assert!(server_ephemeral(&v, &[7u8; 32]).is_some());
        // Odd inputs do not panic.
        assert!(server_ephemeral(&[], &[7u8; 32]).is_some());
        assert!(server_ephemeral(&[0xff; 2000], &[0xff; 2000]).is_some());
        assert!(server_ephemeral(&n_bytes(), &[7u8; 32]).is_some());
    }

    /// Client and server built from this module agree for random users, passwords, salts,
    /// secrets and secret blocks; a one-character change of the password always fails.
    #[test]
    fn client_and_server_agree() {
        let rnd = SeededRandom::new(0x5352_5021);
        for i in 0..20 {
            let pool = rnd.alnum(9);
            let user = match i % 3 {
                0 => rnd.uuid(),
                1 => format!("user-{}", rnd.lower_alnum(1 + i)),
                _ => format!("ünï-{}@example.com", rnd.lower_alnum(5)),
            };
            let password = format!("{}é!{}", rnd.alnum(8 + i), i);
            let mut salt = rnd.bytes::<16>().to_vec();
            if i % 4 == 0 {
                salt[0] = 0; // a redundant leading zero
            } else if i % 4 == 1 {
                salt[0] |= 0x80; // high bit set
            }
            let v = verifier(&pool, &user, &password, &salt);
            let eph = server_ephemeral(&v, &rnd.bytes::<32>()).unwrap();
            let a = rnd.bytes::<128>();
            let a_hex = client::a_pub_hex(&a);
            let blk = rnd.bytes::<48>();
            let ts = format_timestamp(1_700_000_000 + i64::try_from(i).unwrap() * 987_654);
            assert!(parse_timestamp(&ts).is_some());
            let salt_param = salt_hex(&salt);
            let sig = client::signature(
                &pool,
                &user,
                &password,
                &salt_param,
                &a,
                &eph.b_pub_hex,
                &blk,
                &ts,
            );
            assert_eq!(
                verify_password_claim(&pool, &user, &v, &eph, &a_hex, &blk, &ts, &sig),
                Ok(()),
                "round {i}"
            );
            let wrong = format!("{password}x");
            let sig = client::signature(
                &pool,
                &user,
                &wrong,
                &salt_param,
                &a,
                &eph.b_pub_hex,
                &blk,
                &ts,
            );
            assert_eq!(
                verify_password_claim(&pool, &user, &v, &eph, &a_hex, &blk, &ts, &sig),
                Err(SrpError::Mismatch),
                "round {i}"
            );
        }
    }

    /// Server cost of one sign-in: `server_ephemeral` + `verify_password_claim`.
    /// Run with `cargo test --release -p cognate-core srp_timing -- --nocapture`.
    #[test]
    fn srp_timing() {
        let salt = hex::decode(SALT).unwrap();
        let v = verifier(POOL, USER, PASSWORD, &salt);
        let a = x4(A_SECRET);
        let a_hex = client::a_pub_hex(&a);
        let rounds = 5u32;
        for b_len in [32usize, 128] {
            let mut total = std::time::Duration::ZERO;
            for r in 0..rounds {
                let b: Vec<u8> = (0..b_len).map(|j| (j as u8) ^ (r as u8) | 1).collect();
                let start = std::time::Instant::now();
                let eph = server_ephemeral(&v, &b).unwrap();
                let res = verify_password_claim(
                    POOL,
                    USER,
                    &v,
                    &eph,
                    &a_hex,
                    &block(),
                    TIMESTAMP,
                    SIGNATURE,
                );
                total += start.elapsed();
                assert_eq!(res, Err(SrpError::Mismatch));
            }
            println!(
                "srp server cost, {}-bit b: {:?} per sign-in (server_ephemeral + verify_password_claim)",
                b_len * 8,
                total / rounds
            );
        }
    }
}
