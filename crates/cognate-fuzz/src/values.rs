//! Scalar values from a shape's constraints: valid ones (enum, pattern examples, lengths and
//! ranges honoured), boundary ones (lengths and ranges ±1, huge, empty, unicode, NUL, control
//! characters) and values of the wrong JSON type.

use serde_json::{json, Value};

use crate::model::{Kind, Shape};
use crate::rng::Rng;

/// The request body limit of the server; the longest strings stay around it.
pub const BODY_LIMIT: usize = 1024 * 1024;

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

pub fn alnum(rng: &mut Rng, len: usize) -> String {
    (0..len)
        .map(|_| ALNUM.get(rng.below(ALNUM.len())).copied().unwrap_or(b'a') as char)
        .collect()
}

pub fn hex(rng: &mut Rng, len: usize) -> String {
    (0..len)
        .map(|_| {
            b"0123456789abcdef"
                .get(rng.below(16))
                .copied()
                .unwrap_or(b'0') as char
        })
        .collect()
}

/// A value matching the model's structured patterns (the others accept alphanumerics).
fn pattern_example(pattern: &str, rng: &mut Rng) -> Option<String> {
    let uuid = |rng: &mut Rng| {
        format!(
            "{}-{}-4{}-a{}-{}",
            hex(rng, 8),
            hex(rng, 4),
            hex(rng, 3),
            hex(rng, 3),
            hex(rng, 12)
        )
    };
    let v = match pattern {
        p if p.starts_with("Level") => format!("Level{}", rng.range(1, 4)),
        p if p.contains("[4][0-9a-fA-F]{3}") || p.contains("\\b-") => uuid(rng),
        p if p.contains("secretsmanager") => {
            "arn:aws:secretsmanager:us-east-1:123456789012:secret/fuzz".into()
        }
        p if p.contains(":::") => format!("arn:aws:s3:::{}", alnum(rng, 8).to_lowercase()),
        p if p.starts_with("[^_\\p{Z}]") => alnum(rng, 8),
        p if p.starts_with("arn:") || p.starts_with("(arn:") => {
            "arn:aws:iam::123456789012:role/fuzz".into()
        }
        p if p.contains("\\{####\\}") => format!("Your code is {{####}} {}", alnum(rng, 3)),
        p if p.contains("\\{##") => "Click {##here##} to verify".into(),
        p if p.starts_with("^https://") => format!("https://example.com/{}", alnum(rng, 6)),
        p if p.starts_with("^(tkn|sso)") => format!("tkn{}", hex(rng, 25)),
        p if p.starts_with("^cognito:") => "cognito:english".into(),
        p if p.starts_with("^(terms-of-use") => "terms-of-use".into(),
        p if p.starts_with("import-") => format!("import-{}", alnum(rng, 8)),
        p if p.contains("_[0-9a-f-]+") => format!("us-east-1_{}", hex(rng, 12)),
        p if p.contains("_[0-9a-zA-Z]+") => format!("us-east-1_{}", alnum(rng, 9)),
        p if p.contains("]+@[") => format!("{}@example.com", alnum(rng, 6)),
        "[0-9]+" | "^[0-9a-fA-F]+$" => hex(rng, 6).replace(|c: char| c.is_alphabetic(), "7"),
        p if p.starts_with("^[a-z0-9]") => alnum(rng, 8).to_ascii_lowercase(),
        _ => return None,
    };
    Some(v)
}

/// A string the shape accepts (as far as the generator can tell).
pub fn valid_string(shape: &Shape, rng: &mut Rng) -> String {
    if let Some(v) = rng.pick(&shape.enum_values) {
        return v.clone();
    }
    if let Some(v) = shape
        .pattern
        .as_deref()
        .and_then(|p| pattern_example(p, rng))
    {
        return v;
    }
    let min = shape.min.unwrap_or(0).max(1) as usize;
    let max = (shape.max.unwrap_or(24).max(1) as usize).min(24).max(min);
    let n = rng.range(min, max);
    alnum(rng, n)
}

pub fn valid_int(shape: &Shape, rng: &mut Rng) -> i64 {
    let min = shape.min.unwrap_or(0);
    let max = shape.max.unwrap_or(min.saturating_add(100));
    if max <= min {
        return min;
    }
    let span = (max - min).min(1_000_000) as usize;
    min + rng.range(0, span) as i64
}

/// A valid value of a scalar shape.
pub fn valid_scalar(shape: &Shape, rng: &mut Rng) -> Value {
    match shape.kind {
        Kind::Integer | Kind::Long => json!(valid_int(shape, rng)),
        Kind::Boolean => json!(rng.bool()),
        Kind::Timestamp => json!(1_700_000_000 + rng.below(100_000_000) as i64),
        Kind::Blob => json!("aGVsbG8gd29ybGQ="),
        _ => json!(valid_string(shape, rng)),
    }
}

/// Strings that have broken parsers before: unicode edge cases, NUL, controls, escapes.
const NASTY: &[&str] = &[
    "",
    " ",
    "\0",
    "a\0b",
    "\u{1}\u{2}\u{7f}",
    "\t\r\n",
    "\u{feff}",
    "\u{202e}abc",
    "é",
    "e\u{301}",
    "👩‍👩‍👧‍👦",
    "\u{10ffff}",
    "𝕦𝕟𝕚𝕔𝕠𝕕𝕖",
    "ß",
    "İ",
    "\\",
    "\"",
    "'",
    "' OR '1'='1",
    "%s%n%x",
    "{{7*7}}",
    "../../etc/passwd",
    "null",
    "true",
    "0",
    "-1",
    "us-east-1_",
    "_",
    "a_b",
    "custom:",
    "=",
    "^=",
    "username = \"",
    "email ^= \"\\",
    "eyJhbGciOiJub25lIn0.e30.",
    "a.b.c",
];

fn nasty(rng: &mut Rng) -> String {
    rng.pick_str(NASTY).to_owned()
}

/// A string of exactly `len` characters, sometimes multi-byte ones.
fn string_of_len(rng: &mut Rng, len: usize) -> String {
    let unit = match rng.below(4) {
        0 => "é",
        1 => "😀",
        _ => "a",
    };
    unit.repeat(len)
}

/// A boundary string for the shape: lengths at and past the limits, huge, nasty.
pub fn boundary_string(shape: &Shape, rng: &mut Rng) -> String {
    let min = shape.min.unwrap_or(0).max(0) as usize;
    let max = shape.max.map(|m| m.max(0) as usize);
    match rng.below(10) {
        0 => String::new(),
        1 if min > 0 => string_of_len(rng, min - 1),
        1 | 2 => string_of_len(rng, min),
        3 => string_of_len(rng, max.unwrap_or(256).min(BODY_LIMIT / 4)),
        4 => string_of_len(rng, max.unwrap_or(256).min(BODY_LIMIT / 4) + 1),
        5 if rng.one_in(20) => {
            // Around the body limit: the whole request is then just over or under it.
            let len = BODY_LIMIT - 64 + rng.below(128);
            "x".repeat(len)
        }
        5 => "y".repeat(rng.range(1_000, 70_000)),
        6 => {
            let mut s = valid_string(shape, rng);
            let at = rng.below(s.len() + 1);
            if s.is_char_boundary(at) {
                s.insert_str(at, &nasty(rng));
            }
            s
        }
        _ => nasty(rng),
    }
}

/// A boundary number for an integer shape: limits ±1, type limits, negative, fractional.
pub fn boundary_number(shape: &Shape, rng: &mut Rng) -> Value {
    let min = shape.min.unwrap_or(0);
    let max = shape.max.unwrap_or(i64::from(i32::MAX));
    match rng.below(14) {
        0 => json!(min.saturating_sub(1)),
        1 => json!(min),
        2 => json!(max),
        3 => json!(max.saturating_add(1)),
        4 => json!(0),
        5 => json!(-1),
        6 => json!(i32::MAX),
        7 => json!(i64::from(i32::MAX) + 1),
        8 => json!(i32::MIN),
        9 => json!(i64::MAX),
        10 => json!(u64::MAX),
        11 => json!(i64::MIN),
        12 => json!(1.5),
        _ => json!(1e300),
    }
}

/// A boundary value for a scalar shape.
pub fn boundary_scalar(shape: &Shape, rng: &mut Rng) -> Value {
    match shape.kind {
        Kind::Integer | Kind::Long => boundary_number(shape, rng),
        Kind::Timestamp => match rng.below(4) {
            0 => json!(-1),
            1 => json!(1e300),
            2 => json!("not a date"),
            _ => json!(u64::MAX),
        },
        Kind::Blob => match rng.below(4) {
            0 => json!("===="),
            1 => json!("a"),
            2 => json!("!!!!"),
            _ => json!("QUJD".repeat(rng.range(1, 50_000))),
        },
        Kind::Boolean => wrong_type(shape, rng),
        _ => json!(boundary_string(shape, rng)),
    }
}

/// A JSON value of a type the shape does not have.
pub fn wrong_type(shape: &Shape, rng: &mut Rng) -> Value {
    let candidates: Vec<Value> = vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-7.25),
        json!("s"),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"a": {"b": []}}),
    ];
    let wrong: Vec<&Value> = candidates
        .iter()
        .filter(|v| !same_type(&shape.kind, v))
        .collect();
    rng.pick(&wrong)
        .map(|v| (*v).clone())
        .unwrap_or(Value::Null)
}

fn same_type(kind: &Kind, v: &Value) -> bool {
    match kind {
        Kind::Structure { .. } | Kind::Map { .. } | Kind::Document => v.is_object(),
        Kind::List(_) => v.is_array(),
        Kind::String | Kind::Blob => v.is_string(),
        Kind::Integer | Kind::Long => v.is_i64() || v.is_u64(),
        Kind::Boolean => v.is_boolean(),
        Kind::Timestamp => v.is_number() || v.is_string(),
    }
}
