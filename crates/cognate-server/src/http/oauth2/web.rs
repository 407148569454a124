//! Small HTTP helpers of the OAuth endpoints and pages: cookies, redirects, query strings.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::domain::Domain;

/// A cookie's value from the request, if present.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, scoped to the domain's paths; `Secure` on
/// https; `max_age` 0 deletes it.
pub fn set_cookie(domain: &Domain, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let path = if domain.base_path.is_empty() {
        "/"
    } else {
        domain.base_path.as_str()
    };
    let secure = if domain.secure { "; Secure" } else { "" };
    let s =
        format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `url` with query parameters appended (after `?` or `&`).
pub fn with_query(url: &str, params: &[(&str, &str)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        ser.append_pair(k, v);
    }
    let q = ser.finish();
    if q.is_empty() {
        return url.to_owned();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{q}")
}

/// A 302 to `location`, with extra headers (cookies).
pub fn redirect(location: &str, cookies: Vec<HeaderValue>) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for c in cookies {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}
