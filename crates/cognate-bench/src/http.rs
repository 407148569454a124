//! One keep-alive HTTP/1.1 connection per worker, and the AWS JSON 1.1 call over it.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

/// The longest a call may take before it counts as a `timeout` error.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A failed call: `kind` is the AWS error type (`__type`), or `HTTP <status>`, `connect`,
/// `timeout`, `io`, `bad JSON`.
#[derive(Debug, Clone)]
pub struct CallError {
    pub kind: String,
    pub message: String,
}

impl CallError {
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

pub struct Conn {
    /// host:port
    addr: String,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    pub fn new(addr: &str) -> Self {
        Self {
            addr: addr.to_owned(),
            sender: None,
        }
    }

    async fn sender(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, CallError> {
        if let Some(s) = &self.sender {
            if s.is_closed() {
                self.sender = None;
            }
        }
        if self.sender.is_none() {
            let stream = TcpStream::connect(&self.addr)
                .await
                .map_err(|e| CallError::new("connect", e.to_string()))?;
            let _ = stream.set_nodelay(true);
            let (sender, conn) = http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|e| CallError::new("connect", e.to_string()))?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            self.sender = Some(sender);
        }
        self.sender
            .as_mut()
            .ok_or_else(|| CallError::new("connect", "no connection"))
    }

    /// POSTs `body` to `path`; returns the status, the `x-amzn-ErrorType` header and the body.
    pub async fn post(
        &mut self,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<(u16, Option<String>, Bytes), CallError> {
        self.request(hyper::Method::POST, path, headers, body).await
    }

    pub async fn request(
        &mut self,
        method: hyper::Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<(u16, Option<String>, Bytes), CallError> {
        let host = self.addr.clone();
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", host);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let req = req
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| CallError::new("request", e.to_string()))?;
        let mut sender = self.sender().await?;
        // A kept-alive connection the server has closed in the meantime: one new connection
        // (nothing was sent on the old one).
        if sender.ready().await.is_err() {
            self.sender = None;
            sender = self.sender().await?;
        }
        let fut = async {
            sender
                .ready()
                .await
                .map_err(|e| CallError::new("io", e.to_string()))?;
            let resp = sender
                .send_request(req)
                .await
                .map_err(|e| CallError::new("io", e.to_string()))?;
            let status = resp.status().as_u16();
            let error_type = resp
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(String::from);
            let body = resp
                .into_body()
                .collect()
                .await
                .map_err(|e| CallError::new("io", e.to_string()))?
                .to_bytes();
            Ok((status, error_type, body))
        };
        let result = match tokio::time::timeout(CALL_TIMEOUT, fut).await {
            Ok(r) => r,
            Err(_) => Err(CallError::new(
                "timeout",
                format!("no answer in {CALL_TIMEOUT:?}"),
            )),
        };
        if result.is_err() {
            self.sender = None;
        }
        result
    }

    /// `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<op>`.
    pub async fn call(&mut self, op: &str, body: &Value) -> Result<Value, CallError> {
        let target = format!("AWSCognitoIdentityProviderService.{op}");
        let headers = [
            ("x-amz-target", target.as_str()),
            ("content-type", "application/x-amz-json-1.1"),
        ];
        let bytes =
            serde_json::to_vec(body).map_err(|e| CallError::new("request", e.to_string()))?;
        let (status, error_type, body) = self.post("/", &headers, bytes).await?;
        let json: Option<Value> = if body.is_empty() {
            Some(Value::Object(Default::default()))
        } else {
            serde_json::from_slice(&body).ok()
        };
        if (200..300).contains(&status) {
            return json.ok_or_else(|| {
                CallError::new(
                    "bad JSON",
                    String::from_utf8_lossy(&body)
                        .chars()
                        .take(200)
                        .collect::<String>(),
                )
            });
        }
        let from_body = json.as_ref().and_then(|j| {
            j.get("__type")
                .or_else(|| j.get("code"))
                .and_then(Value::as_str)
                .map(String::from)
        });
        let kind = from_body
            .or(error_type)
            .map(|t| short_type(&t))
            .unwrap_or_else(|| format!("HTTP {status}"));
        let message = json
            .as_ref()
            .and_then(|j| j.get("message").or_else(|| j.get("Message")))
            .and_then(Value::as_str)
            .map(String::from)
            .unwrap_or_else(|| String::from_utf8_lossy(&body).chars().take(200).collect());
        Err(CallError::new(kind, message))
    }
}

/// `com.amazonaws...#NotAuthorizedException` or `NotAuthorizedException:http://...` → the name.
fn short_type(t: &str) -> String {
    let t = t.rsplit('#').next().unwrap_or(t);
    t.split(':').next().unwrap_or(t).to_owned()
}

/// `http://host:port/` → `host:port`.
pub fn host_port(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned()
}
