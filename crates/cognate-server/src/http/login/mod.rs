//! The managed login pages: `GET /login` shows the sign-in form of an authorization request;
//! `POST /login` runs one step (password, TOTP code, TOTP enrolment, new password) and shows
//! the next page or sends the browser back to the app with a code. CSRF-protected forms;
//! nothing secret in a URL.

mod account;
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
        session_cookie: crate::http::oauth2::web::cookie(
            &headers,
            crate::http::oauth2::authorize::SESSION_COOKIE,
        ),
    }
    .run()
    .await
}

/// Which account page a request is for.
#[derive(Clone, Copy)]
enum AccountPage {
    SignUp,
    ForgotPassword,
}

async fn account_get(
    state: &AppState,
    domain: &Domain,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    which: AccountPage,
) -> Response {
    let ctx = state.ctx();
    let req = match check(&ctx, domain, params).await {
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
    let (token, set) = csrf::ensure(headers, domain, ctx.random);
    let view = view(domain, &req.params, &token);
    let form = HashMap::new();
    let account = account::Account {
        ctx: &ctx,
        view: &view,
        client: &client,
        form: &form,
    };
    let mut r = match which {
        AccountPage::SignUp => account.sign_up_page("", "", None),
        AccountPage::ForgotPassword => account.forgot_page("", None),
    };
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

async fn account_post(
    state: &AppState,
    domain: &Domain,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    which: AccountPage,
) -> Response {
    if !csrf::check(headers, form.get(csrf::FIELD).map(String::as_str)) {
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
    let req = match check(&ctx, domain, &params).await {
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
    let view = view(domain, &req.params, &token);
    let account = account::Account {
        ctx: &ctx,
        view: &view,
        client: &client,
        form,
    };
    match which {
        AccountPage::SignUp => account.sign_up_step().await,
        AccountPage::ForgotPassword => account.forgot_step().await,
    }
}

pub async fn get_sign_up(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    account_get(&state, &domain, &headers, &params, AccountPage::SignUp).await
}

pub async fn post_sign_up(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    account_post(&state, &domain, &headers, &form, AccountPage::SignUp).await
}

pub async fn get_forgot_password(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    account_get(
        &state,
        &domain,
        &headers,
        &params,
        AccountPage::ForgotPassword,
    )
    .await
}

pub async fn post_forgot_password(
    State(state): State<Arc<AppState>>,
    domain: Domain,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    account_post(
        &state,
        &domain,
        &headers,
        &form,
        AccountPage::ForgotPassword,
    )
    .await
}
