//! One fuzz request: an operation, a context, a valid-looking body, then the mode's mutation.

use serde_json::Value;

use crate::api::request;
use crate::context::Context;
use crate::generator::Generator;
use crate::http::Request;
use crate::mutate_json::{mutate, TreeMutation};
use crate::rng::Rng;
use crate::state::Known;
use crate::{headers, mutate_bytes};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    Valid,
    Boundary,
    WrongType,
    Structural,
    Raw,
    Bytes,
    Headers,
}

const MODES: &[(Mode, u32)] = &[
    (Mode::Valid, 38),
    (Mode::Boundary, 14),
    (Mode::WrongType, 8),
    (Mode::Structural, 8),
    (Mode::Raw, 8),
    (Mode::Bytes, 12),
    (Mode::Headers, 12),
];

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Valid => "valid",
            Mode::Boundary => "boundary",
            Mode::WrongType => "wrong-type",
            Mode::Structural => "structural",
            Mode::Raw => "raw",
            Mode::Bytes => "bytes",
            Mode::Headers => "headers",
        }
    }
}

pub struct Built {
    pub op: String,
    pub mode: Mode,
    pub request: Request,
    pub ctx: Context,
    /// The body as JSON when it was sent exactly so, to the operation named (what harvesting
    /// may read).
    pub json: Option<Value>,
    /// Whether the request names `op` in a well-formed X-Amz-Target.
    pub canonical_target: bool,
}

pub fn build(gen: &Generator<'_>, known: &std::sync::Mutex<Known>, rng: &mut Rng) -> Option<Built> {
    let weights: Vec<u32> = MODES.iter().map(|(_, w)| *w).collect();
    let mode = MODES.get(rng.weighted(&weights)).map(|(m, _)| *m)?;
    let op = gen.pick_operation(rng)?;
    let anchor = gen.anchor(op, rng);
    let ctx = {
        let known = known.lock().ok()?;
        let protect = crate::generator::protect(&op.name);
        Context::build(&known, &op.name, anchor, protect, rng)
    };
    let mut body = gen.body(op, &ctx, rng);
    let input = op.input.as_deref().unwrap_or("");
    let mut exact = true;
    let mut canonical_target = true;
    match mode {
        Mode::Boundary => mutate(gen.model(), input, &mut body, TreeMutation::Boundary, rng),
        Mode::WrongType => mutate(gen.model(), input, &mut body, TreeMutation::WrongType, rng),
        Mode::Structural => mutate(gen.model(), input, &mut body, TreeMutation::Structural, rng),
        _ => {}
    }
    let mut req = request(&op.name, &body);
    match mode {
        Mode::Raw => {
            req.body = mutate_bytes::raw_body(&req.body, rng);
            exact = false;
        }
        Mode::Bytes => {
            req.body = mutate_bytes::byte_mutation(&req.body, rng);
            exact = false;
        }
        Mode::Headers => {
            let other = gen
                .pick_operation(rng)
                .map_or("ListUsers", |o| o.name.as_str());
            headers::mutate(&mut req, &op.name, other, rng);
            let target = format!("{}{}", crate::api::TARGET_PREFIX, op.name);
            canonical_target = req.header("x-amz-target") == Some(target.as_bytes());
            exact = canonical_target;
        }
        _ => {}
    }
    Some(Built {
        op: op.name.clone(),
        mode,
        request: req,
        ctx,
        json: exact.then_some(body),
        canonical_target,
    })
}
