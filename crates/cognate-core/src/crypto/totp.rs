//! RFC 6238 TOTP with Cognito's parameters (HMAC-SHA1, 6 digits, 30-second steps, T0 = 0),
//! the ±1 step window and the RFC 6238 §5.2 replay guard (a code is accepted only if its
//! step is newer than the last accepted one).

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;

/// RFC 4226 HOTP value for `counter`, as a zero-padded 6-digit string.
pub fn hotp(secret: &[u8], counter: u64) -> String {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", bin % 10u32.pow(DIGITS))
}

/// The time step containing `unix_secs`.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECONDS)
}

/// The code at `unix_secs` (what an authenticator shows). Tests only: `verify` checks steps.
#[cfg(test)]
pub fn code_at(secret: &[u8], unix_secs: i64) -> String {
    hotp(secret, step_at(unix_secs).max(0) as u64)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpCheck {
    /// Accepted; the caller must record this step as the last accepted one.
    Accepted {
        step: i64,
    },
    /// The code matches a step that is not newer than the last accepted one.
    Replayed,
    Mismatch,
}

/// Checks `code` against the previous, current and next step at `unix_secs`. Every candidate
/// is compared in constant time, and all three are always computed.
pub fn verify(
    secret: &[u8],
    code: &str,
    unix_secs: i64,
    last_accepted_step: Option<i64>,
) -> TotpCheck {
    let now = step_at(unix_secs);
    let mut result = TotpCheck::Mismatch;
    for step in [now - 1, now, now + 1] {
        if step < 0 {
            continue;
        }
        if !super::ct_eq(hotp(secret, step as u64).as_bytes(), code.as_bytes()) {
            continue;
        }
        let replay = last_accepted_step.is_some_and(|last| step <= last);
        result = match (result, replay) {
            (accepted @ TotpCheck::Accepted { .. }, _) => accepted,
            (_, true) => TotpCheck::Replayed,
            (_, false) => TotpCheck::Accepted { step },
        };
    }
    result
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 Base32 without padding (the form of Cognito's `SecretCode`).
pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(BASE32[((bits >> (35 - i * 5)) & 31) as usize] as char);
        }
    }
    out
}

/// Decodes Base32 (case-insensitive, padding and spaces ignored).
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut acc, mut nbits) = (0u64, 0u32);
    for c in s.chars().filter(|c| *c != '=' && !c.is_whitespace()) {
        let v = BASE32
            .iter()
            .position(|b| *b as char == c.to_ascii_uppercase())? as u64;
        acc = (acc << 5) | v;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((acc >> nbits) as u8);
            acc &= (1 << nbits) - 1;
        }
    }
    Some(out)
}

/// The key URI authenticator apps read from a QR code.
pub fn otpauth_uri(secret_base32: &str, account: &str, issuer: &str) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    format!(
        "otpauth://totp/{}:{}?secret={secret_base32}&issuer={}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    /// RFC 6238 appendix B (SHA-1), truncated to 6 digits.
    #[test]
    fn rfc6238_known_answers() {
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(RFC_SECRET, t), code, "t = {t}");
        }
    }

    #[test]
    fn cognito_style_secret() {
        let secret =
            base32_decode("H3H2MM5WYJVAJPPIYBFFPXRQC4KO54KKNO6LFDUKI7YBHJY5RWJA").expect("b32");
        assert_eq!(secret.len(), 32);
        assert_eq!(
            base32_encode(&secret),
            "H3H2MM5WYJVAJPPIYBFFPXRQC4KO54KKNO6LFDUKI7YBHJY5RWJA"
        );
        assert_eq!(code_at(&secret, 1_700_000_000), "383678");
        assert_eq!(
            base32_encode(RFC_SECRET),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }

    #[test]
    fn window_and_replay() {
        let t = 1_111_111_111;
        let now = step_at(t);
        assert_eq!(
            verify(RFC_SECRET, "081804", t, None),
            TotpCheck::Accepted { step: now - 1 }
        );
        assert_eq!(
            verify(RFC_SECRET, "050471", t, None),
            TotpCheck::Accepted { step: now }
        );
        assert_eq!(
            verify(RFC_SECRET, "266759", t, None),
            TotpCheck::Accepted { step: now + 1 }
        );
        assert_eq!(verify(RFC_SECRET, "123456", t, None), TotpCheck::Mismatch);
        // once the current step is used, it and the previous one are replays; the next is fine
        assert_eq!(
            verify(RFC_SECRET, "050471", t, Some(now)),
            TotpCheck::Replayed
        );
        assert_eq!(
            verify(RFC_SECRET, "081804", t, Some(now)),
            TotpCheck::Replayed
        );
        assert_eq!(
            verify(RFC_SECRET, "266759", t, Some(now)),
            TotpCheck::Accepted { step: now + 1 }
        );
        // two steps away is outside the window
        assert_eq!(
            verify(RFC_SECRET, "050471", t + 60, None),
            TotpCheck::Mismatch
        );
        assert_eq!(
            verify(RFC_SECRET, "050471", t - 60, None),
            TotpCheck::Mismatch
        );
    }

    #[test]
    fn step_boundaries() {
        // 1111111109 and 1111111110 are in different steps (the boundary is at ...110)
        assert_eq!(step_at(1_111_111_109) + 1, step_at(1_111_111_110));
        assert_eq!(code_at(RFC_SECRET, 1_111_111_110), "050471");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_139), "050471");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_140), "266759");
    }

    #[test]
    fn otpauth() {
        assert_eq!(
            otpauth_uri("H3H2MM5WYJVAJPPIYBFFPXRQC4KO54KKNO6LFDUKI7YBHJY5RWJA", "alice", "MyApp"),
            "otpauth://totp/MyApp:alice?secret=H3H2MM5WYJVAJPPIYBFFPXRQC4KO54KKNO6LFDUKI7YBHJY5RWJA&issuer=MyApp"
        );
        assert_eq!(base32_decode("not base32!"), None);
    }
}
