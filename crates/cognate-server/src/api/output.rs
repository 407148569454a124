//! Writing Cognito's shapes shared by several operations.

use cognate_core::clock::Timestamp;
use serde_json::{json, Map, Value};

/// Wire timestamps: epoch seconds with fractional milliseconds.
pub fn ts(t: Timestamp) -> Value {
    json!(t.as_epoch_f64())
}

/// `AttributeListType`.
pub fn attribute_list<'a>(attrs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
    Value::Array(
        attrs
            .into_iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect(),
    )
}

/// Inserts `v` under `k` unless it is null.
pub fn put(m: &mut Map<String, Value>, k: &str, v: Value) {
    if !v.is_null() {
        m.insert(k.to_owned(), v);
    }
}

/// Pagination tokens are opaque to clients: the key to continue after, Base64url-encoded.
pub fn next_token(after: Option<String>) -> Value {
    use base64::Engine;
    match after {
        Some(a) => json!(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(a)),
        None => Value::Null,
    }
}

/// Decodes a pagination token; a token Cognate did not issue is an InvalidParameterException.
pub fn decode_token(token: Option<&str>) -> cognate_core::Result<Option<String>> {
    use base64::Engine;
    match token {
        None => Ok(None),
        Some(t) => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map(Some)
            .ok_or_else(|| {
                cognate_core::CognitoError::invalid_parameter("Invalid pagination token.")
            }),
    }
}
