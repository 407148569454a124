//! Verifying AWS Signature Version 4 (`AWS4-HMAC-SHA256`, Authorization header form) on a
//! request already read into memory. Pure: the caller passes the time, the expected region and
//! service, and a lookup from access key id to secret. Errors carry AWS's exception names and
//! messages.

pub mod amz_date;
pub mod canonical;

use subtle::ConstantTimeEq;

pub use canonical::SignedParts;
use canonical::{ALGORITHM, TERMINATOR};

/// How far `X-Amz-Date` may be from the server's clock, either way.
pub const MAX_SKEW_SECS: i64 = 15 * 60;

pub const MISMATCH: &str = "The request signature we calculated does not match the signature \
    you provided. Check your AWS Secret Access Key and signing method. Consult the service \
    documentation for details.";

/// A request as the signature covers it.
pub struct Request<'a> {
    pub parts: SignedParts<'a>,
    pub body: &'a [u8],
}

/// What the signature must be scoped to, and the server's time.
pub struct Expected<'a> {
    pub region: &'a str,
    pub service: &'a str,
    pub now_secs: i64,
    /// Lowercase names that must be among the signed headers besides `host`.
    pub must_sign: &'a [&'a str],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigV4Error {
    /// No Authorization header.
    Missing,
    /// An Authorization header that lacks or garbles a part.
    Incomplete(String),
    /// A well-formed signature by an access key this server does not know.
    UnknownKey,
    /// Wrong scope, expired, or not the signature of this request.
    Invalid(String),
}

impl SigV4Error {
    /// The wire `__type`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing => "MissingAuthenticationTokenException",
            Self::Incomplete(_) => "IncompleteSignatureException",
            Self::UnknownKey => "UnrecognizedClientException",
            Self::Invalid(_) => "InvalidSignatureException",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Self::Missing => "Missing Authentication Token",
            Self::UnknownKey => "The security token included in the request is invalid.",
            Self::Incomplete(m) | Self::Invalid(m) => m,
        }
    }

    fn mismatch() -> Self {
        Self::Invalid(MISMATCH.to_owned())
    }
}

/// The three parameters of an Authorization header, each `None` when absent.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AuthorizationParams<'a> {
    pub algorithm: &'a str,
    pub credential: Option<&'a str>,
    pub signed_headers: Option<&'a str>,
    pub signature: Option<&'a str>,
}

/// Splits `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. Another
/// algorithm comes back with no parameters.
pub fn parse_authorization(value: &str) -> Result<AuthorizationParams<'_>, SigV4Error> {
    let value = value.trim();
    let (algorithm, rest) = value
        .split_once(|c: char| c.is_ascii_whitespace())
        .unwrap_or((value, ""));
    let mut params = AuthorizationParams {
        algorithm,
        ..Default::default()
    };
    if algorithm != ALGORITHM {
        // Not a SigV4 header (or another version of it): nothing below is meaningful.
        return Ok(params);
    }
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, val)) = part.split_once('=') else {
            return Err(SigV4Error::Incomplete(format!(
                "'{}' not a valid key=value pair (missing equal-sign) in Authorization header: \
                 '{}'.",
                shorten(part),
                shorten(value)
            )));
        };
        match key.trim() {
            "Credential" => params.credential = Some(val.trim()),
            "SignedHeaders" => params.signed_headers = Some(val.trim()),
            "Signature" => params.signature = Some(val.trim()),
            _ => {}
        }
    }
    Ok(params)
}

/// Checks the request's signature; returns the access key id that signed it.
pub fn verify<S: AsRef<[u8]>>(
    req: &Request<'_>,
    expected: &Expected<'_>,
    secret_for: impl FnOnce(&str) -> Option<S>,
) -> Result<String, SigV4Error> {
    let headers = req.parts.headers;
    let mut authorizations = headers.get_all("authorization").iter();
    let (Some(authorization), None) = (authorizations.next(), authorizations.next()) else {
        return Err(match headers.contains_key("authorization") {
            true => SigV4Error::Incomplete("More than one Authorization header.".into()),
            false => SigV4Error::Missing,
        });
    };
    let authorization = authorization.to_str().map_err(|_| {
        SigV4Error::Incomplete("The Authorization header is not printable ASCII.".into())
    })?;
    let params = parse_authorization(authorization)?;
    if params.algorithm.starts_with("AWS4-") && params.algorithm != ALGORITHM {
        return Err(SigV4Error::Incomplete(format!(
            "Unsupported AWS 'algorithm': '{}'. Use {ALGORITHM}.",
            shorten(params.algorithm)
        )));
    }
    let amz_date = headers.get("x-amz-date").and_then(|v| v.to_str().ok());
    let (Some(credential), Some(signed_headers), Some(signature), Some(amz_date), ALGORITHM) = (
        params.credential,
        params.signed_headers,
        params.signature,
        amz_date,
        params.algorithm,
    ) else {
        return Err(SigV4Error::Incomplete(incomplete_message(
            &params,
            amz_date.is_some(),
            authorization,
        )));
    };

    let scope: Vec<&str> = credential.split('/').collect();
    let [key_id, date, region, service, terminator] = scope[..] else {
        return Err(SigV4Error::Incomplete(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. \
             keyid/date/region/service/term, got '{}'",
            shorten(credential)
        )));
    };
    let Some(request_secs) = amz_date::parse(amz_date) else {
        return Err(SigV4Error::Incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{}'. See \
             http://en.wikipedia.org/wiki/ISO_8601",
            shorten(amz_date)
        )));
    };
    let signed: Vec<String> = signed_headers
        .split(';')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if !signed.iter().any(|h| h == "host") {
        return Err(SigV4Error::Incomplete(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".into(),
        ));
    }
    if let Some(unsigned) = expected
        .must_sign
        .iter()
        .find(|name| !signed.iter().any(|h| h == *name))
    {
        return Err(SigV4Error::Incomplete(format!(
            "'{unsigned}' must be a 'SignedHeader' in the AWS Authorization."
        )));
    }

    let http_date = &amz_date[..8];
    if date != http_date {
        return Err(SigV4Error::Invalid(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from \
             HTTP: '{}' != '{http_date}', from '{amz_date}'.",
            shorten(date)
        )));
    }
    if region != expected.region {
        return Err(SigV4Error::Invalid(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            shorten(region)
        )));
    }
    if service != expected.service {
        return Err(SigV4Error::Invalid(format!(
            "Credential should be scoped to correct service: '{}'.",
            expected.service
        )));
    }
    if terminator != TERMINATOR {
        return Err(SigV4Error::Invalid(format!(
            "Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{}'.",
            shorten(terminator)
        )));
    }

    let secret = secret_for(key_id).ok_or(SigV4Error::UnknownKey)?;
    check_time(amz_date, request_secs, expected.now_secs)?;

    let payload_hash = canonical::sha256_hex(req.body);
    if let Some(claimed) = headers.get("x-amz-content-sha256") {
        if claimed.as_bytes() != payload_hash.as_bytes() {
            return Err(SigV4Error::Invalid(
                "The provided 'x-amz-content-sha256' header does not match what was computed."
                    .into(),
            ));
        }
    }
    let canonical_request = canonical::canonical_request(&req.parts, &signed, &payload_hash)
        .map_err(|_| SigV4Error::mismatch())?;
    let scope = canonical::credential_scope(date, region, service);
    let string_to_sign = canonical::string_to_sign(amz_date, &scope, &canonical_request);
    let key = canonical::signing_key(secret.as_ref(), date, region, service);
    let computed = canonical::signature(&key, &string_to_sign);
    let provided = hex::decode(signature).map_err(|_| SigV4Error::mismatch())?;
    if provided.len() != computed.len() || !bool::from(computed.ct_eq(&provided[..])) {
        return Err(SigV4Error::mismatch());
    }
    Ok(key_id.to_owned())
}

fn check_time(amz_date: &str, request_secs: i64, now_secs: i64) -> Result<(), SigV4Error> {
    let earliest = now_secs - MAX_SKEW_SECS;
    let latest = now_secs + MAX_SKEW_SECS;
    if request_secs < earliest {
        return Err(SigV4Error::Invalid(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
            amz_date::format(earliest),
            amz_date::format(now_secs)
        )));
    }
    if request_secs > latest {
        return Err(SigV4Error::Invalid(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
            amz_date::format(latest),
            amz_date::format(now_secs)
        )));
    }
    Ok(())
}

/// AWS's message for an Authorization header that lacks parameters, naming each one.
fn incomplete_message(
    params: &AuthorizationParams<'_>,
    has_date: bool,
    authorization: &str,
) -> String {
    let mut message = String::new();
    if params.algorithm != ALGORITHM {
        message.push_str(&format!(
            "Authorization header requires the '{ALGORITHM}' algorithm. "
        ));
    }
    for (present, name) in [
        (params.credential.is_some(), "Credential"),
        (params.signature.is_some(), "Signature"),
        (params.signed_headers.is_some(), "SignedHeaders"),
    ] {
        if !present {
            message.push_str(&format!(
                "Authorization header requires '{name}' parameter. "
            ));
        }
    }
    if !has_date {
        message
            .push_str("Authorization header requires existence of either a 'X-Amz-Date' header. ");
    }
    message.push_str(&format!("Authorization={}", shorten(authorization)));
    message
}

/// Echoed request text, cut to a length fit for an error message.
fn shorten(s: &str) -> &str {
    const MAX: usize = 256;
    if s.len() <= MAX {
        return s;
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests;
