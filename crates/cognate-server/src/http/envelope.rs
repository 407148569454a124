//! The AWS JSON error envelope: `{"__type","message"}` with `x-amzn-ErrorType` and
//! `x-amzn-RequestId`, the same for protocol, signature, host and operation errors.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cognate_core::{CognitoError, ErrorKind};
use serde_json::Value;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// A wire error: status, `__type` and message.
pub struct WireError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

impl WireError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }
    pub fn bad(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl From<CognitoError> for WireError {
    fn from(e: CognitoError) -> Self {
        if e.is_internal() {
            // The detail is logged, never sent.
            tracing::error!(detail = %e.message, "internal error");
            return Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorKind::InternalError.code(),
                "An internal error occurred.",
            );
        }
        Self::bad(e.code(), e.message)
    }
}

pub fn respond(request_id: &str, result: Result<Value, WireError>) -> Response {
    let (status, body, error_type) = match result {
        Ok(v) => (StatusCode::OK, v, None),
        Err(e) => (
            e.status,
            serde_json::json!({"__type": e.code, "message": e.message}),
            Some(e.code),
        ),
    };
    let mut resp = (status, body.to_string()).into_response();
    let h = resp.headers_mut();
    h.insert("content-type", HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    if let Some(t) = error_type {
        if let Ok(v) = HeaderValue::from_str(&format!("{t}:")) {
            h.insert("x-amzn-errortype", v);
        }
    }
    if status == StatusCode::REQUEST_TIMEOUT {
        // The rest of the body may still be on its way: this connection is done.
        h.insert("connection", HeaderValue::from_static("close"));
    }
    resp
}

pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
