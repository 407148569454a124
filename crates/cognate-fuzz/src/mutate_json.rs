//! Mutations of a valid body that follow its shapes: a leaf replaced by a boundary value, a
//! node by a value of the wrong JSON type or null, a required member dropped, an unknown one
//! added, a collection emptied or blown up.

use serde_json::{json, Map, Value};

use crate::model::{Kind, Model};
use crate::rng::Rng;
use crate::values;

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A node of the body and the shape it should have.
struct Node {
    path: Vec<Seg>,
    shape: String,
}

fn collect(model: &Model, shape: &str, value: &Value, path: Vec<Seg>, out: &mut Vec<Node>) {
    let Some(s) = model.shape(shape) else {
        return;
    };
    match (&s.kind, value) {
        (Kind::Structure { members, .. }, Value::Object(obj)) => {
            for (name, target) in members {
                if let Some(v) = obj.get(name) {
                    let mut p = path.clone();
                    p.push(Seg::Key(name.clone()));
                    collect(model, target, v, p, out);
                }
            }
        }
        (Kind::List(item), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                let mut p = path.clone();
                p.push(Seg::Index(i));
                collect(model, item, v, p, out);
            }
        }
        (Kind::Map { value: vs, .. }, Value::Object(obj)) => {
            for (k, v) in obj {
                let mut p = path.clone();
                p.push(Seg::Key(k.clone()));
                collect(model, vs, v, p, out);
            }
        }
        _ => {}
    }
    out.push(Node {
        path,
        shape: shape.to_owned(),
    });
}

fn at_mut<'v>(value: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    let mut cur = value;
    for seg in path {
        cur = match (seg, cur) {
            (Seg::Key(k), Value::Object(o)) => o.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

#[derive(Clone, Copy, Debug)]
pub enum TreeMutation {
    /// Boundary values at one to three nodes.
    Boundary,
    /// A node of the wrong JSON type (or null).
    WrongType,
    /// Required members dropped, unknown members added, nulls, renamed members.
    Structural,
}

pub fn mutate(model: &Model, input: &str, body: &mut Value, kind: TreeMutation, rng: &mut Rng) {
    let mut nodes = Vec::new();
    collect(model, input, body, vec![], &mut nodes);
    let times = rng.range(1, 3);
    for _ in 0..times {
        let Some(node) = rng.pick(&nodes) else {
            return;
        };
        let Some(shape) = model.shape(&node.shape) else {
            continue;
        };
        let Some(target) = at_mut(body, &node.path) else {
            continue;
        };
        match kind {
            TreeMutation::Boundary => boundary(model, shape, target, rng),
            TreeMutation::WrongType => {
                *target = if rng.percent(15) {
                    Value::Null
                } else {
                    values::wrong_type(shape, rng)
                }
            }
            TreeMutation::Structural => structural(&shape.kind, target, rng),
        }
    }
}

fn boundary(model: &Model, shape: &crate::model::Shape, target: &mut Value, rng: &mut Rng) {
    match &shape.kind {
        Kind::List(item) => {
            let n = match rng.below(4) {
                0 => 0,
                1 => shape.max.unwrap_or(100).max(0) as usize + 1,
                2 => shape.min.unwrap_or(1).max(1) as usize - 1,
                _ => rng.range(1_000, 20_000),
            };
            let item_value = model
                .shape(item)
                .map(|s| match s.kind {
                    Kind::Structure { .. } | Kind::Map { .. } => json!({}),
                    _ => values::valid_scalar(s, rng),
                })
                .unwrap_or(Value::Null);
            *target = Value::Array(vec![item_value; n]);
        }
        Kind::Map { key, .. } => {
            let mut obj = Map::new();
            let n = match rng.below(3) {
                0 => 0,
                1 => rng.range(1_000, 10_000),
                _ => 1,
            };
            let key_shape = model.shape(key);
            for i in 0..n {
                let k = match key_shape {
                    Some(s) if n == 1 => values::boundary_string(s, rng),
                    _ => format!("k{i}"),
                };
                obj.insert(k, json!("v"));
            }
            *target = Value::Object(obj);
        }
        Kind::Structure { .. } | Kind::Document => *target = json!({}),
        _ => *target = values::boundary_scalar(shape, rng),
    }
}

fn structural(kind: &Kind, target: &mut Value, rng: &mut Rng) {
    let Value::Object(obj) = target else {
        *target = Value::Null;
        return;
    };
    let Kind::Structure { members, required } = kind else {
        obj.clear();
        return;
    };
    match rng.below(5) {
        0 => {
            if let Some(r) = rng.pick(required) {
                obj.remove(r);
            }
        }
        1 => {
            let name = match rng.below(4) {
                0 => "Unknown".to_owned(),
                1 => "__type".to_owned(),
                2 => String::new(),
                _ => {
                    let n = rng.range(1, 40);
                    values::alnum(rng, n)
                }
            };
            obj.insert(name, json!({"nested": [1, 2, 3]}));
        }
        2 => {
            if let Some((m, _)) = rng.pick(members) {
                obj.insert(m.clone(), Value::Null);
            }
        }
        3 => {
            // AWS member names are case-sensitive: a lower-cased one is an unknown member.
            if let Some((m, _)) = rng.pick(members) {
                if let Some(v) = obj.remove(m) {
                    obj.insert(m.to_ascii_lowercase(), v);
                }
            }
        }
        _ => obj.clear(),
    }
}
