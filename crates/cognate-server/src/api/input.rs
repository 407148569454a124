//! Reading a request body that already passed model validation. Accessors still return
//! errors rather than panicking: validation is the first line, not the only one.

use std::collections::BTreeMap;

use cognate_core::{CognitoError, Result};
use serde_json::{Map, Value};

#[derive(Clone, Copy)]
pub struct Input<'a>(&'a Map<String, Value>);

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> Input<'a> {
    pub fn new(v: &'a Value) -> Self {
        match v.as_object() {
            Some(m) => Self(m),
            None => Self(EMPTY.get_or_init(Map::new)),
        }
    }

    pub fn raw(&self) -> &'a Map<String, Value> {
        self.0
    }

    fn get(&self, k: &str) -> Option<&'a Value> {
        self.0.get(k).filter(|v| !v.is_null())
    }

    pub fn has(&self, k: &str) -> bool {
        self.get(k).is_some()
    }

    /// A required string member.
    pub fn str(&self, k: &str) -> Result<&'a str> {
        self.opt_str(k).ok_or_else(|| {
            CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
                lower_first(k)
            ))
        })
    }

    pub fn opt_str(&self, k: &str) -> Option<&'a str> {
        self.get(k).and_then(Value::as_str)
    }

    pub fn opt_bool(&self, k: &str) -> Option<bool> {
        self.get(k).and_then(Value::as_bool)
    }

    pub fn opt_i64(&self, k: &str) -> Option<i64> {
        self.get(k).and_then(Value::as_i64)
    }

    pub fn obj(&self, k: &str) -> Option<Input<'a>> {
        self.get(k).and_then(Value::as_object).map(Input)
    }

    pub fn list(&self, k: &str) -> Vec<Input<'a>> {
        self.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_object).map(Input).collect())
            .unwrap_or_default()
    }

    pub fn str_list(&self, k: &str) -> Vec<String> {
        self.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn opt_str_list(&self, k: &str) -> Option<Vec<String>> {
        self.get(k).map(|_| self.str_list(k))
    }

    pub fn str_map(&self, k: &str) -> BTreeMap<String, String> {
        self.get(k)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// An `AttributeListType` (`[{"Name": ..., "Value": ...}]`) as (name, value) pairs.
    pub fn attributes(&self, k: &str) -> Vec<(String, String)> {
        self.list(k)
            .into_iter()
            .filter_map(|a| {
                Some((
                    a.opt_str("Name")?.to_owned(),
                    a.opt_str("Value").unwrap_or("").to_owned(),
                ))
            })
            .collect()
    }

    /// The members named in `members` that the request has, kept verbatim (configuration
    /// Cognate stores and echoes). Anything else, such as a member the operation does not
    /// have, is left out, as Cognito ignores it.
    pub fn only(&self, members: &[&str]) -> Map<String, Value> {
        self.0
            .iter()
            .filter(|(k, v)| members.contains(&k.as_str()) && !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
