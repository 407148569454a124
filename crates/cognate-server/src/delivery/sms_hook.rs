//! SMS through a webhook: each message is a JSON POST to `--sms-webhook-url`, signed so the
//! receiver can check it came from this server, for an operator to forward to Twilio, SNS or a
//! modem. The body:
//!
//! ```json
//! {"destination": "+12065551212", "message": "Your verification code is 123456.",
//!  "kind": "SignUp", "pool_id": "us-east-1_abc", "username": "bob", "user_sub": "…",
//!  "sms_configuration": {"SnsCallerArn": "…", "ExternalId": "…", "SnsRegion": "…"},
//!  "time": 1767225600.0}
//! ```
//!
//! `X-Cognate-Signature: sha256=<hex>` is HMAC-SHA256 over the exact body bytes with the
//! configured secret (`time`, inside the signed body, lets a receiver refuse old requests).
//! A 2xx answer is success; 5xx, 429 and connection failures are retried; other answers are not.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use cognate_core::delivery::OutgoingMessage;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use sha2::Sha256;

use super::retry::{Attempt, SendError};

/// The header carrying the body's signature.
pub const SIGNATURE_HEADER: &str = "x-cognate-signature";

type Body = Full<Bytes>;

enum HttpClient {
    Plain(Client<HttpConnector, Body>),
    Tls(Client<hyper_rustls::HttpsConnector<HttpConnector>, Body>),
}

pub struct SmsHookDelivery {
    client: HttpClient,
    uri: hyper::Uri,
    secret: String,
    timeout: Duration,
    now: Arc<dyn Fn() -> f64 + Send + Sync>,
}

/// `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The JSON body for a message.
pub fn body(m: &OutgoingMessage, time: f64) -> Vec<u8> {
    let config: &BTreeMap<String, String> = &m.sms_configuration;
    serde_json::json!({
        "destination": m.destination,
        "message": m.message,
        "kind": m.kind,
        "pool_id": m.pool_id,
        "username": m.username,
        "user_sub": m.user_sub,
        "sms_configuration": config,
        "time": time,
    })
    .to_string()
    .into_bytes()
}

impl SmsHookDelivery {
    pub fn new(
        url: &str,
        secret: String,
        timeout: Duration,
        now: Arc<dyn Fn() -> f64 + Send + Sync>,
    ) -> anyhow::Result<Self> {
        let uri: hyper::Uri = url.parse().context("reading --sms-webhook-url")?;
        anyhow::ensure!(uri.host().is_some(), "--sms-webhook-url has no host");
        let client = match uri.scheme_str() {
            Some("http") => HttpClient::Plain(Client::builder(TokioExecutor::new()).build_http()),
            Some("https") => {
                let connector = hyper_rustls::HttpsConnectorBuilder::new()
                    .with_native_roots()
                    .context("loading the system's root certificates")?
                    .https_only()
                    .enable_http1()
                    .build();
                HttpClient::Tls(Client::builder(TokioExecutor::new()).build(connector))
            }
            _ => anyhow::bail!("--sms-webhook-url must start with http:// or https://"),
        };
        Ok(Self {
            client,
            uri,
            secret,
            timeout,
            now,
        })
    }

    /// For the start-up log: the URL without its query (which might carry a token).
    pub fn describe(&self) -> String {
        format!(
            "{}://{}{}",
            self.uri.scheme_str().unwrap_or(""),
            self.uri.authority().map(|a| a.as_str()).unwrap_or(""),
            self.uri.path()
        )
    }
}

#[async_trait]
impl Attempt for SmsHookDelivery {
    fn channel(&self) -> &'static str {
        "sms-webhook"
    }

    async fn attempt(&self, m: &OutgoingMessage) -> Result<(), SendError> {
        let body = body(m, (self.now)());
        let request = hyper::Request::post(self.uri.clone())
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature(&self.secret, &body))
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| SendError::permanent(format!("building the request: {e}")))?;
        let sent = async {
            match &self.client {
                HttpClient::Plain(c) => c.request(request).await,
                HttpClient::Tls(c) => c.request(request).await,
            }
        };
        let response = match tokio::time::timeout(self.timeout, sent).await {
            Err(_) => return Err(SendError::transient("the webhook did not answer in time")),
            Ok(Err(e)) => return Err(SendError::transient(format!("calling the webhook: {e}"))),
            Ok(Ok(r)) => r,
        };
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status.is_server_error() || status.as_u16() == 429 {
            Err(SendError::transient(format!(
                "the webhook answered {status}"
            )))
        } else {
            Err(SendError::permanent(format!(
                "the webhook answered {status}"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn only_http_urls() {
        let now: Arc<dyn Fn() -> f64 + Send + Sync> = Arc::new(|| 0.0);
        let t = Duration::from_secs(1);
        assert!(
            SmsHookDelivery::new("http://127.0.0.1:9/sms?token=x", "k".into(), t, now.clone())
                .is_ok()
        );
        assert!(SmsHookDelivery::new("ftp://127.0.0.1/", "k".into(), t, now.clone()).is_err());
        let hook = SmsHookDelivery::new("http://127.0.0.1:9/sms?token=x", "k".into(), t, now);
        assert_eq!(
            hook.map(|h| h.describe()).ok().as_deref(),
            Some("http://127.0.0.1:9/sms")
        );
    }
}
