//! `GET /oauth2/authorize`: checks the request as Cognito does, then either signs the user in
//! from a live managed-login session (unless `prompt=login`) or sends the browser to the
//! sign-in page with the same parameters. Before the redirect URI is known good, errors are
//! an error page; after, they go back to it as `?error=...&state=...`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cognate_core::service::oauth2::client::OAuthFlow;
use cognate_core::service::oauth2::codes::{issue_code, CodeGrant};
use cognate_core::service::oauth2::login_session;
use cognate_core::service::oauth2::pkce::Method;
use cognate_core::service::Ctx;

use super::client_config::oauth_config;
use super::domain::Domain;
use super::web::{cookie, redirect, with_query};
use crate::http::login::page::error_page;
use crate::state::AppState;

/// The managed-login session cookie.
pub const SESSION_COOKIE: &str = "cognate_login";

/// A checked authorization request.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<Method>,
    pub prompt_login: bool,
    /// The parameters as received, carried through the sign-in pages.
    pub params: Vec<(String, String)>,
}

/// The parameters an authorization request may carry (others are dropped).
pub const PARAMS: [&str; 11] = [
    "client_id",
    "response_type",
    "redirect_uri",
    "state",
    "scope",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "identity_provider",
    "prompt",
    "idp_identifier",
];

fn error_redirect(redirect_uri: &str, error: &str, state: Option<&str>) -> Response {
    let mut q = vec![("error", error)];
    if let Some(s) = state {
        q.push(("state", s));
    }
    redirect(&with_query(redirect_uri, &q), Vec::new())
}

/// Checks an authorization request against the domain's pool and the client's OAuth settings.
pub async fn check(
    ctx: &Ctx<'_>,
    domain: &Domain,
    params: &HashMap<String, String>,
) -> Result<AuthorizeRequest, Response> {
    let get = |k: &str| params.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let bad = |msg: &str| error_page(StatusCode::BAD_REQUEST, "Sign-in request not valid", msg);
    let client_id =
        get("client_id").ok_or_else(|| bad("The request names no app (client_id is missing)."))?;
    let client = match ctx.store.get_client(client_id).await {
        Ok(Some(c)) if c.pool_id == domain.pool_id => c,
        Ok(_) => return Err(bad("The app (client_id) is not known here.")),
        Err(e) => {
            tracing::error!(detail = %e, "reading a client");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    let config = oauth_config(&client);
    let redirect_uri = config.redirect_uri(get("redirect_uri")).ok_or_else(|| {
        bad("redirect_mismatch: the redirect_uri is not one of the app's callback URLs.")
    })?;
    let state = get("state").map(String::from);
    let fail = |e: &str| error_redirect(&redirect_uri, e, state.as_deref());
    match get("response_type") {
        Some("code") => {}
        Some("token") => return Err(fail("unsupported_response_type")),
        Some(_) => return Err(fail("unsupported_response_type")),
        None => return Err(fail("invalid_request")),
    }
    if !config.allows(OAuthFlow::Code) {
        return Err(fail("unauthorized_client"));
    }
    let idp_ok = |p: &str| p == "COGNITO" && config.identity_providers.iter().any(|i| i == p);
    match get("identity_provider") {
        Some(p) if !idp_ok(p) => return Err(fail("invalid_request")),
        None if !idp_ok("COGNITO") => return Err(fail("unauthorized_client")),
        _ => {}
    }
    let scopes = config
        .grant_scopes(get("scope"))
        .ok_or_else(|| fail("invalid_scope"))?;
    let code_challenge = get("code_challenge").map(String::from);
    let method = match (&code_challenge, get("code_challenge_method")) {
        (None, None) => None,
        (None, Some(_)) => return Err(fail("invalid_request")),
        (Some(_), m) => Some(Method::parse(m).ok_or_else(|| fail("invalid_request"))?),
    };
    let params = PARAMS
        .iter()
        .filter_map(|k| get(k).map(|v| (k.to_string(), v.to_owned())))
        .collect();
    Ok(AuthorizeRequest {
        client_id: client.client_id,
        redirect_uri,
        scope: scopes.join(" "),
        state,
        nonce: get("nonce").map(String::from),
        code_challenge,
        code_challenge_method: method,
        prompt_login: get("prompt") == Some("login"),
        params,
    })
}

/// Issues the code for a signed-in user and sends the browser back to the app.
pub async fn finish(
    ctx: &Ctx<'_>,
    domain: &Domain,
    req: &AuthorizeRequest,
    username: &str,
    auth_time: i64,
    cookies: Vec<axum::http::HeaderValue>,
) -> Response {
    let grant = CodeGrant {
        client_id: req.client_id.clone(),
        redirect_uri: req.redirect_uri.clone(),
        username: username.to_owned(),
        scope: req.scope.clone(),
        nonce: req.nonce.clone(),
        code_challenge: req.code_challenge.clone(),
        code_challenge_method: req.code_challenge_method.map(|m| m.as_str().to_owned()),
        auth_time,
        expires: 0,
    };
    match issue_code(ctx, &domain.pool_id, grant).await {
        Ok(code) => {
            let mut q = vec![("code", code.as_str())];
            if let Some(s) = &req.state {
                q.push(("state", s.as_str()));
            }
            redirect(&with_query(&req.redirect_uri, &q), cookies)
        }
        Err(e) => {
            tracing::error!(detail = %e, "issuing an authorization code");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn authorize(
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
    if !req.prompt_login {
        if let Some(c) = cookie(&headers, SESSION_COOKIE) {
            match login_session::find(&ctx, &domain.pool_id, &c).await {
                Ok(Some(s)) => {
                    return finish(&ctx, &domain, &req, &s.username, s.auth_time, Vec::new()).await
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::error!(detail = %e, "reading a login session");
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
            }
        }
    }
    let pairs: Vec<(&str, &str)> = req
        .params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    redirect(
        &with_query(&format!("{}/login", domain.base_path), &pairs),
        Vec::new(),
    )
}
