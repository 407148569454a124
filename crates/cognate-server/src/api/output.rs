//! Writing Cognito's shapes shared by several operations.

use cognate_core::clock::Timestamp;
use cognate_core::model::User;
use cognate_core::service::common::codes::CodeDeliveryDetails;
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

/// A user's attributes as Cognito lists them: `sub` first, then the rest by name.
/// `only` restricts the list (AttributesToGet); `None` means all.
pub fn user_attributes(user: &User, only: Option<&[String]>) -> Value {
    let wanted = |n: &str| only.is_none_or(|o| o.iter().any(|w| w == n));
    let sub = std::iter::once(("sub", user.sub.as_str()));
    let rest = user
        .attributes
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()));
    attribute_list(sub.chain(rest).filter(|(n, _)| wanted(n)))
}

/// The `UserType` shape (AdminCreateUser, ListUsers, ListUsersInGroup).
pub fn user_type(user: &User, only: Option<&[String]>) -> Value {
    json!({
        "Username": user.username,
        "Attributes": user_attributes(user, only),
        "UserCreateDate": ts(user.created),
        "UserLastModifiedDate": ts(user.modified),
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    })
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

/// The `CodeDeliveryDetailsType` shape.
pub fn code_delivery_details(d: &CodeDeliveryDetails) -> Value {
    json!({
        "Destination": d.destination,
        "DeliveryMedium": d.medium,
        "AttributeName": d.attribute,
    })
}
