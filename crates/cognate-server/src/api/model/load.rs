//! Building a [`ServiceModel`] from the trimmed botocore JSON: operations, shapes, their
//! constraints, and the translated patterns.

use super::*;

impl ServiceModel {
    pub(super) fn from_json(model: &Value) -> ServiceModel {
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
}
