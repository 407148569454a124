//! The managed login pages: `GET /login` shows the sign-in form of an authorization request;
//! `POST /login` runs one step (password, TOTP code, TOTP enrolment, new password) and shows
//! the next page or sends the browser back to the app with a code. CSRF-protected forms;
//! nothing secret in a URL.

pub mod csrf;
mod messages;
pub mod page;
mod qr;
mod steps;
mod views;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

use crate::http::oauth2::authorize::{check, PARAMS};
use crate::http::oauth2::domain::Domain;
use crate::state::AppState;
use page::error_page;
use views::View;

pub async fn stylesheet() -> Response {
    let mut r = include_str!("style.css").into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r
}

fn view(domain: &Domain, params: &[(String, String)], csrf_token: &str) -> View {
    let mut carried = params.to_vec();
    carried.push((csrf::FIELD.into(), csrf_token.into()));
    View {
        base_path: domain.base_path.clone(),
        carried,
    }
}

pub async fn get_login(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let ctx = state.ctx();
    let req = match check(&ctx, &domain, &params).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let (token, set) = csrf::ensure(&headers, &domain, ctx.random);
    let mut r = view(&domain, &req.params, &token).sign_in("", None);
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

pub async fn post_login(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !csrf::check(&headers, form.get(csrf::FIELD).map(String::as_str)) {
        return error_page(
            StatusCode::FORBIDDEN,
            "Page expired",
            "This form has expired or did not come from this sign-in page. Go back to the app and sign in again.",
        );
    }
    let ctx = state.ctx();
    let params: HashMap<String, String> = PARAMS
        .iter()
        .filter_map(|k| form.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect();
    let req = match check(&ctx, &domain, &params).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let client = match ctx.client(&req.client_id).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(detail = %e.message, "reading a client");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let token = form.get(csrf::FIELD).cloned().unwrap_or_default();
    let view = view(&domain, &req.params, &token);
    steps::Step {
        ctx: &ctx,
        domain: &domain,
        req: &req,
        view: &view,
        client: &client,
        form: &form,
    }
    .run()
    .await
}
