//! CSRF protection of the managed login's forms: the browser holds a random value in an
//! HttpOnly, SameSite cookie; every form carries a token derived from it (SHA-256 with a
//! label), which a page of another site can neither read nor compute. A POST whose token does
//! not match its cookie is refused.

use axum::http::{HeaderMap, HeaderValue};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognate_core::crypto::{ct_eq, sha256_hex};
use cognate_core::random::{Random, RandomExt};

use crate::http::oauth2::domain::Domain;
use crate::http::oauth2::web::{cookie, set_cookie};

pub const COOKIE: &str = "cognate_csrf";
pub const FIELD: &str = "_csrf";

fn token_for(cookie_value: &str) -> String {
    sha256_hex(format!("cognate-login-csrf:{cookie_value}").as_bytes())
}

/// The form token for this browser, and the cookie to set when it has none yet.
pub fn ensure(
    headers: &HeaderMap,
    domain: &Domain,
    random: &dyn Random,
) -> (String, Option<HeaderValue>) {
    match cookie(headers, COOKIE) {
        Some(c) => (token_for(&c), None),
        None => {
            let c = URL_SAFE_NO_PAD.encode(random.bytes::<32>());
            (token_for(&c), Some(set_cookie(domain, COOKIE, &c, 86400)))
        }
    }
}

/// Whether a posted form's token matches the browser's cookie.
pub fn check(headers: &HeaderMap, posted: Option<&str>) -> bool {
    match (cookie(headers, COOKIE), posted) {
        (Some(c), Some(t)) => ct_eq(token_for(&c).as_bytes(), t.as_bytes()),
        _ => false,
    }
}
