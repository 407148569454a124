//! The service model the generator works from: the trimmed botocore model the server embeds
//! (operations with their input shapes; shapes with type, members, required, min/max,
//! pattern, enum, list member, map key/value).

use std::collections::BTreeMap;

use anyhow::{anyhow, Context};
use serde_json::Value;

const MODEL_JSON: &str = include_str!("../../cognate-server/model/service-model.json");

#[derive(Debug, Clone)]
pub enum Kind {
    Structure {
        /// (member name, target shape), in model order.
        members: Vec<(String, String)>,
        required: Vec<String>,
    },
    /// A free-form document.
    Document,
    List(String),
    Map {
        key: String,
        value: String,
    },
    String,
    Integer,
    Long,
    Boolean,
    Timestamp,
    Blob,
}

#[derive(Debug, Clone)]
pub struct Shape {
    pub kind: Kind,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub pattern: Option<String>,
    pub enum_values: Vec<String>,
}

pub struct Operation {
    pub name: String,
    pub input: Option<String>,
}

pub struct Model {
    pub operations: Vec<Operation>,
    shapes: BTreeMap<String, Shape>,
}

impl Model {
    pub fn load() -> anyhow::Result<Self> {
        let v: Value = serde_json::from_str(MODEL_JSON).context("parsing the service model")?;
        Self::from_json(&v)
    }

    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    fn from_json(v: &Value) -> anyhow::Result<Self> {
        let ops = v
            .get("operations")
            .and_then(Value::as_object)
            .ok_or_else(|| anyhow!("the model has no operations"))?;
        let operations = ops
            .iter()
            .map(|(name, o)| Operation {
                name: name.clone(),
                input: target(o.get("input")),
            })
            .collect();
        let shapes_json = v
            .get("shapes")
            .and_then(Value::as_object)
            .ok_or_else(|| anyhow!("the model has no shapes"))?;
        let mut shapes = BTreeMap::new();
        for (name, s) in shapes_json {
            shapes.insert(name.clone(), shape(name, s)?);
        }
        Ok(Self { operations, shapes })
    }
}

fn target(r: Option<&Value>) -> Option<String> {
    r?.get("shape")?.as_str().map(str::to_owned)
}

fn need(r: Option<&Value>, shape: &str, what: &str) -> anyhow::Result<String> {
    target(r).ok_or_else(|| anyhow!("shape {shape} has no {what}"))
}

fn shape(name: &str, s: &Value) -> anyhow::Result<Shape> {
    let kind = match s.get("type").and_then(Value::as_str).unwrap_or("") {
        "structure" if s.get("document").and_then(Value::as_bool) == Some(true) => Kind::Document,
        "structure" => Kind::Structure {
            members: s
                .get("members")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, r)| Some((k.clone(), target(Some(r))?)))
                        .collect()
                })
                .unwrap_or_default(),
            required: strings(s.get("required")),
        },
        "list" => Kind::List(need(s.get("member"), name, "member")?),
        "map" => Kind::Map {
            key: need(s.get("key"), name, "key")?,
            value: need(s.get("value"), name, "value")?,
        },
        "string" => Kind::String,
        "integer" => Kind::Integer,
        "long" => Kind::Long,
        "boolean" => Kind::Boolean,
        "timestamp" => Kind::Timestamp,
        "blob" => Kind::Blob,
        other => return Err(anyhow!("shape {name} has an unknown type {other:?}")),
    };
    let bound = |k: &str| {
        s.get(k)
            .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
    };
    Ok(Shape {
        kind,
        min: bound("min"),
        max: bound("max"),
        pattern: s.get("pattern").and_then(Value::as_str).map(str::to_owned),
        enum_values: strings(s.get("enum")),
    })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
