//! Known answers from AWS's signing test suite (tests/data/sigv4-suite), a cross-check against
//! the official signer (`aws-sigv4`), and each way a signature is refused.

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use super::*;

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sigv4-suite");
const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2015-08-30T12:36:00Z, the suite's timestamp.
const SUITE_TIME: i64 = 1_440_938_160;

/// A request as it would arrive: method, path, query, headers, body.
struct Raw {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Raw {
    /// Parses the suite's `*-signed-request.txt` format (`Name:value` header lines).
    fn parse(text: &str) -> Self {
        let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut lines = head.lines();
        // `METHOD target HTTP/1.1`; the target may hold spaces.
        let request_line = lines.next().unwrap_or_default();
        let (method, rest) = request_line.split_once(' ').unwrap_or_default();
        let target = rest.rsplit_once(' ').map(|(t, _)| t).unwrap_or(rest);
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
            None => (target.to_owned(), None),
        };
        let mut headers = HeaderMap::new();
        for line in lines {
            let (name, value) = line.split_once(':').unwrap_or_default();
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap_or_else(|_| panic!("{name}")),
                HeaderValue::from_str(value).unwrap_or_else(|_| panic!("{value}")),
            );
        }
        Self {
            method: method.to_owned(),
            path,
            query,
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    fn request(&self) -> Request<'_> {
        Request {
            parts: SignedParts {
                method: &self.method,
                path: &self.path,
                query: self.query.as_deref(),
                authority: None,
                headers: &self.headers,
            },
            body: &self.body,
        }
    }

    fn verify(&self, service: &str, now_secs: i64) -> Result<String, SigV4Error> {
        self.verify_with(service, now_secs, SECRET)
    }

    fn verify_with(&self, service: &str, now: i64, secret: &str) -> Result<String, SigV4Error> {
        let expected = Expected {
            region: "us-east-1",
            service,
            now_secs: now,
            must_sign: &[],
        };
        verify(&self.request(), &expected, |id| {
            (id == KEY_ID).then_some(secret.as_bytes())
        })
    }

    fn set(&mut self, name: &'static str, value: &str) {
        self.headers.insert(
            name,
            HeaderValue::from_str(value).unwrap_or_else(|_| panic!("{value}")),
        );
    }
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{dir:?}/{file}: {e}"))
}

fn suite_cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(SUITE)
        .unwrap_or_else(|e| panic!("{SUITE}: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn vanilla() -> Raw {
    Raw::parse(&read(
        Path::new(SUITE)
            .join("post-x-www-form-urlencoded")
            .as_path(),
        "header-signed-request.txt",
    ))
}

#[test]
fn aws_signing_test_suite() {
    let cases = suite_cases();
    assert!(cases.len() >= 28, "{} cases", cases.len());
    for dir in cases {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        let raw = Raw::parse(&read(&dir, "header-signed-request.txt"));
        let signed: Vec<String> = {
            let auth = raw.headers.get("authorization").expect("authorization");
            let params = parse_authorization(auth.to_str().expect("ascii")).expect("parses");
            params
                .signed_headers
                .expect("signed headers")
                .split(';')
                .map(str::to_owned)
                .collect()
        };
        let payload = canonical::sha256_hex(&raw.body);
        let canonical = canonical::canonical_request(&raw.request().parts, &signed, &payload)
            .expect("canonical request");
        let canonical = String::from_utf8(canonical).expect("utf-8");
        assert_eq!(
            canonical,
            read(&dir, "header-canonical-request.txt"),
            "{name:?}"
        );
        let scope = canonical::credential_scope("20150830", "us-east-1", "service");
        let sts = canonical::string_to_sign("20150830T123600Z", &scope, canonical.as_bytes());
        assert_eq!(sts, read(&dir, "header-string-to-sign.txt"), "{name:?}");
        let key = canonical::signing_key(SECRET.as_bytes(), "20150830", "us-east-1", "service");
        let sig = hex::encode(canonical::signature(&key, &sts));
        assert_eq!(sig, read(&dir, "header-signature.txt").trim(), "{name:?}");
        assert_eq!(
            raw.verify("service", SUITE_TIME),
            Ok(KEY_ID.to_owned()),
            "{name:?}"
        );
    }
}

/// Method, path, query, extra headers, body.
struct Case(
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [u8],
);

/// Requests signed by the official Rust signer verify; the same requests with a byte changed
/// do not.
#[test]
fn cross_check_with_aws_sigv4() {
    use aws_credential_types::Credentials;
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use aws_sigv4::sign::v4;

    let identity = Credentials::new(KEY_ID, SECRET, None, None, "test").into();
    let now = SUITE_TIME + 86_400 * 3000 + 17;
    let cases = [
        Case(
            "POST",
            "/",
            "",
            &[(
                "x-amz-target",
                "AWSCognitoIdentityProviderService.ListUserPools",
            )],
            b"{\"MaxResults\":5}",
        ),
        Case(
            "POST",
            "/a/./b//c/../d/",
            "b=2&a=1&a=0",
            &[("content-type", "application/x-amz-json-1.1")],
            b"{}",
        ),
        Case(
            "POST",
            "/x%3Dy/%40z",
            "x=%2F%20y&empty=",
            &[("x-custom", "  spaced   out  ")],
            b"",
        ),
        Case(
            "GET",
            "/",
            "k",
            &[("x-multi", "one"), ("x-multi", "two")],
            b"",
        ),
        Case(
            "POST",
            "/q",
            "tilde=~&star=%2A",
            &[("x-amz-target", "T")],
            "ünïcödé body".as_bytes(),
        ),
        Case(
            "PUT",
            "/deep/path",
            "",
            &[("content-type", "application/json")],
            &[0u8, 255, 10, 13],
        ),
    ];
    for (i, Case(method, path, query, extra, body)) in cases.into_iter().enumerate() {
        let uri = match query {
            "" => format!("http://127.0.0.1:9229{path}"),
            q => format!("http://127.0.0.1:9229{path}?{q}"),
        };
        let mut headers: Vec<(&str, &str)> = vec![("host", "127.0.0.1:9229")];
        headers.extend_from_slice(extra);
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("eu-west-3")
            .name("cognito-idp")
            .time(UNIX_EPOCH + Duration::from_secs(now as u64))
            .settings(SigningSettings::default())
            .build()
            .expect("signing params")
            .into();
        let signable = SignableRequest::new(
            method,
            uri.clone(),
            headers.iter().copied(),
            SignableBody::Bytes(body),
        )
        .expect("signable");
        let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
        let mut request = axum::http::Request::builder().method(method).uri(&uri);
        for (n, v) in &headers {
            request = request.header(*n, *v);
        }
        let mut request = request.body(()).expect("request");
        instructions.apply_to_request_http1x(&mut request);

        let mut raw = Raw {
            method: method.to_owned(),
            path: request.uri().path().to_owned(),
            query: request.uri().query().map(str::to_owned),
            headers: request.headers().clone(),
            body: body.to_vec(),
        };
        let check = |raw: &Raw, secret: &str| {
            let expected = Expected {
                region: "eu-west-3",
                service: "cognito-idp",
                now_secs: now + 60,
                must_sign: &[],
            };
            verify(&raw.request(), &expected, |id| {
                (id == KEY_ID).then_some(secret.as_bytes())
            })
        };
        assert_eq!(
            check(&raw, SECRET),
            Ok(KEY_ID.to_owned()),
            "case {i}: {uri}"
        );
        let wrong = format!("{SECRET}x");
        assert_eq!(check(&raw, &wrong), Err(SigV4Error::mismatch()), "case {i}");
        raw.body.push(b' ');
        assert_eq!(
            check(&raw, SECRET),
            Err(SigV4Error::mismatch()),
            "case {i} body"
        );
        raw.body.pop();
        raw.path.push('x');
        assert_eq!(
            check(&raw, SECRET),
            Err(SigV4Error::mismatch()),
            "case {i} path"
        );
    }
}

#[test]
fn tampering_is_a_mismatch() {
    // This request claims its body's hash in x-amz-content-sha256 too.
    let mut raw = vanilla();
    raw.body[0] ^= 1;
    let err = raw
        .verify("service", SUITE_TIME)
        .expect_err("tampered body");
    assert_eq!(err.code(), "InvalidSignatureException");
    raw.headers.remove("x-amz-content-sha256");
    assert_eq!(
        raw.verify("service", SUITE_TIME),
        Err(SigV4Error::mismatch())
    );

    let mut raw = vanilla();
    raw.set("content-type", "application/json");
    assert_eq!(
        raw.verify("service", SUITE_TIME),
        Err(SigV4Error::mismatch())
    );

    let mut raw = vanilla();
    raw.set("x-amz-date", "20150830T123601Z");
    assert_eq!(
        raw.verify("service", SUITE_TIME),
        Err(SigV4Error::mismatch())
    );

    let mut raw = vanilla();
    raw.method = "PUT".into();
    assert_eq!(
        raw.verify("service", SUITE_TIME),
        Err(SigV4Error::mismatch())
    );

    let mut raw = vanilla();
    raw.query = Some("a=b".into());
    assert_eq!(
        raw.verify("service", SUITE_TIME),
        Err(SigV4Error::mismatch())
    );

    let mut raw = vanilla();
    raw.headers.remove("content-length");
    assert_eq!(
        raw.verify("service", SUITE_TIME),
        Err(SigV4Error::mismatch())
    );

    let raw = vanilla();
    assert_eq!(
        raw.verify_with("service", SUITE_TIME, "wrong"),
        Err(SigV4Error::mismatch())
    );
}

#[test]
fn an_unsigned_header_does_not_matter_but_a_claimed_body_hash_must_match() {
    let mut raw = vanilla();
    raw.set("user-agent", "anything");
    assert_eq!(raw.verify("service", SUITE_TIME), Ok(KEY_ID.to_owned()));
    raw.set(
        "x-amz-content-sha256",
        "0000000000000000000000000000000000000000000000000000000000000000",
    );
    assert_eq!(
        raw.verify("service", SUITE_TIME),
        Err(SigV4Error::Invalid(
            "The provided 'x-amz-content-sha256' header does not match what was computed.".into()
        ))
    );
}

#[test]
fn clock_skew_over_fifteen_minutes() {
    let raw = vanilla();
    assert!(raw.verify("service", SUITE_TIME + MAX_SKEW_SECS).is_ok());
    assert!(raw.verify("service", SUITE_TIME - MAX_SKEW_SECS).is_ok());
    assert_eq!(
        raw.verify("service", SUITE_TIME + 20 * 60),
        Err(SigV4Error::Invalid(
            "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z \
             (20150830T125600Z - 15 min.)"
                .into()
        ))
    );
    assert_eq!(
        raw.verify("service", SUITE_TIME - 16 * 60),
        Err(SigV4Error::Invalid(
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z \
             (20150830T122000Z + 15 min.)"
                .into()
        ))
    );
}

#[test]
fn unknown_key_missing_and_incomplete() {
    let raw = vanilla();
    let expected = Expected {
        region: "us-east-1",
        service: "service",
        now_secs: SUITE_TIME,
        must_sign: &[],
    };
    let err = verify(&raw.request(), &expected, |_| None::<&[u8]>).expect_err("refused");
    assert_eq!(err, SigV4Error::UnknownKey);
    assert_eq!(err.code(), "UnrecognizedClientException");
    assert_eq!(
        err.message(),
        "The security token included in the request is invalid."
    );

    let mut raw = vanilla();
    raw.headers.remove("authorization");
    let err = raw.verify("service", SUITE_TIME).expect_err("refused");
    assert_eq!(err, SigV4Error::Missing);
    assert_eq!(
        (err.code(), err.message()),
        (
            "MissingAuthenticationTokenException",
            "Missing Authentication Token"
        )
    );

    let mut raw = vanilla();
    raw.set(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
    );
    raw.headers.remove("x-amz-date");
    let err = raw.verify("service", SUITE_TIME).expect_err("refused");
    assert_eq!(err.code(), "IncompleteSignatureException");
    let message = err.message();
    for needle in ["'Signature'", "'SignedHeaders'", "'X-Amz-Date'"] {
        assert!(message.contains(needle), "{needle} not in {message}");
    }
    assert!(!message.contains("'Credential'"), "{message}");

    let mut raw = vanilla();
    raw.set("authorization", "Bearer abc");
    let err = raw.verify("service", SUITE_TIME).expect_err("refused");
    assert_eq!(err.code(), "IncompleteSignatureException");
    assert!(err.message().contains("'Credential'"), "{}", err.message());

    let mut raw = vanilla();
    raw.set("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature");
    let err = raw.verify("service", SUITE_TIME).expect_err("refused");
    assert!(
        err.message().contains("missing equal-sign"),
        "{}",
        err.message()
    );

    let mut raw = vanilla();
    raw.set("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00");
    let err = raw.verify("service", SUITE_TIME).expect_err("refused");
    assert!(
        err.message().starts_with("Credential must have exactly 5"),
        "{}",
        err.message()
    );

    let mut raw = vanilla();
    raw.set("x-amz-date", "2015-08-30T12:36:00Z");
    let err = raw.verify("service", SUITE_TIME).expect_err("refused");
    assert!(
        err.message().starts_with("Date must be in ISO-8601"),
        "{}",
        err.message()
    );

    let mut raw = vanilla();
    raw.set("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=00");
    let err = raw.verify("service", SUITE_TIME).expect_err("refused");
    assert!(err.message().contains("'Host'"), "{}", err.message());
}

#[test]
fn scope_must_match_the_date_region_and_service() {
    let raw = vanilla();
    let err = raw.verify("cognito-idp", SUITE_TIME).expect_err("refused");
    assert_eq!(
        err,
        SigV4Error::Invalid(
            "Credential should be scoped to correct service: 'cognito-idp'.".into()
        )
    );
    let expected = Expected {
        region: "eu-west-1",
        service: "service",
        now_secs: SUITE_TIME,
        must_sign: &[],
    };
    let err = verify(&raw.request(), &expected, |_| Some(SECRET)).expect_err("refused");
    assert_eq!(
        err,
        SigV4Error::Invalid(
            "Credential should be scoped to a valid region, not 'us-east-1'.".into()
        )
    );
    let mut raw = vanilla();
    raw.set("x-amz-date", "20150831T000000Z");
    let err = raw.verify("service", SUITE_TIME).expect_err("refused");
    assert_eq!(
        err,
        SigV4Error::Invalid(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from \
             HTTP: '20150830' != '20150831', from '20150831T000000Z'."
                .into()
        )
    );
}

#[test]
fn required_signed_headers() {
    let raw = vanilla();
    let expected = Expected {
        region: "us-east-1",
        service: "service",
        now_secs: SUITE_TIME,
        must_sign: &["x-amz-target"],
    };
    let err = verify(&raw.request(), &expected, |_| Some(SECRET)).expect_err("refused");
    assert_eq!(
        err,
        SigV4Error::Incomplete(
            "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.".into()
        )
    );
}
