//! The ListUsers `Filter` grammar: `AttributeName Filter-Type "AttributeValue"`, where
//! Filter-Type is `=` (exact) or `^=` (prefix) and the value is double-quoted with `\"` and
//! `\\` escapes. Whitespace around the operator is optional. An empty filter matches everyone.

use crate::model::{User, UserPool};
use crate::service::common::attributes;
use crate::store::user_search::{self, SearchKey, SEARCHABLE_ATTRIBUTES as SEARCHABLE};
use crate::{CognitoError, Result};

/// What a filter compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The internal username; case sensitivity follows the pool.
    Username,
    /// `status`: `Enabled` or `Disabled` (case-sensitive).
    Enabled,
    /// `cognito:user_status`: `CONFIRMED`, `UNCONFIRMED`... (case-insensitive).
    UserStatus,
    Sub,
    /// One of the searchable standard attributes, compared exactly.
    Attribute(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Equals,
    Prefix,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub field: Field,
    pub op: Op,
    pub value: String,
}

fn parse_error() -> CognitoError {
    CognitoError::invalid_parameter("Error while parsing filter.")
}

fn field(name: &str) -> Option<Field> {
    match name {
        "username" => Some(Field::Username),
        "status" => Some(Field::Enabled),
        "cognito:user_status" => Some(Field::UserStatus),
        "sub" => Some(Field::Sub),
        other => SEARCHABLE
            .iter()
            .find(|a| **a == other)
            .map(|a| Field::Attribute(a)),
    }
}

/// Parses a filter; `Ok(None)` for an empty (or all-whitespace) one.
pub fn parse(input: &str) -> Result<Option<Filter>> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let name_end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .ok_or_else(parse_error)?;
    let (name, rest) = s.split_at(name_end);
    let rest = rest.trim_start();
    let (op, rest) = if let Some(r) = rest.strip_prefix("^=") {
        (Op::Prefix, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (Op::Equals, r)
    } else {
        return Err(parse_error());
    };
    let rest = rest.trim_start();
    let mut chars = rest.strip_prefix('"').ok_or_else(parse_error)?.chars();
    let mut value = String::new();
    loop {
        match chars.next() {
            None => return Err(parse_error()),
            Some('"') => break,
            Some('\\') => match chars.next() {
                Some(c @ ('"' | '\\')) => value.push(c),
                _ => return Err(parse_error()),
            },
            Some(c) => value.push(c),
        }
    }
    if !chars.as_str().trim().is_empty() {
        return Err(parse_error());
    }
    let field = field(name).ok_or_else(parse_error)?;
    Ok(Some(Filter { field, op, value }))
}

impl Filter {
    pub fn matches(&self, pool: &UserPool, user: &User) -> bool {
        match self.field {
            Field::Username => self.compare(
                &attributes::username_key(pool, &user.username),
                &attributes::username_key(pool, &self.value),
            ),
            Field::Enabled => self.compare(
                if user.enabled { "Enabled" } else { "Disabled" },
                &self.value,
            ),
            Field::UserStatus => self.compare(
                &user_search::user_status_key(user.status.as_str()),
                &user_search::user_status_key(&self.value),
            ),
            Field::Sub => self.compare(&user.sub, &self.value),
            Field::Attribute(name) => user
                .attr(name)
                .is_some_and(|actual| self.compare(actual, &self.value)),
        }
    }

    /// Where the search index holds the users this filter may match: the index attribute and
    /// the key to look up, normalised as [`Filter::matches`] compares (every match is found;
    /// the caller still checks each candidate with `matches`).
    pub fn search_key(&self, pool: &UserPool) -> (&'static str, SearchKey) {
        let (attribute, value) = match self.field {
            Field::Username => (
                user_search::USERNAME,
                attributes::username_key(pool, &self.value),
            ),
            Field::Enabled => (user_search::STATUS, self.value.clone()),
            Field::UserStatus => (
                user_search::USER_STATUS,
                user_search::user_status_key(&self.value),
            ),
            Field::Sub => (user_search::SUB, self.value.clone()),
            Field::Attribute(name) => (name, self.value.clone()),
        };
        let key = user_search::value_key(&value);
        match self.op {
            Op::Equals => (attribute, SearchKey::Exact(key)),
            Op::Prefix => (attribute, SearchKey::Prefix(key)),
        }
    }

    fn compare(&self, actual: &str, wanted: &str) -> bool {
        match self.op {
            Op::Equals => actual == wanted,
            Op::Prefix => actual.starts_with(wanted),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Filter {
        match parse(s) {
            Ok(Some(f)) => f,
            other => panic!("{s:?} -> {other:?}"),
        }
    }

    #[test]
    fn parses_exact_and_prefix() {
        assert_eq!(
            ok(r#"email = "a@b.co""#),
            Filter {
                field: Field::Attribute("email"),
                op: Op::Equals,
                value: "a@b.co".into()
            }
        );
        let f = ok(r#"given_name ^= "Jo""#);
        assert_eq!(
            (f.field, f.op, f.value.as_str()),
            (Field::Attribute("given_name"), Op::Prefix, "Jo")
        );
    }

    #[test]
    fn whitespace_is_optional_and_trimmed() {
        assert_eq!(ok(r#"name="x""#).value, "x");
        assert_eq!(ok(r#"  name^="x"  "#).op, Op::Prefix);
        assert_eq!(ok(r#"name = "two words ""#).value, "two words ");
    }

    #[test]
    fn special_fields() {
        assert_eq!(ok(r#"username = "a""#).field, Field::Username);
        assert_eq!(ok(r#"status = "Enabled""#).field, Field::Enabled);
        assert_eq!(
            ok(r#"cognito:user_status = "CONFIRMED""#).field,
            Field::UserStatus
        );
        assert_eq!(ok(r#"sub = "x""#).field, Field::Sub);
    }

    #[test]
    fn escapes() {
        assert_eq!(ok(r#"family_name = "O\"Brien""#).value, "O\"Brien");
        assert_eq!(ok(r#"name = "back\\slash""#).value, "back\\slash");
        assert_eq!(ok(r#"name = """#).value, "");
    }

    #[test]
    fn empty_filter_is_none() {
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("   "), Ok(None));
    }

    #[test]
    fn malformed_filters_are_rejected() {
        for bad in [
            "email",
            "email =",
            "email = alice@example.com",
            r#"email ~ "a""#,
            r#"email == "a""#,
            r#"email = "unterminated"#,
            r#"email = "a" and name = "b""#,
            r#"email = "a" x"#,
            r#"name = "bad\escape""#,
            r#"custom:plan = "x""#,
            r#"address = "x""#,
            r#"= "x""#,
            r#""email" = "x""#,
        ] {
            let e = parse(bad).expect_err(bad);
            assert_eq!(e.message, "Error while parsing filter.", "{bad}");
            assert_eq!(e.kind, crate::ErrorKind::InvalidParameter);
        }
    }
}
