//! `PUT /import-jobs/<JobId>?token=...`: the upload of a user import job's CSV to its
//! `PreSignedUrl`. Only the URL's token authorises it (no signature, as with an S3 pre-signed
//! URL); the body is bounded by Cognito's 100 MB and stored in the database.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cognate_core::service::users::user_import_jobs::{
    check_upload, store_upload, UploadRefusal, MAX_FILE_BYTES,
};

use crate::state::AppState;

fn refused(r: UploadRefusal) -> Response {
    let (status, code, message) = match r {
        UploadRefusal::Denied => (
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "The upload URL is not valid.",
        ),
        UploadRefusal::Closed => (
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "The import job no longer accepts a file.",
        ),
        UploadRefusal::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "EntityTooLarge",
            "The file is larger than 100 MB.",
        ),
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>\n"
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

fn internal(e: &cognate_core::CognitoError) -> Response {
    tracing::error!(error = %e, "storing an import file");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

pub async fn put_import_file(
    State(state): State<Arc<AppState>>,
    Path(job_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let token = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let ctx = state.ctx();
    let job = match check_upload(&ctx, &job_id, &token).await {
        Ok(Ok(job)) => job,
        Ok(Err(r)) => return refused(r),
        Err(e) => return internal(&e),
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_FILE_BYTES as u64) {
        return refused(UploadRefusal::TooLarge);
    }
    let Ok(data) = to_bytes(body, MAX_FILE_BYTES).await else {
        // Over the limit, or the body did not arrive (in time).
        return refused(UploadRefusal::TooLarge);
    };
    match store_upload(&state.ctx(), &job, &data).await {
        Ok(Ok(())) => {
            tracing::info!(job_id = %job_id, bytes = data.len(), "import file uploaded");
            StatusCode::OK.into_response()
        }
        Ok(Err(r)) => refused(r),
        Err(e) => internal(&e),
    }
}
