//! Mutations of the request line and headers: X-Amz-Target absent, empty, malformed, for
//! another operation, or non-UTF-8; odd content types; odd paths; extra headers. Header bytes
//! stay within what HTTP/1.1 allows (no CR, LF or other controls besides tab).

use crate::api::{CONTENT_TYPE, TARGET_PREFIX};
use crate::http::Request;
use crate::rng::Rng;
use crate::values::alnum;

/// Replaces bytes HTTP/1.1 forbids in a header value.
fn sanitize(mut v: Vec<u8>) -> Vec<u8> {
    for b in &mut v {
        if (*b < 0x20 && *b != b'\t') || *b == 0x7f {
            *b = b'?';
        }
    }
    v
}

fn set(req: &mut Request, name: &str, value: Option<Vec<u8>>) {
    req.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    if let Some(v) = value {
        req.headers.push((name.to_owned(), sanitize(v)));
    }
}

fn target(op: &str, other_op: &str, rng: &mut Rng) -> Option<Vec<u8>> {
    let v: Vec<u8> = match rng.below(14) {
        0 => return None,
        1 => vec![],
        2 => TARGET_PREFIX.into(),
        3 => format!("{TARGET_PREFIX}{other_op}").into_bytes(),
        4 => format!("{}{op}", TARGET_PREFIX.to_ascii_lowercase()).into_bytes(),
        5 => format!("{TARGET_PREFIX}{}", op.to_ascii_lowercase()).into_bytes(),
        6 => format!("AWSCognitoIdentityProviderService{op}").into_bytes(),
        7 => format!("{TARGET_PREFIX}{op} ").into_bytes(),
        8 => format!(" {TARGET_PREFIX}{op}").into_bytes(),
        9 => format!("{TARGET_PREFIX}{op}.{op}").into_bytes(),
        10 => {
            let mut v = format!("{TARGET_PREFIX}{op}").into_bytes();
            v.extend_from_slice(b"\xff\xfe");
            v
        }
        11 => format!("{TARGET_PREFIX}{}", "A".repeat(rng.range(100, 8_000))).into_bytes(),
        12 => format!("{TARGET_PREFIX}{}", alnum(rng, 12)).into_bytes(),
        _ => format!("AWSCognitoIdentityService.{op}").into_bytes(),
    };
    Some(v)
}

fn content_type(rng: &mut Rng) -> Option<Vec<u8>> {
    let v = match rng.below(12) {
        0 => return None,
        1 => "application/json".to_owned(),
        2 => "application/x-amz-json-1.0".to_owned(),
        3 => "text/plain".to_owned(),
        4 => format!("{CONTENT_TYPE}; charset=utf-8"),
        5 => CONTENT_TYPE.to_ascii_uppercase(),
        6 => String::new(),
        7 => ";".to_owned(),
        8 => "application/x-www-form-urlencoded".to_owned(),
        9 => format!("  {CONTENT_TYPE}  ;;; a=b"),
        10 => return Some(b"application/\xff\xfejson".to_vec()),
        _ => "multipart/form-data; boundary=x".to_owned(),
    };
    Some(v.into_bytes())
}

/// Paths that are not the API: POST there is answered by other routes (405, 404), so only
/// the no-5xx rule applies to them.
pub const RESERVED_PATHS: &[&str] = &[
    "/health",
    "/_cognate/clock",
    "/us-east-1_abc/.well-known/jwks.json",
    "/us-east-1_abc/.well-known/openid-configuration",
];

pub fn is_api_path(path: &str) -> bool {
    !RESERVED_PATHS.contains(&path)
}

fn path(rng: &mut Rng) -> String {
    if rng.percent(10) {
        return rng.pick_str(RESERVED_PATHS).to_owned();
    }
    rng.pick_str(&[
        "/",
        "/x",
        "//",
        "/?a=b",
        "/%ff",
        "/../..",
        "/a/b/c/d",
        "/%00",
        "/.well-known",
    ])
    .to_owned()
}

/// Mutates the request's target, content type, path or extra headers.
pub fn mutate(req: &mut Request, op: &str, other_op: &str, rng: &mut Rng) {
    for _ in 0..rng.range(1, 2) {
        match rng.below(8) {
            0..=2 => set(req, "X-Amz-Target", target(op, other_op, rng)),
            7 => {
                // A chunked body, sometimes past the size limit.
                if rng.percent(10) {
                    req.body
                        .resize(crate::values::BODY_LIMIT + rng.below(64), b' ');
                }
                let n = rng.range(1, 6);
                req.chunks = Some((0..n).map(|_| rng.range(1, 70_000)).collect());
            }
            3 | 4 => set(req, "Content-Type", content_type(rng)),
            5 => req.path = path(rng),
            _ => {
                let (name, value): (&str, Vec<u8>) = match rng.below(6) {
                    0 => ("X-Amz-Target", format!("{TARGET_PREFIX}{other_op}").into_bytes()),
                    1 => ("Content-Type", b"text/plain".to_vec()),
                    2 => (
                        "Authorization",
                        b"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00".to_vec(),
                    ),
                    3 => ("X-Amz-Date", b"20240101T000000Z".to_vec()),
                    4 => ("Content-Encoding", b"gzip".to_vec()),
                    _ => ("X-Fuzz", b"\x80\x81\xfe".to_vec()),
                };
                req.headers.push((name.to_owned(), sanitize(value)));
            }
        }
    }
}
