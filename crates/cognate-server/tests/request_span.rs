//! Log lines emitted while a request is processed carry its operation and request id: a real
//! server on port 0, a tracing subscriber writing to a buffer, and plain HTTP/1.1 requests.
//!
//! This binary holds a single test because it installs the process-wide subscriber.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use cognate_server::app::App;
use cognate_server::config::ServeConfig;
use serde_json::{json, Value};

/// Shared log buffer; each `make_writer` call appends to it.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("log buffer poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

/// Posts one AWS JSON 1.1 request; returns the `x-amzn-requestid` header and the JSON body.
async fn call(addr: std::net::SocketAddr, op: &str, body: Value) -> (String, Value) {
    let body = body.to_string();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let response = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        stream.write_all(request.as_bytes()).expect("send request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read response");
        response
    })
    .await
    .expect("HTTP call");
    let (head, body) = response.split_once("\r\n\r\n").expect("header end");
    assert!(head.starts_with("HTTP/1.1 200"), "{op} failed: {response}");
    let request_id = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("x-amzn-requestid")
                .then(|| value.trim().to_owned())
        })
        .expect("x-amzn-requestid header");
    (request_id, serde_json::from_str(body).expect("JSON body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_lines_inside_a_request_carry_its_request_id() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .expect("install the subscriber");

    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::build(ServeConfig::for_tests(dir.path().to_path_buf()))
        .await
        .expect("build app");
    let addr = app.addr;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run(async {
        let _ = stopped.await;
    }));

    let (_, pool) = call(
        addr,
        "CreateUserPool",
        json!({"PoolName": "span", "AutoVerifiedAttributes": ["email"]}),
    )
    .await;
    let pool_id = pool["UserPool"]["Id"].as_str().expect("pool id").to_owned();
    let (_, client) = call(
        addr,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "c"}),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .expect("client id")
        .to_owned();
    // SignUp hashes the password on the blocking pool and writes the confirmation code to the
    // outbox, whose log line is emitted from inside the core's sign-up use-case.
    let (request_id, _) = call(
        addr,
        "SignUp",
        json!({
            "ClientId": client_id,
            "Username": "sam",
            "Password": "Passw0rd!Good",
            "UserAttributes": [{"Name": "email", "Value": "sam@example.com"}],
        }),
    )
    .await;

    let _ = stop.send(());
    server.await.expect("server task").expect("server run");

    let text = logs.text();
    let outbox = text
        .lines()
        .find(|l| l.contains("message written to the outbox"))
        .unwrap_or_else(|| panic!("no outbox line in the log:\n{text}"));
    assert!(
        outbox.contains(&format!("request_id={request_id}")) && outbox.contains("op=SignUp"),
        "the outbox line lacks the request's span: {outbox}"
    );
    let done = text
        .lines()
        .find(|l| l.contains(&format!("request_id={request_id}")) && l.ends_with(" ok"))
        .unwrap_or_else(|| panic!("no `ok` line for request {request_id}:\n{text}"));
    assert!(done.contains("op=SignUp"), "{done}");
}
