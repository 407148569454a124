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
const MODEL_JSON: &str = include_str!("../../model/service-model.json");

/// Auth trait value that marks an operation as callable without SigV4 signing.
const NO_AUTH: &str = "smithy.api#noAuth";

/// Deepest nesting of shapes followed while validating (the model is not recursive; this
/// only guards against a future recursive model).
const MAX_DEPTH: usize = 64;

/// Deepest nesting rendered when echoing a list or map value in a message.
const MAX_RENDER_DEPTH: usize = 8;

/// Patterns that cannot be translated mechanically (lookbehind), with a hand-written
/// equivalent: Java pattern -> `regex` crate pattern (unanchored; anchoring is added later).
const PATTERN_OVERRIDES: &[(&str, &str)] = &[(
    // "any run of [0-9A-Za-z.-_], not ending with a dot"
    r"^[0-9A-Za-z\.\-_]*(?<!\.)$",
    r"(?:[0-9A-Za-z.\-_]*[0-9A-Za-z\-_])?",
)];

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

    fn from_json(model: &Value) -> ServiceModel {
        let empty = Map::new();
        let shapes_json = model
            .get("shapes")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let index: HashMap<&str, usize> = shapes_json
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let target = |r: Option<&Value>| -> Option<usize> {
            r.and_then(|r| r.get("shape"))
                .and_then(Value::as_str)
                .and_then(|n| index.get(n).copied())
        };

        let mut patterns: Vec<Pattern> = Vec::new();
        let mut pattern_index: HashMap<String, usize> = HashMap::new();
        // Shapes referring to unknown shapes point at this extra `Any` shape.
        let any = shapes_json.len();
        let mut shapes = Vec::with_capacity(any + 1);
        for s in shapes_json.values() {
            let kind = match s.get("type").and_then(Value::as_str).unwrap_or("") {
                "structure" if s.get("document").and_then(Value::as_bool) == Some(true) => {
                    Kind::Document
                }
                "structure" => {
                    let members = s
                        .get("members")
                        .and_then(Value::as_object)
                        .map(|m| {
                            m.iter()
                                .map(|(name, r)| (name.clone(), target(Some(r)).unwrap_or(any)))
                                .collect()
                        })
                        .unwrap_or_default();
                    let required = s
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| {
                            r.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default();
                    Kind::Structure { members, required }
                }
                "list" => Kind::List(target(s.get("member")).unwrap_or(any)),
                "map" => Kind::Map {
                    key: target(s.get("key")).unwrap_or(any),
                    value: target(s.get("value")).unwrap_or(any),
                },
                "string" => Kind::String,
                "integer" => Kind::Integer,
                "long" => Kind::Long,
                "boolean" => Kind::Boolean,
                "timestamp" => Kind::Timestamp,
                "blob" => Kind::Blob,
                _ => Kind::Any,
            };
            let bound = |k: &str| {
                s.get(k)
                    .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
            };
            let pattern = s.get("pattern").and_then(Value::as_str).map(|p| {
                *pattern_index.entry(p.to_owned()).or_insert_with(|| {
                    let (translated, rewritten) = match translate_pattern(p) {
                        Ok((t, rewritten)) => (Ok(t), rewritten),
                        Err(e) => (Err(e), true),
                    };
                    patterns.push(Pattern {
                        java: p.to_owned(),
                        translated,
                        rewritten,
                        compiled: OnceLock::new(),
                    });
                    patterns.len() - 1
                })
            });
            shapes.push(Shape {
                kind,
                min: bound("min"),
                max: bound("max"),
                pattern,
                enum_values: s.get("enum").and_then(Value::as_array).map(|e| {
                    e.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                }),
                sensitive: s.get("sensitive").and_then(Value::as_bool) == Some(true),
            });
        }
        shapes.push(Shape {
            kind: Kind::Any,
            min: None,
            max: None,
            pattern: None,
            enum_values: None,
            sensitive: false,
        });

        let operations = model
            .get("operations")
            .and_then(Value::as_object)
            .map(|ops| {
                ops.iter()
                    .map(|(name, o)| {
                        let errors = o
                            .get("errors")
                            .and_then(Value::as_array)
                            .map(|e| {
                                e.iter()
                                    .filter_map(|r| r.get("shape").and_then(Value::as_str))
                                    .map(str::to_owned)
                                    .collect()
                            })
                            .unwrap_or_default();
                        let unsigned = o
                            .get("auth")
                            .and_then(Value::as_array)
                            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(NO_AUTH)));
                        let op = Operation {
                            input: target(o.get("input")),
                            errors,
                            unsigned,
                        };
                        (name.clone(), op)
                    })
                    .collect()
            })
            .unwrap_or_default();

        ServiceModel {
            operations,
            shapes,
            patterns,
        }
    }

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

// --------------------------------------------------------------------------------------
// Helpers for validation
// --------------------------------------------------------------------------------------

/// `AuthFlow` -> `authFlow`, `MFAOptions` -> `mFAOptions` (AWS lower-cases the first letter).
fn member_path_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn enum_constraint(allowed: &[String]) -> String {
    format!(
        "Member must satisfy enum value set: [{}]",
        allowed.join(", ")
    )
}

fn pattern_constraint(java: &str) -> String {
    format!("Member must satisfy regular expression pattern: {java}")
}

/// `Value 'x'` (or `Value` alone for sensitive values).
fn describe(value: &Value, sensitive: bool) -> String {
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
fn render(value: &Value, depth: usize, out: &mut String) {
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
fn mismatch(value: &Value, expected: &str) -> String {
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

fn expect_object<'a>(value: &'a Value, expected: &str) -> Result<&'a Map<String, Value>, String> {
    match value {
        Value::Object(obj) => Ok(obj),
        _ => Err(mismatch(value, expected)),
    }
}

/// An integer member: a JSON number with no fractional part within the Java type's range.
fn integer_value(value: &Value, long: bool) -> Result<i64, String> {
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
fn blob_len(value: &Value) -> Result<usize, String> {
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

// --------------------------------------------------------------------------------------
// Java regex -> regex crate
// --------------------------------------------------------------------------------------

/// Java's `\s` (ASCII whitespace), as class items.
const JAVA_SPACE: &str = r"\t\n\x0B\x0C\r ";
/// Java's `.` without DOTALL: anything but a line terminator.
const JAVA_DOT: &str = r"[^\n\r\x{85}\x{2028}\x{2029}]";

/// Translates a Java pattern to an anchored `regex`-crate pattern. Returns the translation
/// and whether its meaning-bearing syntax had to be rewritten (as opposed to only anchored
/// and re-escaped).
fn translate_pattern(java: &str) -> Result<(String, bool), String> {
    if let Some((_, rust)) = PATTERN_OVERRIDES.iter().find(|(j, _)| *j == java) {
        return Ok((format!("^(?:{rust})$"), true));
    }
    let mut t = Translator {
        chars: java.chars().collect(),
        pos: 0,
        out: String::with_capacity(java.len() * 2),
        dotall: false,
        rewritten: false,
    };
    t.run()?;
    Ok((format!("^(?:{})$", t.out), t.rewritten))
}

struct Translator {
    chars: Vec<char>,
    pos: usize,
    out: String,
    dotall: bool,
    rewritten: bool,
}

/// One parsed item inside a character class.
enum ClassItem {
    Char(char),
    /// Already-translated text (a nested class, `\p{..}`, a shorthand class).
    Set(String),
}

impl Translator {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn next(&mut self) -> Result<char, String> {
        let c = self.peek(0).ok_or("unexpected end of pattern")?;
        self.pos += 1;
        Ok(c)
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                '\\' => {
                    let item = self.escape(false)?;
                    self.push_outside(item);
                }
                '[' => {
                    let class = self.class()?;
                    self.out.push_str(&class);
                }
                '.' => {
                    if self.dotall {
                        self.out.push_str("(?s:.)");
                    } else {
                        self.out.push_str(JAVA_DOT);
                        self.rewritten = true;
                    }
                }
                '(' => self.group()?,
                '*' | '+' | '?' | '}' => {
                    self.out.push(c);
                    if self.peek(0) == Some('+') {
                        // Possessive quantifier: not supported; the greedy form accepts the
                        // same whole-string matches for the model's patterns.
                        self.pos += 1;
                        self.rewritten = true;
                    }
                }
                _ => self.out.push(c),
            }
        }
        Ok(())
    }

    fn push_outside(&mut self, item: ClassItem) {
        match item {
            ClassItem::Char(c) => self
                .out
                .push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            ClassItem::Set(s) => self.out.push_str(&s),
        }
    }

    /// After `(`: groups and inline flags.
    fn group(&mut self) -> Result<(), String> {
        if self.peek(0) != Some('?') {
            self.out.push('(');
            return Ok(());
        }
        match (self.peek(1), self.peek(2)) {
            (Some(':'), _) => {
                self.pos += 2;
                self.out.push_str("(?:");
                Ok(())
            }
            (Some('='), _) | (Some('!'), _) | (Some('>'), _) => {
                Err("lookahead/atomic groups are not supported".to_owned())
            }
            (Some('<'), Some('=')) | (Some('<'), Some('!')) => {
                Err("lookbehind is not supported".to_owned())
            }
            (Some('<'), _) => {
                // Named group: same syntax.
                self.pos += 2;
                self.out.push_str("(?<");
                Ok(())
            }
            _ => {
                // Inline flags `(?flags)` or `(?flags:`.
                self.pos += 1;
                let mut flags = String::new();
                while let Some(c) = self.peek(0) {
                    if c == ')' || c == ':' {
                        break;
                    }
                    if !(c.is_ascii_alphabetic() || c == '-') {
                        return Err(format!("unsupported group syntax near {c:?}"));
                    }
                    flags.push(c);
                    self.pos += 1;
                }
                let end = self.next()?;
                if let Some(on) = flags.split('-').next() {
                    if on.contains('s') && end == ')' {
                        self.dotall = true;
                    }
                }
                if flags.split('-').nth(1).is_some_and(|off| off.contains('s')) && end == ')' {
                    self.dotall = false;
                }
                // Java-only flags (d, u, U, x with Java semantics) are rejected by the
                // regex crate, which surfaces as a compile failure.
                let _ = write!(self.out, "(?{flags}{end}");
                Ok(())
            }
        }
    }

    /// After a `\`: a literal character or a class-like escape.
    fn escape(&mut self, in_class: bool) -> Result<ClassItem, String> {
        let c = self.next()?;
        let negated = |body: &str| format!("[^{body}]");
        let set = |body: &str| format!("[{body}]");
        Ok(match c {
            'w' | 'W' | 'd' | 'D' | 's' | 'S' => {
                // Java's shorthands are ASCII-only (without UNICODE_CHARACTER_CLASS).
                self.rewritten = true;
                let body = match c.to_ascii_lowercase() {
                    'w' => "0-9A-Za-z_",
                    'd' => "0-9",
                    _ => JAVA_SPACE,
                };
                ClassItem::Set(if c.is_ascii_uppercase() {
                    negated(body)
                } else {
                    set(body)
                })
            }
            'p' | 'P' => {
                let mut s = format!("\\{c}");
                match self.next()? {
                    '{' => {
                        s.push('{');
                        loop {
                            let d = self.next()?;
                            s.push(d);
                            if d == '}' {
                                break;
                            }
                        }
                    }
                    d => s.push(d),
                }
                ClassItem::Set(s)
            }
            'b' | 'B' | 'A' | 'z' if !in_class => ClassItem::Set(format!("\\{c}")),
            't' => ClassItem::Char('\t'),
            'n' => ClassItem::Char('\n'),
            'r' => ClassItem::Char('\r'),
            'f' => ClassItem::Char('\x0C'),
            'a' => ClassItem::Char('\x07'),
            'e' => ClassItem::Char('\x1B'),
            'x' => {
                let hex: String = if self.peek(0) == Some('{') {
                    self.pos += 1;
                    let mut h = String::new();
                    loop {
                        match self.next()? {
                            '}' => break,
                            d => h.push(d),
                        }
                    }
                    h
                } else {
                    let a = self.next()?;
                    let b = self.next()?;
                    [a, b].iter().collect()
                };
                ClassItem::Char(parse_hex_char(&hex)?)
            }
            'u' => {
                let mut h = String::new();
                for _ in 0..4 {
                    h.push(self.next()?);
                }
                ClassItem::Char(parse_hex_char(&h)?)
            }
            c if c.is_ascii_alphanumeric() => {
                return Err(format!("unsupported escape \\{c}"));
            }
            c => ClassItem::Char(c),
        })
    }

    /// After `[`: a character class, returned translated (including brackets).
    fn class(&mut self) -> Result<String, String> {
        let mut out = String::from("[");
        if self.peek(0) == Some('^') {
            self.pos += 1;
            out.push('^');
        }
        let mut first = true;
        loop {
            let c = self.next()?;
            match c {
                ']' if !first => break,
                '[' => {
                    let nested = self.class()?;
                    out.push_str(&nested);
                }
                '&' if self.peek(0) == Some('&') => {
                    self.pos += 1;
                    out.push_str("&&");
                }
                _ => {
                    let lo = if c == '\\' {
                        self.escape(true)?
                    } else {
                        ClassItem::Char(c)
                    };
                    let lo = match lo {
                        ClassItem::Set(s) => {
                            out.push_str(&s);
                            first = false;
                            continue;
                        }
                        ClassItem::Char(lo) => lo,
                    };
                    push_class_char(&mut out, lo);
                    // Java: `-` makes a range only between two single characters; elsewhere
                    // (`[\w-]`, `[0-9-_]`, `[a-]`) it is a literal.
                    if self.peek(0) == Some('-') && !matches!(self.peek(1), None | Some(']' | '['))
                    {
                        self.pos += 1;
                        let hi_c = self.next()?;
                        let hi = if hi_c == '\\' {
                            self.escape(true)?
                        } else {
                            ClassItem::Char(hi_c)
                        };
                        match hi {
                            ClassItem::Char(hi) if hi >= lo => {
                                out.push('-');
                                push_class_char(&mut out, hi);
                            }
                            _ => return Err("invalid range in character class".to_owned()),
                        }
                    } else if lo == '-' {
                        self.rewritten = true;
                    }
                }
            }
            first = false;
        }
        if out.ends_with('[') || out == "[^" {
            return Err("empty character class".to_owned());
        }
        out.push(']');
        Ok(out)
    }
}

/// Appends a literal character to a class, escaped so the regex crate cannot read it as
/// syntax (`-`, `[`, `&&`, `~~`, ...).
fn push_class_char(out: &mut String, c: char) {
    if c.is_alphanumeric() || c == '_' || c == ' ' {
        out.push(c);
    } else if c.is_ascii_punctuation() {
        out.push('\\');
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
    }
}

fn parse_hex_char(hex: &str) -> Result<char, String> {
    u32::from_str_radix(hex, 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| format!("invalid hex escape {hex}"))
}

// --------------------------------------------------------------------------------------
// Tests
// --------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> &'static ServiceModel {
        ServiceModel::get()
    }

    fn invalid(op: &str, body: Value) -> String {
        match model().validate_input(op, &body) {
            Err(InputError::InvalidParameter(m)) => m,
            other => panic!("expected InvalidParameter for {op} {body}, got {other:?}"),
        }
    }

    fn serialization(op: &str, body: Value) -> String {
        match model().validate_input(op, &body) {
            Err(InputError::Serialization(m)) => m,
            other => panic!("expected Serialization for {op} {body}, got {other:?}"),
        }
    }

    const POOL: &str = "us-east-1_ExAmPlE12";

    #[test]
    fn operations() {
        let m = model();
        let names = m.operation_names();
        assert_eq!(names.len(), 153);
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert!(m.has_operation("InitiateAuth"));
        assert!(!m.has_operation("initiateAuth"));
        assert!(m.is_unsigned("InitiateAuth"));
        assert!(m.is_unsigned("RespondToAuthChallenge"));
        assert!(!m.is_unsigned("AdminGetUser"));
        assert!(!m.is_unsigned("NoSuchOperation"));
        assert_eq!(
            m.operations.values().filter(|o| o.unsigned).count(),
            34,
            "unsigned operations"
        );
        let errors = m.operation_errors("AdminGetUser");
        assert!(errors.contains(&"UserNotFoundException"));
        assert!(errors.contains(&"InvalidParameterException"));
        assert!(m.operation_errors("NoSuchOperation").is_empty());
    }

    #[test]
    fn valid_requests_pass() {
        let m = model();
        let ok = |op: &str, body: Value| {
            assert_eq!(m.validate_input(op, &body), Ok(()), "{op} {body}");
        };
        ok(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "7abcdefghijklmnopqrstuvwx1",
                   "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
                   "Unknown": [1, 2, 3]}),
        );
        ok(
            "AdminCreateUser",
            json!({"UserPoolId": POOL, "Username": "alice",
                   "UserAttributes": [{"Name": "email", "Value": "a@example.com"}],
                   "DesiredDeliveryMediums": ["EMAIL"], "TemporaryPassword": null}),
        );
        ok(
            "CreateUserPool",
            json!({"PoolName": "my pool", "Policies": {"PasswordPolicy": {"MinimumLength": 8}},
                   "UserPoolTags": {"team": "x"}}),
        );
        ok("ListUsers", json!({"UserPoolId": POOL, "Limit": 60}));
        ok("ListUserPools", json!({"MaxResults": 10}));
        ok("GetUser", json!({"AccessToken": "eyJ.abc.def"}));
        // Unknown operations are left to the caller.
        ok("NoSuchOperation", json!([1]));
        // A null body is an empty structure.
        assert!(matches!(
            m.validate_input("GetUser", &Value::Null),
            Err(InputError::InvalidParameter(_))
        ));
    }

    #[test]
    fn create_user_pool_bad_name() {
        assert_eq!(
            invalid("CreateUserPool", json!({"PoolName": "bad/name"})),
            "1 validation error detected: Value 'bad/name' at 'poolName' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"
        );
        assert_eq!(
            invalid("CreateUserPool", json!({"PoolName": ""})),
            "2 validation errors detected: Value '' at 'poolName' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+; Value '' at \
             'poolName' failed to satisfy constraint: Member must have length greater than or \
             equal to 1"
        );
    }

    #[test]
    fn initiate_auth_missing_client_and_bad_flow() {
        assert_eq!(
            invalid("InitiateAuth", json!({"AuthFlow": "x"})),
            "2 validation errors detected: Value null at 'clientId' failed to satisfy \
             constraint: Member must not be null; Value 'x' at 'authFlow' failed to satisfy \
             constraint: Member must satisfy enum value set: [USER_SRP_AUTH, \
             REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, \
             USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"
        );
        // A null member counts as absent.
        assert!(invalid(
            "InitiateAuth",
            json!({"AuthFlow": "USER_AUTH", "ClientId": null})
        )
        .starts_with("1 validation error detected: Value null at 'clientId'"));
    }

    #[test]
    fn sensitive_values_are_not_echoed() {
        let msg = invalid(
            "SignUp",
            json!({"ClientId": "abc", "Username": "alice", "Password": "has space"}),
        );
        assert_eq!(
            msg,
            "1 validation error detected: Value at 'password' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\S]+"
        );
        assert!(!msg.contains("has space"));
        let long = "x".repeat(300);
        let msg = invalid(
            "AdminSetUserPassword",
            json!({"UserPoolId": POOL, "Username": "alice", "Password": long}),
        );
        assert_eq!(
            msg,
            "1 validation error detected: Value at 'password' failed to satisfy constraint: \
             Member must have length less than or equal to 256"
        );
    }

    #[test]
    fn nested_list_member_path() {
        assert_eq!(
            invalid(
                "AdminCreateUser",
                json!({"UserPoolId": POOL, "Username": "alice",
                       "UserAttributes": [{"Name": "email", "Value": "a@b.c"}, {"Value": "v"}]})
            ),
            "1 validation error detected: Value null at 'userAttributes.2.member.name' failed \
             to satisfy constraint: Member must not be null"
        );
        assert_eq!(
            invalid(
                "CreateUserPool",
                json!({"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": 5}}})
            ),
            "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' \
             failed to satisfy constraint: Member must have value greater than or equal to 6"
        );
    }

    #[test]
    fn scalar_collections_are_aggregated() {
        assert_eq!(
            invalid(
                "CreateUserPool",
                json!({"PoolName": "p", "AutoVerifiedAttributes": ["email", "fax"]})
            ),
            "1 validation error detected: Value '[email, fax]' at 'autoVerifiedAttributes' \
             failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy \
             enum value set: [phone_number, email]]"
        );
        assert_eq!(
            invalid(
                "TagResource",
                json!({"ResourceArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/x",
                       "Tags": {"": "v"}})
            ),
            "1 validation error detected: Value '{=v}' at 'tags' failed to satisfy constraint: \
             Map keys must satisfy constraint: [Member must have length less than or equal to \
             128, Member must have length greater than or equal to 1]"
        );
    }

    #[test]
    fn type_mismatches_are_serialization_errors() {
        assert_eq!(
            serialization("ListUsers", json!({"UserPoolId": POOL, "Limit": "10"})),
            "STRING_VALUE can not be converted to an Integer"
        );
        assert_eq!(
            serialization("AdminGetUser", json!({"UserPoolId": 5, "Username": "a"})),
            "NUMBER_VALUE can not be converted to a String"
        );
        assert_eq!(
            serialization("AdminGetUser", json!({"UserPoolId": {}, "Username": "a"})),
            "Start of structure or map found where not expected."
        );
        assert_eq!(
            serialization("AdminGetUser", json!([])),
            "Start of list found where not expected"
        );
        assert_eq!(
            serialization("AdminGetUser", json!("body")),
            "STRING_VALUE can not be converted to a Structure"
        );
        assert_eq!(
            serialization(
                "AdminCreateUser",
                json!({"UserPoolId": POOL, "Username": "a", "UserAttributes": {"Name": "x"}})
            ),
            "Start of structure or map found where not expected."
        );
        assert_eq!(
            serialization(
                "CreateUserPool",
                json!({"PoolName": "p", "Policies": {"PasswordPolicy": {"RequireNumbers": "true"}}})
            ),
            "STRING_VALUE can not be converted to a Boolean"
        );
        assert_eq!(
            serialization("ListUsers", json!({"UserPoolId": POOL, "Limit": 1e12})),
            "NUMBER_VALUE can not be converted to an Integer"
        );
        // A type error wins over constraint violations.
        assert!(matches!(
            model().validate_input("ListUsers", &json!({"Limit": "x"})),
            Err(InputError::Serialization(_))
        ));
    }

    #[test]
    fn verify_software_token_user_code() {
        let body = |code: &str| json!({"AccessToken": "tok", "UserCode": code});
        assert_eq!(
            invalid("VerifySoftwareToken", body("12345")),
            "1 validation error detected: Value at 'userCode' failed to satisfy constraint: \
             Member must have length greater than or equal to 6"
        );
        assert_eq!(
            invalid("VerifySoftwareToken", body("12a456")),
            "1 validation error detected: Value at 'userCode' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [0-9]+"
        );
        assert_eq!(
            invalid("VerifySoftwareToken", body("12a4567")),
            "2 validation errors detected: Value at 'userCode' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [0-9]+; Value at 'userCode' failed \
             to satisfy constraint: Member must have length less than or equal to 6"
        );
        assert_eq!(
            model().validate_input("VerifySoftwareToken", &body("123456")),
            Ok(())
        );
    }

    #[test]
    fn list_users_limit_max() {
        assert_eq!(
            invalid("ListUsers", json!({"UserPoolId": POOL, "Limit": 100})),
            "1 validation error detected: Value '100' at 'limit' failed to satisfy constraint: \
             Member must have value less than or equal to 60"
        );
        assert_eq!(
            invalid("ListUsers", json!({"UserPoolId": "abc", "Limit": -1})),
            "2 validation errors detected: Value '-1' at 'limit' failed to satisfy constraint: \
             Member must have value greater than or equal to 0; Value 'abc' at 'userPoolId' \
             failed to satisfy constraint: Member must satisfy regular expression pattern: \
             [\\w-]+_[0-9a-zA-Z]+"
        );
    }

    #[test]
    fn lengths_count_characters() {
        // 128 two-byte characters is within PoolName's 128 limit; \w is ASCII (Java) though,
        // so use the username pattern (\p{L}...) instead.
        let name: String = "é".repeat(128);
        assert_eq!(
            model().validate_input(
                "AdminGetUser",
                &json!({"UserPoolId": POOL, "Username": name})
            ),
            Ok(())
        );
        let name: String = "é".repeat(129);
        assert!(invalid(
            "AdminGetUser",
            json!({"UserPoolId": POOL, "Username": name})
        )
        .ends_with("Member must have length less than or equal to 128"));
    }

    #[test]
    fn every_pattern_compiles() {
        let m = model();
        let mut skipped = Vec::new();
        let mut rewritten = 0;
        let mut raw_failures = 0;
        for p in &m.patterns {
            if p.rewritten {
                rewritten += 1;
            }
            if Regex::new(&format!("^(?:{})$", p.java)).is_err() {
                println!("does not compile untranslated: {}", p.java);
                raw_failures += 1;
            }
            match (&p.translated, p.regex()) {
                (Ok(_), Some(_)) => {}
                (Ok(t), None) => skipped.push(format!("{} -> {t}: does not compile", p.java)),
                (Err(e), _) => skipped.push(format!("{}: {e}", p.java)),
            }
        }
        println!(
            "{} distinct patterns, {rewritten} needed translation ({raw_failures} of them do \
             not compile untranslated), {} skipped",
            m.patterns.len(),
            skipped.len()
        );
        for s in &skipped {
            println!("skipped pattern: {s}");
        }
        assert!(skipped.is_empty(), "skipped patterns: {skipped:#?}");
        assert_eq!(m.patterns.len(), 47);
    }

    #[test]
    fn translated_patterns_keep_java_semantics() {
        let matches = |java: &str, s: &str| -> bool {
            let (t, _) = translate_pattern(java).expect("translates");
            Regex::new(&t).expect("compiles").is_match(s)
        };
        // Anchored: whole value must match.
        assert!(!matches("[0-9]+", "12a"));
        // Java \w is ASCII-only.
        assert!(matches(r"[\w-]+_[0-9a-zA-Z]+", "us-east-1_abc"));
        assert!(!matches(r"[\w-]+_[0-9a-zA-Z]+", "é_abc"));
        // `-` after a range is a literal.
        assert!(matches("[A-Za-z0-9-_+/=.]+", "a-b_c+/="));
        assert!(!matches("[A-Za-z0-9-_+/=.]+", "a,b"));
        // Ranges with escaped ends.
        assert!(matches(
            r"^https://[!$-;=@-\[\]_a-z~]+$",
            "https://x.example/a"
        ));
        assert!(!matches(r"^https://[!$-;=@-\[\]_a-z~]+$", "https://x y"));
        assert!(matches(r"[\x21\x23-\x5B\x5D-\x7E]+", "abc!#"));
        assert!(!matches(r"[\x21\x23-\x5B\x5D-\x7E]+", "a\"b"));
        // The lookbehind override: no trailing dot.
        assert!(matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", "a.b"));
        assert!(matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", ""));
        assert!(!matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", "a.b."));
        // Java `.` stops at line terminators unless (?s).
        assert!(matches(r".*\{####\}.*", "code {####} here"));
        assert!(!matches(r".*\{####\}.*", "code\n{####}"));
        assert!(matches("(?s).*", "a\nb"));
        // Unicode categories and literal `*` inside a class.
        assert!(matches(r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*", "Hé llo*\t"));
        assert!(matches(
            r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+",
            "abc"
        ));
        assert!(!matches(
            r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+",
            "_bc"
        ));
        // Unsupported constructs are reported, not mistranslated.
        assert!(translate_pattern("(?=a)a").is_err());
        assert!(translate_pattern(r"(a)\1").is_err());
    }

    #[test]
    fn blobs_and_timestamps() {
        let m = model();
        // ImageFile is a blob (max 131072 bytes) on SetUICustomization.
        let ok = json!({"UserPoolId": POOL, "ImageFile": "aGVsbG8="});
        assert_eq!(m.validate_input("SetUICustomization", &ok), Ok(()));
        let bad = json!({"UserPoolId": POOL, "ImageFile": "not base64!"});
        assert!(matches!(
            m.validate_input("SetUICustomization", &bad),
            Err(InputError::Serialization(_))
        ));
        assert_eq!(blob_len(&json!("")), Ok(0));
        assert_eq!(blob_len(&json!("YQ==")), Ok(1));
        assert_eq!(blob_len(&json!("YWI")), Ok(2));
        assert!(blob_len(&json!("Y")).is_err());
    }

    #[test]
    fn never_panics_on_odd_input() {
        let m = model();
        let mut deep = json!("leaf");
        for _ in 0..1_000 {
            deep = json!([deep]);
        }
        let mut deep_obj = json!({});
        for _ in 0..1_000 {
            deep_obj = json!({ "UserAttributes": deep_obj });
        }
        let huge = "x".repeat(200_000);
        let bodies = [
            json!(null),
            json!(1),
            json!(true),
            json!({"UserPoolId": huge.clone(), "Username": huge, "Limit": u64::MAX}),
            json!({"UserPoolId": POOL, "Username": "a", "UserAttributes": deep.clone()}),
            json!({"UserPoolId": POOL, "Username": "a", "UserAttributes": [deep_obj.clone()]}),
            json!({"UserPoolId": POOL, "Username": "a", "ClientMetadata": {"k": deep}}),
            json!({"AuthFlow": "USER_AUTH", "ClientId": "c", "AuthParameters": {"a": 1.5}}),
            json!({"Limit": -1e300, "MaxResults": 0.5}),
        ];
        for name in m.operation_names() {
            for body in &bodies {
                let _ = m.validate_input(name, body);
            }
        }
    }
}
