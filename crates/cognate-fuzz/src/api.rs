//! Well-formed API calls for setting up state and checking the canary.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::anyhow;
use serde_json::Value;

use crate::http::{Conn, Request, Response};

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// A well-formed request for `op` with `body`.
pub fn request(op: &str, body: &Value) -> Request {
    Request {
        path: "/".into(),
        headers: vec![
            (
                "X-Amz-Target".into(),
                format!("{TARGET_PREFIX}{op}").into_bytes(),
            ),
            ("Content-Type".into(), CONTENT_TYPE.as_bytes().to_vec()),
        ],
        body: body.to_string().into_bytes(),
        chunks: None,
    }
}

/// An error answer: its `__type` and message.
#[derive(Debug)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

/// `op` was answered with an error.
#[derive(Debug)]
pub struct CallError {
    pub op: String,
    pub error: ApiError,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed: {}", self.op, self.error)
    }
}

impl std::error::Error for CallError {}

/// Whether `e` is an ordinary client error (4xx) rather than a 5xx or a dropped connection.
pub fn is_client_error(e: &anyhow::Error) -> bool {
    e.downcast_ref::<CallError>()
        .is_some_and(|c| c.error.status < 500 && !c.error.code.contains("InternalError"))
}

pub struct Api {
    conn: Conn,
}

impl Api {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            conn: Conn::new(addr, Duration::from_secs(120)),
        }
    }

    pub fn send(&mut self, req: &Request) -> anyhow::Result<Response> {
        self.conn.send(req).map_err(|e| anyhow!("{e}"))
    }

    /// Calls `op`; `Ok(Err(_))` is an error answer from the server.
    pub fn try_call(&mut self, op: &str, body: Value) -> anyhow::Result<Result<Value, ApiError>> {
        let resp = self.send(&request(op, &body))?;
        let json = resp.json().unwrap_or(Value::Null);
        if resp.status == 200 {
            return Ok(Ok(json));
        }
        let text = |k: &str| json.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        Ok(Err(ApiError {
            status: resp.status,
            code: text("__type"),
            message: text("message"),
        }))
    }

    /// Calls `op` and requires a 200 (an error answer is a [`CallError`]).
    pub fn call(&mut self, op: &str, body: Value) -> anyhow::Result<Value> {
        self.try_call(op, body)?.map_err(|error| {
            anyhow::Error::new(CallError {
                op: op.to_owned(),
                error,
            })
        })
    }
}

/// A string member of a JSON value at `path` (object keys).
pub fn text(v: &Value, path: &[&str]) -> anyhow::Result<String> {
    let mut cur = v;
    for k in path {
        cur = cur
            .get(k)
            .ok_or_else(|| anyhow!("no {} in {v}", path.join(".")))?;
    }
    cur.as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("{} is not a string in {v}", path.join(".")))
}
