//! User attributes: who may write and read which, write validation against the pool schema,
//! and the normalised keys the store indexes for sign-in by username, alias or sub.

use std::collections::BTreeMap;

use crate::model::{AppClient, User, UserKeys, UserPool};
use crate::service::common::attribute_values;
use crate::{CognitoError, Result};

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

/// Cognito's "Attributes did not conform to the schema" error, one `name: problem` line per
/// attribute (each line ends with a newline, as Cognito's do).
pub fn conformance_error(lines: &[String]) -> CognitoError {
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    CognitoError::invalid_parameter(format!("Attributes did not conform to the schema: {body}"))
}

fn cannot_update(name: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!("user.{name}: Attribute cannot be updated."))
}

/// Validates attribute writes against the schema: the attribute must exist, users cannot write
/// developer-only attributes, immutable ones (and `sub`) are written only when the user is
/// created (`creating`), and each value must fit its type and constraints. A blank value in an
/// update deletes the attribute, so it must be deletable; on creation it is ignored.
pub fn check_writes(
    pool: &UserPool,
    attrs: &[(String, String)],
    writer: Writer,
    creating: bool,
) -> Result<()> {
    let mut lines = Vec::new();
    for (name, value) in attrs {
        let Some(def) = pool.schema_attribute(name) else {
            lines.push(format!("{name}: Attribute does not exist in the schema."));
            continue;
        };
        if def.developer_only && writer == Writer::User {
            return Err(CognitoError::not_authorized(
                "A client attempted to write unauthorized attribute",
            ));
        }
        if name == "sub" || (!def.mutable && !creating) {
            return Err(cannot_update(name));
        }
        if value.is_empty() {
            if !creating && (def.required || pool.username_attributes.contains(name)) {
                lines.push(format!("{name}: the attribute is required"));
            }
            continue;
        }
        if let Some(problem) = attribute_values::problem(def, value) {
            lines.push(format!("{name}: {problem}"));
            continue;
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
    if lines.is_empty() {
        Ok(())
    } else {
        Err(conformance_error(&lines))
    }
}

/// The attributes a new user is created with: the writes without blank values.
pub fn initial_values(attrs: &[(String, String)]) -> BTreeMap<String, String> {
    attrs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .cloned()
        .collect()
}

/// Whether `client` may read `name`: all attributes when it lists no ReadAttributes, else the
/// listed ones. `sub` is always readable.
pub fn can_read(client: &AppClient, name: &str) -> bool {
    name == "sub"
        || client.read_attributes.is_empty()
        || client.read_attributes.iter().any(|a| a == name)
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
            return Err(conformance_error(&[format!(
                "{name}: Attribute does not exist in the schema."
            )]));
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

/// Required attributes of the schema (besides `sub`) that `attrs` lacks, in schema order.
pub fn missing_required<'a>(pool: &'a UserPool, attrs: &BTreeMap<String, String>) -> Vec<&'a str> {
    pool.schema
        .iter()
        .filter(|a| a.required && a.name != "sub" && !attrs.contains_key(&a.name))
        .map(|a| a.name.as_str())
        .collect()
}

/// SignUp: every required attribute must have a value.
pub fn check_required(pool: &UserPool, attrs: &BTreeMap<String, String>) -> Result<()> {
    match missing_required(pool, attrs).first() {
        Some(name) => Err(CognitoError::invalid_parameter(format!(
            "Attributes did not conform to the schema: {name}: the attribute is required"
        ))),
        None => Ok(()),
    }
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

/// Applies writes; a blank value deletes the attribute (as Cognito does). Changing email or
/// phone marks it unverified (`<attr>_verified = false`, as Cognito shows it) unless the same
/// request sets the flag (administrators may).
pub fn apply_writes(user: &mut User, attrs: &[(String, String)]) {
    for (name, value) in attrs {
        if value.is_empty() {
            delete(user, std::slice::from_ref(name));
            continue;
        }
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
