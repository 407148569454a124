//! Cognito's SRP-6a variant (USER_SRP_AUTH / PASSWORD_VERIFIER).
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

/// The client side (Amplify / pycognito formulas), for tests that show client and server agree
/// and for cognate-bench (feature `srp-client`). Its inputs must be valid hex: it panics otherwise.
#[cfg(any(test, feature = "srp-client"))]
pub mod client {
    use super::*;

    /// Formats epoch seconds as Cognito's TIMESTAMP (`Tue Jan 2 03:04:05 UTC 2024`), what clients
    /// send; `parse_timestamp` reads it back for years 1000–9999.
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
mod tests;
