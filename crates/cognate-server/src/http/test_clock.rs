//! `/_cognate/clock`: read or move the server's clock. Only exists with `--test-clock`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use cognate_core::clock::{Clock, Timestamp};
use serde_json::Value;

use crate::state::AppState;

pub async fn get_clock(State(state): State<Arc<AppState>>) -> Response {
    match &state.test_clock {
        Some(c) => Json(serde_json::json!({"now": c.now().as_epoch_f64()})).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub async fn set_clock(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Response {
    let Some(clock) = &state.test_clock else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Some(now) = body.get("now").and_then(Value::as_f64) {
        clock.set(Timestamp((now * 1000.0) as i64));
    }
    if let Some(secs) = body.get("advance").and_then(Value::as_f64) {
        clock.advance_millis((secs * 1000.0) as i64);
    }
    Json(serde_json::json!({"now": clock.now().as_epoch_f64()})).into_response()
}
