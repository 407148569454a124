//! User attributes: the standard schema, write validation, and the normalised keys the store
//! indexes for sign-in by username, alias or sub.

use std::collections::BTreeMap;

use crate::model::{AppClient, SchemaAttribute, User, UserKeys, UserPool};
use crate::{CognitoError, Result};

/// Cognito's standard attributes (besides `sub`) and their data types.
pub const STANDARD: &[(&str, &str)] = &[
    ("name", "String"),
    ("given_name", "String"),
    ("family_name", "String"),
    ("middle_name", "String"),
    ("nickname", "String"),
    ("preferred_username", "String"),
    ("profile", "String"),
    ("picture", "String"),
    ("website", "String"),
    ("email", "String"),
    ("email_verified", "Boolean"),
    ("gender", "String"),
    ("birthdate", "String"),
    ("zoneinfo", "String"),
    ("locale", "String"),
    ("phone_number", "String"),
    ("phone_number_verified", "Boolean"),
    ("address", "String"),
    ("updated_at", "Number"),
];

/// The schema of a new pool: `sub`, every standard attribute, then the caller's additions
/// (`custom` ones already prefixed with `custom:`), overriding standard entries by name.
pub fn default_schema(extra: Vec<SchemaAttribute>) -> Vec<SchemaAttribute> {
    let mut schema = vec![SchemaAttribute {
        name: "sub".into(),
        data_type: "String".into(),
        mutable: false,
        required: true,
        developer_only: false,
        min_length: Some(1),
        max_length: Some(2048),
        min_value: None,
        max_value: None,
    }];
    for (name, ty) in STANDARD {
        schema.push(SchemaAttribute {
            name: (*name).into(),
            data_type: (*ty).into(),
            mutable: true,
            required: false,
            developer_only: false,
            min_length: (*ty == "String").then_some(0),
            max_length: (*ty == "String").then_some(2048),
            min_value: None,
            max_value: None,
        });
    }
    for attr in extra {
        match schema.iter_mut().find(|a| a.name == attr.name) {
            Some(existing) => *existing = attr,
            None => schema.push(attr),
        }
    }
    schema
}

pub fn username_key(pool: &UserPool, username: &str) -> String {
    if pool.case_sensitive {
        username.to_owned()
    } else {
        username.to_lowercase()
    }
}

pub fn alias_key(attr: &str, value: &str) -> String {
    match attr {
        "phone_number" => value.to_owned(),
        _ => value.to_lowercase(),
    }
}

/// The keys under which the store must find this user.
pub fn user_keys(pool: &UserPool, user: &User) -> UserKeys {
    let mut aliases = BTreeMap::new();
    for attr in ["email", "phone_number", "preferred_username"] {
        let Some(value) = user.attr(attr) else {
            continue;
        };
        let as_username = pool.username_attributes.iter().any(|a| a == attr);
        let as_alias = pool.alias_attributes.iter().any(|a| a == attr)
            && (attr == "preferred_username" || user.attr_is_true(&format!("{attr}_verified")));
        if as_username || as_alias {
            aliases.insert(attr.to_owned(), alias_key(attr, value));
        }
    }
    UserKeys {
        username: username_key(pool, &user.username),
        aliases,
    }
}

/// Who is writing attributes: administrators may write developer-only attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    Admin,
    User,
}

fn schema_error(name: &str, what: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!(
        "Attributes did not conform to the schema: {name}: {what}"
    ))
}

/// Validates attribute writes against the schema. `creating` allows immutable attributes.
pub fn check_writes(
    pool: &UserPool,
    attrs: &[(String, String)],
    writer: Writer,
    creating: bool,
) -> Result<()> {
    for (name, value) in attrs {
        if name == "sub" {
            return Err(schema_error(name, "Attribute cannot be updated."));
        }
        let Some(def) = pool.schema_attribute(name) else {
            return Err(schema_error(
                name,
                "Attribute does not exist in the schema.",
            ));
        };
        if def.developer_only && writer == Writer::User {
            return Err(CognitoError::not_authorized(
                "A client attempted to write unauthorized attribute",
            ));
        }
        if !def.mutable && !creating {
            return Err(schema_error(
                name,
                "Attribute cannot be updated. (changing an immutable attribute)",
            ));
        }
        let len = value.chars().count() as u32;
        if def.max_length.is_some_and(|m| len > m) || def.min_length.is_some_and(|m| len < m) {
            return Err(schema_error(
                name,
                "String attribute length is out of bounds.",
            ));
        }
        match def.data_type.as_str() {
            "Number" => {
                let n: i64 = value
                    .parse()
                    .map_err(|_| schema_error(name, "Number attribute value is not a number."))?;
                if def.min_value.is_some_and(|m| n < m) || def.max_value.is_some_and(|m| n > m) {
                    return Err(schema_error(
                        name,
                        "Number attribute value is out of bounds.",
                    ));
                }
            }
            "Boolean" if value != "true" && value != "false" => {
                return Err(schema_error(
                    name,
                    "Boolean attribute value must be true or false.",
                ));
            }
            "DateTime" if value.is_empty() => {
                return Err(schema_error(name, "DateTime attribute value is empty."));
            }
            _ => {}
        }
        if name == "email" && !looks_like_email(value) {
            return Err(CognitoError::invalid_parameter(
                "Invalid email address format.",
            ));
        }
        if name == "phone_number" && !looks_like_phone(value) {
            return Err(CognitoError::invalid_parameter(
                "Invalid phone number format.",
            ));
        }
    }
    Ok(())
}

/// What a user may write through `client`: only attributes the client lists in its
/// WriteAttributes (all when it lists none), and never a `*_verified` flag (only verification
/// or an administrator sets those).
pub fn check_client_writes<'a>(
    client: &AppClient,
    names: impl IntoIterator<Item = &'a String>,
) -> Result<()> {
    for name in names {
        let listed =
            client.write_attributes.is_empty() || client.write_attributes.iter().any(|a| a == name);
        if name.ends_with("_verified") || !listed {
            return Err(CognitoError::not_authorized(
                "A client attempted to write unauthorized attribute",
            ));
        }
    }
    Ok(())
}

/// Which attributes may not be deleted: `sub`, required or immutable ones, and those the pool
/// uses as the username; names outside the schema are rejected too.
pub fn check_deletable(pool: &UserPool, names: &[String]) -> Result<()> {
    for name in names {
        let def = pool.schema_attribute(name);
        let protected = name == "sub"
            || def.is_some_and(|d| d.required || !d.mutable)
            || pool.username_attributes.iter().any(|a| a == name);
        if protected {
            return Err(CognitoError::invalid_parameter(format!(
                "Cannot delete required or immutable attribute {name}."
            )));
        }
        if def.is_none() {
            return Err(schema_error(
                name,
                "Attribute does not exist in the schema.",
            ));
        }
    }
    Ok(())
}

/// Deletes attributes; deleting email or phone number also deletes its `_verified` flag.
pub fn delete(user: &mut User, names: &[String]) {
    for name in names {
        user.attributes.remove(name);
        if name == "email" || name == "phone_number" {
            user.attributes.remove(&format!("{name}_verified"));
        }
    }
}

/// Required attributes of the schema that `attrs` lacks.
pub fn check_required(pool: &UserPool, attrs: &BTreeMap<String, String>) -> Result<()> {
    for def in pool.schema.iter().filter(|a| a.required && a.name != "sub") {
        if !attrs.contains_key(&def.name) {
            return Err(schema_error(&def.name, "The attribute is required"));
        }
    }
    Ok(())
}

pub fn looks_like_email(v: &str) -> bool {
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !v.chars().any(char::is_whitespace)
}

pub fn looks_like_phone(v: &str) -> bool {
    let digits = v.strip_prefix('+').unwrap_or("");
    (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

/// Applies writes; changing email or phone marks it unverified (`<attr>_verified = false`, as
/// Cognito shows it) unless the same request sets the flag (administrators may).
pub fn apply_writes(user: &mut User, attrs: &[(String, String)]) {
    for (name, value) in attrs {
        let old = user.attributes.insert(name.clone(), value.clone());
        if (name == "email" || name == "phone_number") && old.as_deref() != Some(value) {
            let flag = format!("{name}_verified");
            if !attrs.iter().any(|(n, _)| *n == flag) {
                user.attributes.insert(flag, "false".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_and_phone_shapes() {
        assert!(looks_like_email("a@b.co"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("ab.co"));
        assert!(looks_like_phone("+12065551212"));
        assert!(!looks_like_phone("12065551212"));
        assert!(!looks_like_phone("+1"));
    }
}
