//! Mutations below JSON: bodies that are not valid JSON or push the parser (deep nesting,
//! duplicate keys, odd numbers and escapes, invalid UTF-8, truncation), and byte-level
//! mutations of a valid serialized body.

use crate::rng::Rng;
use crate::values::BODY_LIMIT;

/// A body with no usable JSON structure or one that stresses the parser.
pub fn raw_body(valid: &[u8], rng: &mut Rng) -> Vec<u8> {
    match rng.below(12) {
        0 => nested(rng, b'[', b']', b""),
        1 => nested(rng, b'{', b'}', b"\"a\":"),
        2 => duplicate_key(valid),
        3 => replace_first_value(valid, odd_number(rng).as_bytes()),
        4 => replace_first_value(valid, odd_string(rng).as_bytes()),
        5 => rng
            .pick(&[
                &b""[..],
                b"   \n\t ",
                b"null",
                b"[]",
                b"\"string\"",
                b"123",
                b"true",
                b"{",
                b"}",
                b"{}}",
                b"{} {}",
                b"{\"a\":1,}",
                b"{'a':1}",
                b"\xef\xbb\xbf{}",
                b"{\"UserPoolId\":\"x\"",
                b"\0",
            ])
            .map(|b| b.to_vec())
            .unwrap_or_default(),
        6 => {
            let mut b = valid.to_vec();
            b.extend_from_slice(
                rng.pick(&[&b"x"[..], b"{}", b"\0", b"\xff"])
                    .copied()
                    .unwrap_or(b""),
            );
            b
        }
        7 => {
            let mut b = vec![0u8; rng.small_len(4096)];
            rng.fill(&mut b);
            b
        }
        8 => {
            // Just over or under the body limit.
            let len = BODY_LIMIT - 8 + rng.below(16);
            let mut b = b"{\"Filter\":\"".to_vec();
            b.resize(len.saturating_sub(2), b'a');
            b.extend_from_slice(b"\"}");
            b
        }
        9 => {
            // Many members.
            let n = rng.range(1_000, 40_000);
            let mut b = b"{".to_vec();
            for i in 0..n {
                if i > 0 {
                    b.push(b',');
                }
                b.extend_from_slice(format!("\"m{i}\":{i}").as_bytes());
            }
            b.push(b'}');
            b
        }
        _ => byte_mutation(valid, rng),
    }
}

/// `n` nested openers around nothing, closed (or not) by `n` closers.
fn nested(rng: &mut Rng, open: u8, close: u8, inner: &[u8]) -> Vec<u8> {
    let n = match rng.below(4) {
        0 => rng.range(60, 140),
        1 => rng.range(500, 5_000),
        _ => rng.range(10_000, 200_000),
    };
    let mut b = b"{\"UserPoolId\":".to_vec();
    for _ in 0..n {
        b.push(open);
        b.extend_from_slice(inner);
    }
    if open == b'{' {
        b.extend_from_slice(b"1");
    }
    let closed = if rng.percent(80) { n } else { n / 2 };
    b.extend(std::iter::repeat_n(close, closed));
    b.push(b'}');
    b
}

fn duplicate_key(valid: &[u8]) -> Vec<u8> {
    // `{"A":...}` -> `{"A":"dup","A":...}`
    let Some(start) = valid.iter().position(|b| *b == b'"') else {
        return valid.to_vec();
    };
    let Some(len) = valid[start + 1..].iter().position(|b| *b == b'"') else {
        return valid.to_vec();
    };
    let key = &valid[start..start + len + 2];
    let mut b = b"{".to_vec();
    b.extend_from_slice(key);
    b.extend_from_slice(b":\"dup\",");
    b.extend_from_slice(valid.get(1..).unwrap_or_default());
    b
}

/// Replaces the first member value (after the first `:`) up to the next `,` or `}`.
fn replace_first_value(valid: &[u8], with: &[u8]) -> Vec<u8> {
    let Some(colon) = valid.iter().position(|b| *b == b':') else {
        return with.to_vec();
    };
    let rest = &valid[colon + 1..];
    let end = if rest.first() == Some(&b'"') {
        rest.iter()
            .skip(1)
            .position(|b| *b == b'"')
            .map_or(rest.len(), |p| p + 2)
    } else {
        rest.iter()
            .position(|b| *b == b',' || *b == b'}')
            .unwrap_or(rest.len())
    };
    let mut b = valid[..=colon].to_vec();
    b.extend_from_slice(with);
    b.extend_from_slice(&rest[end.min(rest.len())..]);
    b
}

fn odd_number(rng: &mut Rng) -> String {
    rng.pick_str(&[
        "1e999",
        "-1e999",
        "-0",
        "01",
        "1.0e+400",
        "NaN",
        "Infinity",
        "0x10",
        "99999999999999999999999999999999",
        "-99999999999999999999999999999999",
        "1.7976931348623157e308",
        "5e-324",
        "1E2",
        "+1",
        ".5",
        "1.",
    ])
    .to_owned()
}

fn odd_string(rng: &mut Rng) -> String {
    rng.pick_str(&[
        "\"\\ud800\"",
        "\"\\udfff\\ud800\"",
        "\"\\u0000\"",
        "\"a\\u0000b\"",
        "\"\\x41\"",
        "\"\\\"",
        "\"\\uZZZZ\"",
        "\"\\ud83d\\ude00\"",
        "\"\t\"",
        "\"\n\"",
        "\"\u{7f}\"",
        "\"\\/\"",
        "\"abc",
    ])
    .to_owned()
}

/// Byte-level mutations of a serialized body: flips, random bytes, invalid UTF-8,
/// deletions, truncation, duplication.
pub fn byte_mutation(valid: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = valid.to_vec();
    for _ in 0..rng.range(1, 4) {
        let len = b.len();
        let at = rng.below(len + 1);
        match rng.below(8) {
            0 if len > 0 => {
                let i = at.min(len - 1);
                if let Some(x) = b.get_mut(i) {
                    *x ^= 1 << rng.below(8);
                }
            }
            1 if len > 0 => {
                let i = at.min(len - 1);
                if let Some(x) = b.get_mut(i) {
                    *x = rng.u64() as u8;
                }
            }
            2 => {
                let bad: &[&[u8]] = &[
                    b"\xff",
                    b"\xc0\x80",
                    b"\xed\xa0\x80",
                    b"\xf4\x90\x80\x80",
                    b"\xe2\x82",
                    b"\x80",
                    b"\0",
                ];
                let ins = rng.pick(bad).copied().unwrap_or(b"\xff");
                b.splice(at..at, ins.iter().copied());
            }
            3 => {
                let end = (at + rng.small_len(32)).min(len);
                b.drain(at..end);
            }
            4 => b.truncate(at),
            5 => {
                let end = (at + rng.small_len(64)).min(len);
                let span = b[at..end].to_vec();
                b.splice(at..at, span);
            }
            6 => {
                let punct: &[&[u8]] = &[b"\"", b"{", b"}", b"[", b"]", b",", b":", b"\\"];
                let ins = rng.pick(punct).copied().unwrap_or(b"");
                b.splice(at..at, ins.iter().copied());
            }
            _ => {
                let mut junk = vec![0u8; rng.range(1, 16)];
                rng.fill(&mut junk);
                b.splice(at..at, junk);
            }
        }
    }
    b
}
