//! The rules every response must satisfy: no 5xx, no InternalErrorException, no dropped
//! connection, the AWS JSON 1.1 envelope on every error (`__type` and `message` in the body,
//! `x-amzn-ErrorType`), and a request id on every answer.

use serde_json::Value;

use crate::api::TARGET_PREFIX;
use crate::headers::is_api_path;
use crate::http::{HttpError, Request, Response};

/// Whether `resp` is an acceptable answer to `req`; `Err` says what is wrong.
pub fn check(req: &Request, result: &Result<Response, HttpError>) -> Result<(), String> {
    let resp = match result {
        Ok(r) => r,
        Err(e) => return Err(e.to_string()),
    };
    if resp.status >= 500 {
        return Err(format!("HTTP {}", resp.status));
    }
    if !is_api_path(&req.path) {
        return Ok(());
    }
    if resp.header("x-amzn-requestid").is_none_or(str::is_empty) {
        return Err("no x-amzn-RequestId header".into());
    }
    let body: Value = serde_json::from_slice(&resp.body)
        .map_err(|_| format!("HTTP {} with a body that is not JSON", resp.status))?;
    if !body.is_object() {
        return Err(format!(
            "HTTP {} with a body that is not an object",
            resp.status
        ));
    }
    if resp.status == 200 {
        // HTTP drops the optional whitespace around a header value.
        let target = req.header("x-amz-target").unwrap_or_default().trim_ascii();
        if !target.starts_with(TARGET_PREFIX.as_bytes()) {
            return Err("200 for a request without a valid X-Amz-Target".into());
        }
        return Ok(());
    }
    let code = body.get("__type").and_then(Value::as_str).unwrap_or("");
    if code.is_empty() {
        return Err(format!("HTTP {} without __type", resp.status));
    }
    if body.get("message").and_then(Value::as_str).is_none() {
        return Err(format!("HTTP {} {code} without a message", resp.status));
    }
    if code.contains("InternalError") {
        return Err(format!("HTTP {} {code}", resp.status));
    }
    let error_type = resp.header("x-amzn-errortype").unwrap_or("");
    if error_type.split(':').next() != Some(code) {
        return Err(format!(
            "x-amzn-ErrorType {error_type:?} does not match __type {code}"
        ));
    }
    Ok(())
}

/// The `__type` of an error answer (for the counts), or "" for a 200.
pub fn error_code(resp: &Response) -> String {
    if resp.status == 200 {
        return String::new();
    }
    resp.json()
        .and_then(|v| v.get("__type").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| "(none)".into())
}
