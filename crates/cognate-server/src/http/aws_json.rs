//! AWS JSON 1.1 framing: `X-Amz-Target`, content type, body limit, model validation, and the
//! error envelope `{"__type","message"}` with `x-amzn-ErrorType` and `x-amzn-RequestId`.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cognate_core::{CognitoError, ErrorKind};
use serde_json::Value;
use tracing::Instrument;

use crate::api::model::{InputError, ServiceModel};
use crate::state::AppState;

pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// A wire error: status, `__type` and message.
struct WireError {
    status: StatusCode,
    code: String,
    message: String,
}

impl WireError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }
    fn bad(code: &str, message: impl Into<String>) -> Self {
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

fn respond(request_id: &str, result: Result<Value, WireError>) -> Response {
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

pub async fn handle(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let op = target.strip_prefix(TARGET_PREFIX).unwrap_or("").to_owned();
    // The request's future runs inside this span, so every event it emits, in this crate or in
    // cognate_core, carries the operation and the request id (the `CpuPool` offload carries the
    // span over to offloaded CPU jobs).
    let span = tracing::info_span!("request", op = %op, request_id = %request_id);
    async move {
        let result = process(&state, &headers, &op, &target, body).await;
        match &result {
            Ok(_) => tracing::info!("ok"),
            Err(e) => tracing::info!(error = %e.code, "client error"),
        }
        respond(&request_id, result)
    }
    .instrument(span)
    .await
}

async fn process(
    state: &AppState,
    headers: &HeaderMap,
    op: &str,
    target: &str,
    body: Body,
) -> Result<Value, WireError> {
    let model = ServiceModel::get();
    if op.is_empty() || !model.has_operation(op) {
        return Err(WireError::bad(
            "UnknownOperationException",
            if target.is_empty() {
                "Missing X-Amz-Target header.".to_owned()
            } else {
                format!("Unknown operation {target}")
            },
        ));
    }
    if let Some(ct) = headers.get("content-type").and_then(|v| v.to_str().ok()) {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if mime != CONTENT_TYPE && mime != "application/json" {
            return Err(WireError::bad(
                "SerializationException",
                format!("Unsupported content type {mime}; use {CONTENT_TYPE} or application/json."),
            ));
        }
    }
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.map_err(|e| {
        if super::body_deadline::timed_out(&e) {
            return WireError::new(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeoutException",
                "Request body not received in time.",
            );
        }
        WireError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLargeException",
            format!("Request body larger than {MAX_BODY_BYTES} bytes."),
        )
    })?;
    let input: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(&bytes).map_err(|_| {
            WireError::bad(
                "SerializationException",
                "Malformed JSON in the request body.",
            )
        })?
    };
    let input = match input {
        Value::Null => Value::Object(Default::default()),
        v @ Value::Object(_) => v,
        _ => {
            return Err(WireError::bad(
                "SerializationException",
                "Start of structure or map found where not expected.",
            ))
        }
    };
    model.validate_input(op, &input).map_err(|e| match e {
        InputError::Serialization(m) => WireError::bad("SerializationException", m),
        InputError::InvalidParameter(m) => WireError::bad(ErrorKind::InvalidParameter.code(), m),
    })?;
    let ctx = state.ctx();
    crate::api::dispatch(&ctx, op, &input)
        .await
        .map_err(WireError::from)
}
