//! AWS JSON 1.1 framing: `X-Amz-Target`, content type, body limit, the signature of signed
//! operations, model validation, and the request span. Errors leave through `envelope`.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use cognate_core::ErrorKind;
use serde_json::Value;
use tracing::Instrument;

use super::envelope::{new_request_id, respond, WireError, CONTENT_TYPE};
use crate::api::model::{InputError, ServiceModel};
use crate::state::AppState;

pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

pub async fn handle(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let request_id = new_request_id();
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let op = target.strip_prefix(TARGET_PREFIX).unwrap_or("").to_owned();
    // The request's future runs inside this span, so every event it emits, in this crate or in
    // cognate_core, carries the operation and the request id (the `CpuPool` offload carries the
    // span over to offloaded CPU jobs). `access_key` is filled in once a signature is verified.
    let span = tracing::info_span!(
        "request",
        op = %op,
        request_id = %request_id,
        access_key = tracing::field::Empty
    );
    async move {
        let request = Incoming {
            method: &method,
            uri: &uri,
            headers: &headers,
            op: &op,
            target: &target,
        };
        let result = process(&state, &request, body).await;
        match &result {
            Ok(_) => tracing::info!("ok"),
            Err(e) => tracing::info!(error = %e.code, "client error"),
        }
        respond(&request_id, result)
    }
    .instrument(span)
    .await
}

/// The parts of a request `process` reads besides its body.
struct Incoming<'a> {
    method: &'a Method,
    uri: &'a Uri,
    headers: &'a HeaderMap,
    op: &'a str,
    target: &'a str,
}

async fn process(state: &AppState, request: &Incoming<'_>, body: Body) -> Result<Value, WireError> {
    let (headers, op, target) = (request.headers, request.op, request.target);
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
    if !model.is_unsigned(op) {
        let signed =
            super::signature::authenticate(state, request.method, request.uri, headers, &bytes)
                .await?;
        if let Some(access_key) = signed {
            tracing::Span::current().record("access_key", tracing::field::display(&access_key));
        }
    }
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
