//! The Cognito User Pools service model (trimmed botocore `cognito-idp` model) and request
//! validation against it.
//!
//! The model is embedded at compile time and parsed once on first use. [`ServiceModel`]
//! answers questions about operations (names, errors, whether they are unsigned) and
//! validates request bodies the way the AWS JSON 1.1 front end does:
//!
//! * JSON type mismatches become [`InputError::Serialization`] (`SerializationException`).
//! * Constraint violations (required, length, range, enum, pattern) are all collected and
//!   reported as one [`InputError::InvalidParameter`] message with AWS's wording, e.g.
//!   `1 validation error detected: Value 'abc' at 'userPoolId' failed to satisfy constraint:
//!   Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`.
//!
//! The model's patterns are Java regular expressions; they are translated to the `regex`
//! crate's syntax (Java's ASCII-only `\w`, `\d`, `\s`, Java's `.`, literal `-` after a range,
//! the one lookbehind) and anchored so that they must match the whole value.

use regex::Regex;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The trimmed service model (written by `scripts/trim-model.py`). Adjust this path when the
/// file moves: it is relative to this source file.
const MODEL_JSON: &str = include_str!("../../../model/service-model.json");

/// Auth trait value that marks an operation as callable without SigV4 signing.
const NO_AUTH: &str = "smithy.api#noAuth";

/// Deepest nesting of shapes followed while validating (the model is not recursive; this
/// only guards against a future recursive model).
const MAX_DEPTH: usize = 64;

/// Deepest nesting rendered when echoing a list or map value in a message.
const MAX_RENDER_DEPTH: usize = 8;

/// Patterns that cannot be translated mechanically (lookbehind), with a hand-written
/// equivalent: Java pattern -> `regex` crate pattern (unanchored; anchoring is added later).
const PATTERN_OVERRIDES: &[(&str, &str)] = &[
    (
        // "any run of [0-9A-Za-z.-_], not ending with a dot"
        r"^[0-9A-Za-z\.\-_]*(?<!\.)$",
        r"(?:[0-9A-Za-z.\-_]*[0-9A-Za-z\-_])?",
    ),
    (
        // DomainType: the model allows a prefix only, but Cognito takes custom domains
        // (`auth.example.com`) in the same member; dotted labels are accepted.
        r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$",
        r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)*",
    ),
];

/// Why a request body was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The body does not have the JSON shape the operation expects (AWS
    /// `SerializationException`).
    Serialization(String),
    /// One or more members violate the model's constraints (Cognito reports these as
    /// `InvalidParameterException`). The message lists every violation.
    InvalidParameter(String),
}

/// The parsed service model. Obtain it with [`ServiceModel::get`].
pub struct ServiceModel {
    operations: BTreeMap<String, Operation>,
    shapes: Vec<Shape>,
    patterns: Vec<Pattern>,
}

struct Operation {
    input: Option<usize>,
    errors: Vec<String>,
    unsigned: bool,
}

struct Shape {
    kind: Kind,
    min: Option<i64>,
    max: Option<i64>,
    pattern: Option<usize>,
    enum_values: Option<Vec<String>>,
    sensitive: bool,
}

enum Kind {
    Structure {
        /// (member name, target shape), sorted by member name.
        members: Vec<(String, usize)>,
        required: Vec<String>,
    },
    /// A free-form document: any JSON is accepted.
    Document,
    List(usize),
    Map {
        key: usize,
        value: usize,
    },
    String,
    Integer,
    Long,
    Boolean,
    Timestamp,
    Blob,
    /// A type this validator does not know (or a dangling reference): accept anything.
    Any,
}

struct Pattern {
    /// The pattern as written in the model (and echoed in messages).
    java: String,
    /// The anchored `regex`-crate translation, or why it could not be translated.
    translated: Result<String, String>,
    /// Whether the translation had to change the meaning-bearing syntax (reported by the
    /// tests).
    #[cfg_attr(not(test), allow(dead_code))]
    rewritten: bool,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| match &self.translated {
                Ok(src) => regex::RegexBuilder::new(src)
                    .size_limit(64 << 20)
                    .build()
                    .ok(),
                Err(_) => None,
            })
            .as_ref()
    }
}

impl ServiceModel {
    /// The embedded model, parsed on first use.
    pub fn get() -> &'static ServiceModel {
        static MODEL: OnceLock<ServiceModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            // The embedded model is part of the build; a malformed one is a build defect
            // (caught by the unit tests), never something a request can cause. Fall back to
            // an empty model rather than panicking.
            serde_json::from_str::<Value>(MODEL_JSON)
                .map(|v| Self::from_json(&v))
                .unwrap_or_else(|_| Self::from_json(&Value::Null))
        })
    }

    /// All operation names, sorted.
    pub fn operation_names(&self) -> Vec<&str> {
        self.operations.keys().map(String::as_str).collect()
    }

    /// Whether `op` is an operation of the service.
    pub fn has_operation(&self, op: &str) -> bool {
        self.operations.contains_key(op)
    }

    /// Whether `op` is callable without SigV4 signing (its auth list contains
    /// `smithy.api#noAuth`). False for unknown operations.
    pub fn is_unsigned(&self, op: &str) -> bool {
        self.operations.get(op).is_some_and(|o| o.unsigned)
    }

    /// The error shape names `op` may return, in model order. Empty for unknown operations.
    pub fn operation_errors(&self, op: &str) -> Vec<&str> {
        self.operations
            .get(op)
            .map(|o| o.errors.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Validates the request body of `op` against its input shape.
    ///
    /// Unknown operations and operations without an input shape are accepted (telling an
    /// unknown operation apart is the caller's job, see [`ServiceModel::has_operation`]).
    /// A `null` body is treated as `{}`; a `null` member is treated as absent.
    pub fn validate_input(&self, op: &str, input: &Value) -> Result<(), InputError> {
        let Some(shape) = self.operations.get(op).and_then(|o| o.input) else {
            return Ok(());
        };
        let empty = Value::Object(Map::new());
        let body = if input.is_null() { &empty } else { input };
        let mut violations = Vec::new();
        self.check(shape, body, "", false, 0, &mut violations)
            .map_err(InputError::Serialization)?;
        if violations.is_empty() {
            return Ok(());
        }
        let n = violations.len();
        Err(InputError::InvalidParameter(format!(
            "{n} validation error{} detected: {}",
            if n == 1 { "" } else { "s" },
            violations.join("; ")
        )))
    }

    // ----------------------------------------------------------------------------------
    // Loading
    // ----------------------------------------------------------------------------------

    fn shape(&self, idx: usize) -> Option<&Shape> {
        self.shapes.get(idx)
    }

    // ----------------------------------------------------------------------------------
    // Validation
    // ----------------------------------------------------------------------------------

    /// Checks `value` (never `null`) against shape `idx` at `path`. Type mismatches abort
    /// with `Err(message)`; constraint violations are appended to `out`.
    fn check(
        &self,
        idx: usize,
        value: &Value,
        path: &str,
        sensitive: bool,
        depth: usize,
        out: &mut Vec<String>,
    ) -> Result<(), String> {
        let Some(shape) = self.shape(idx) else {
            return Ok(());
        };
        if depth > MAX_DEPTH {
            return Err("Request structure is nested too deeply.".to_owned());
        }
        let sensitive = sensitive || shape.sensitive;
        match &shape.kind {
            Kind::Any | Kind::Document => Ok(()),
            Kind::Structure { members, required } => {
                let obj = expect_object(value, "a Structure")?;
                for name in required {
                    if obj.get(name).is_none_or(Value::is_null) {
                        out.push(format!(
                            "Value null at '{}' failed to satisfy constraint: Member must not be null",
                            join(path, &member_path_name(name))
                        ));
                    }
                }
                for (name, target) in members {
                    if let Some(v) = obj.get(name).filter(|v| !v.is_null()) {
                        let p = join(path, &member_path_name(name));
                        self.check(*target, v, &p, sensitive, depth + 1, out)?;
                    }
                }
                Ok(())
            }
            Kind::List(member) => {
                let Value::Array(items) = value else {
                    return Err(mismatch(value, "a List"));
                };
                self.check_own(shape, value, items.len(), path, sensitive, out);
                let member = *member;
                if self.is_scalar(member) {
                    let mut failed = false;
                    for item in items.iter().filter(|v| !v.is_null()) {
                        failed |= !self.scalar_ok(member, item)?;
                    }
                    if failed {
                        self.push_aggregate(value, path, sensitive, member, "Member", out);
                    }
                } else {
                    for (i, item) in items.iter().enumerate().filter(|(_, v)| !v.is_null()) {
                        let p = format!("{}.{}.member", path, i + 1);
                        self.check(member, item, &p, sensitive, depth + 1, out)?;
                    }
                }
                Ok(())
            }
            Kind::Map { key, value: vshape } => {
                let obj = expect_object(value, "a Map")?;
                self.check_own(shape, value, obj.len(), path, sensitive, out);
                let key_fails = obj
                    .keys()
                    .any(|k| !self.string_ok(*key, &Value::String(k.clone())));
                if key_fails {
                    self.push_aggregate(value, path, sensitive, *key, "Map keys", out);
                }
                if self.is_scalar(*vshape) {
                    let mut failed = false;
                    for v in obj.values().filter(|v| !v.is_null()) {
                        failed |= !self.scalar_ok(*vshape, v)?;
                    }
                    if failed {
                        self.push_aggregate(value, path, sensitive, *vshape, "Map value", out);
                    }
                } else {
                    for (k, v) in obj.iter().filter(|(_, v)| !v.is_null()) {
                        let p = join(path, k);
                        self.check(*vshape, v, &p, sensitive, depth + 1, out)?;
                    }
                }
                Ok(())
            }
            Kind::String => {
                let Value::String(s) = value else {
                    return Err(mismatch(value, "a String"));
                };
                self.check_own(shape, value, s.chars().count(), path, sensitive, out);
                Ok(())
            }
            Kind::Blob => {
                let len = blob_len(value)?;
                self.check_own(shape, value, len, path, sensitive, out);
                Ok(())
            }
            Kind::Integer | Kind::Long => {
                let n = integer_value(value, matches!(shape.kind, Kind::Long))?;
                self.check_range(shape, value, n, path, sensitive, out);
                Ok(())
            }
            Kind::Boolean => match value {
                Value::Bool(_) => Ok(()),
                _ => Err(mismatch(value, "a Boolean")),
            },
            Kind::Timestamp => match value {
                Value::Number(_) | Value::String(_) => Ok(()),
                _ => Err(mismatch(value, "a Timestamp")),
            },
        }
    }

    /// Enum, pattern and length constraints of `shape` on `value` (whose length is `len`).
    fn check_own(
        &self,
        shape: &Shape,
        value: &Value,
        len: usize,
        path: &str,
        sensitive: bool,
        out: &mut Vec<String>,
    ) {
        let mut fail = |constraint: String| {
            out.push(format!(
                "{} at '{}' failed to satisfy constraint: {}",
                describe(value, sensitive),
                path,
                constraint
            ));
        };
        if let (Some(allowed), Value::String(s)) = (&shape.enum_values, value) {
            if !allowed.iter().any(|a| a == s) {
                fail(enum_constraint(allowed));
            }
        }
        if let (Some(p), Value::String(s)) = (shape.pattern, value) {
            if let Some(pattern) = self.patterns.get(p) {
                if pattern.regex().is_some_and(|re| !re.is_match(s)) {
                    fail(pattern_constraint(&pattern.java));
                }
            }
        }
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        if let Some(min) = shape.min.filter(|&m| len < m) {
            fail(format!(
                "Member must have length greater than or equal to {min}"
            ));
        }
        if let Some(max) = shape.max.filter(|&m| len > m) {
            fail(format!(
                "Member must have length less than or equal to {max}"
            ));
        }
    }

    /// Range constraints of an integer/long shape.
    fn check_range(
        &self,
        shape: &Shape,
        value: &Value,
        n: i64,
        path: &str,
        sensitive: bool,
        out: &mut Vec<String>,
    ) {
        let mut fail = |constraint: String| {
            out.push(format!(
                "{} at '{}' failed to satisfy constraint: {}",
                describe(value, sensitive),
                path,
                constraint
            ));
        };
        if let Some(min) = shape.min.filter(|&m| n < m) {
            fail(format!(
                "Member must have value greater than or equal to {min}"
            ));
        }
        if let Some(max) = shape.max.filter(|&m| n > m) {
            fail(format!(
                "Member must have value less than or equal to {max}"
            ));
        }
    }

    /// Whether shape `idx` is a scalar (list elements / map values of scalar shapes are
    /// reported as one aggregated violation for the whole collection, as AWS does).
    fn is_scalar(&self, idx: usize) -> bool {
        self.shape(idx).is_some_and(|s| {
            matches!(
                s.kind,
                Kind::String
                    | Kind::Integer
                    | Kind::Long
                    | Kind::Boolean
                    | Kind::Timestamp
                    | Kind::Blob
            )
        })
    }

    /// Type-checks a scalar `value` against shape `idx` (Err on mismatch) and tells whether it
    /// satisfies the shape's constraints.
    fn scalar_ok(&self, idx: usize, value: &Value) -> Result<bool, String> {
        let mut scratch = Vec::new();
        self.check(idx, value, "", false, 0, &mut scratch)?;
        Ok(scratch.is_empty())
    }

    /// Whether a string (a map key) satisfies the constraints of shape `idx`.
    fn string_ok(&self, idx: usize, value: &Value) -> bool {
        self.scalar_ok(idx, value).unwrap_or(false)
    }

    /// AWS's aggregated form for collections of scalars:
    /// `Value '[a, b]' at 'p' failed to satisfy constraint: Member must satisfy constraint:
    /// [<every constraint of the element shape>]`.
    fn push_aggregate(
        &self,
        value: &Value,
        path: &str,
        sensitive: bool,
        element: usize,
        what: &str,
        out: &mut Vec<String>,
    ) {
        let Some(el) = self.shape(element) else {
            return;
        };
        let sensitive = sensitive || el.sensitive;
        let numeric = matches!(el.kind, Kind::Integer | Kind::Long);
        let mut constraints = Vec::new();
        let unit = if numeric { "value" } else { "length" };
        if let Some(max) = el.max {
            constraints.push(format!(
                "Member must have {unit} less than or equal to {max}"
            ));
        }
        if let Some(min) = el.min {
            constraints.push(format!(
                "Member must have {unit} greater than or equal to {min}"
            ));
        }
        if let Some(p) = el.pattern.and_then(|p| self.patterns.get(p)) {
            constraints.push(pattern_constraint(&p.java));
        }
        if let Some(allowed) = &el.enum_values {
            constraints.push(enum_constraint(allowed));
        }
        out.push(format!(
            "{} at '{}' failed to satisfy constraint: {} must satisfy constraint: [{}]",
            describe(value, sensitive),
            path,
            what,
            constraints.join(", ")
        ));
    }
}

mod format;
mod load;
mod pattern;
#[cfg(test)]
mod tests;

use format::*;
use pattern::*;
