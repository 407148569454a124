//! Helpers that word validation messages as AWS does.

use super::*;

// --------------------------------------------------------------------------------------
// Helpers for validation
// --------------------------------------------------------------------------------------

/// `AuthFlow` -> `authFlow`, `MFAOptions` -> `mFAOptions` (AWS lower-cases the first letter).
pub(super) fn member_path_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(super) fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

pub(super) fn enum_constraint(allowed: &[String]) -> String {
    format!(
        "Member must satisfy enum value set: [{}]",
        allowed.join(", ")
    )
}

pub(super) fn pattern_constraint(java: &str) -> String {
    format!("Member must satisfy regular expression pattern: {java}")
}

/// `Value 'x'` (or `Value` alone for sensitive values).
pub(super) fn describe(value: &Value, sensitive: bool) -> String {
    if sensitive {
        "Value".to_owned()
    } else {
        let mut s = String::from("Value '");
        render(value, 0, &mut s);
        s.push('\'');
        s
    }
}

/// Renders a value the way AWS's (Java) messages do: strings bare, lists `[a, b]`,
/// maps `{k=v}`.
pub(super) fn render(value: &Value, depth: usize, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            if depth >= MAX_RENDER_DEPTH {
                out.push_str("[...]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(item, depth + 1, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            if depth >= MAX_RENDER_DEPTH {
                out.push_str("{...}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                render(v, depth + 1, out);
            }
            out.push('}');
        }
    }
}

/// The SerializationException message for `value` found where `expected` (e.g. `a String`)
/// was wanted.
pub(super) fn mismatch(value: &Value, expected: &str) -> String {
    let token = match value {
        Value::Object(_) => {
            return "Start of structure or map found where not expected.".to_owned()
        }
        Value::Array(_) => return "Start of list found where not expected".to_owned(),
        Value::String(_) => "STRING_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::Bool(_) => "BOOLEAN_VALUE",
        Value::Null => "NULL_VALUE",
    };
    format!("{token} can not be converted to {expected}")
}

pub(super) fn expect_object<'a>(
    value: &'a Value,
    expected: &str,
) -> Result<&'a Map<String, Value>, String> {
    match value {
        Value::Object(obj) => Ok(obj),
        _ => Err(mismatch(value, expected)),
    }
}

/// An integer member: a JSON number with no fractional part within the Java type's range.
pub(super) fn integer_value(value: &Value, long: bool) -> Result<i64, String> {
    let expected = if long { "a Long" } else { "an Integer" };
    let Value::Number(n) = value else {
        return Err(mismatch(value, expected));
    };
    let v = if let Some(i) = n.as_i64() {
        Some(i)
    } else if n.as_u64().is_some() {
        None
    } else {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= i64::MIN as f64 && *f < i64::MAX as f64)
            .map(|f| f as i64)
    };
    let range_ok = |i: i64| long || i32::try_from(i).is_ok();
    match v {
        Some(i) if range_ok(i) => Ok(i),
        _ => Err(format!("NUMBER_VALUE can not be converted to {expected}")),
    }
}

/// Decoded length of a base64 blob member (standard alphabet, padding optional).
pub(super) fn blob_len(value: &Value) -> Result<usize, String> {
    let Value::String(s) = value else {
        return Err(mismatch(value, "a Blob"));
    };
    let invalid = || "Base64 encoded value is invalid.".to_owned();
    let body = s.trim_end_matches('=');
    if s.len() - body.len() > 2
        || !body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    {
        return Err(invalid());
    }
    let full = body.len() / 4 * 3;
    match body.len() % 4 {
        0 => Ok(full),
        2 => Ok(full + 1),
        3 => Ok(full + 2),
        _ => Err(invalid()),
    }
}
