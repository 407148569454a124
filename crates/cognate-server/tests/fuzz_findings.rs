//! Regression tests for what `cognate-fuzz` found: each test sends the request the fuzzer
//! sent, to a real server on port 0, and checks it is answered with a client error in the AWS
//! envelope instead of a 500.
//!
//! Races are made deterministic with an `Offload` that deletes data while the request's
//! password hash runs, the window in which the fuzzer's concurrent requests hit them.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use cognate_core::service::{Job, Offload};
use cognate_core::store::Store;
use cognate_server::app::App;
use cognate_server::config::ServeConfig;
use serde_json::{json, Value};

/// What to delete when the next CPU job starts.
enum Deletion {
    User { pool: String, username: String },
    Pool(String),
}

/// Runs jobs inline, first carrying out the armed deletion (as a concurrent request would).
struct DeleteDuringJob {
    store: Arc<dyn Store>,
    armed: Mutex<Option<Deletion>>,
}

#[async_trait]
impl Offload for DeleteDuringJob {
    async fn run(&self, job: Job) -> cognate_core::Result<()> {
        let deletion = self.armed.lock().ok().and_then(|mut a| a.take());
        match deletion {
            Some(Deletion::User { pool, username }) => {
                self.store.delete_user(&pool, &username).await?;
            }
            Some(Deletion::Pool(pool)) => {
                self.store.delete_pool(&pool).await?;
            }
            None => {}
        }
        job();
        Ok(())
    }
}

struct Server {
    addr: SocketAddr,
    hook: Arc<DeleteDuringJob>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut app = App::build(ServeConfig::for_tests(dir.path().to_path_buf()))
            .await
            .expect("build app");
        let state = Arc::get_mut(&mut app.state).expect("the state is not shared before run");
        let hook = Arc::new(DeleteDuringJob {
            store: state.store.clone(),
            armed: Mutex::new(None),
        });
        state.cpu = hook.clone();
        let addr = app.addr;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run(async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            hook,
            stop: Some(stop),
            _dir: dir,
        }
    }

    fn arm(&self, d: Deletion) {
        *self.hook.armed.lock().expect("hook") = Some(d);
    }

    /// Posts one request; returns the status, the `x-amzn-ErrorType` header and the body.
    async fn call(&self, op: &str, body: Value) -> (u16, Option<String>, Value) {
        let addr = self.addr;
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
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let error_type = head.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("x-amzn-errortype")
                .then(|| value.trim().to_owned())
        });
        (
            status,
            error_type,
            serde_json::from_str(body).expect("JSON body"),
        )
    }

    async fn ok(&self, op: &str, body: Value) -> Value {
        let (status, _, out) = self.call(op, body).await;
        assert_eq!(status, 200, "{op}: {out}");
        out
    }

    /// A pool and a client allowing admin password sign-in.
    async fn pool_and_client(&self) -> (String, String) {
        let pool = self
            .ok("CreateUserPool", json!({"PoolName": "fuzz-findings"}))
            .await;
        let pool = pool["UserPool"]["Id"].as_str().expect("pool id").to_owned();
        let client = self
            .ok(
                "CreateUserPoolClient",
                json!({"UserPoolId": pool, "ClientName": "c",
                       "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
            )
            .await;
        let client = client["UserPoolClient"]["ClientId"]
            .as_str()
            .expect("client id")
            .to_owned();
        (pool, client)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A client error in the AWS envelope, not an internal error.
fn assert_client_error(what: &str, (status, error_type, body): &(u16, Option<String>, Value)) {
    let code = body["__type"].as_str().unwrap_or("");
    assert_eq!(*status, 400, "{what}: {status} {body}");
    assert!(
        !code.is_empty() && code != "InternalErrorException",
        "{what}: {body}"
    );
    assert!(body["message"].is_string(), "{what}: {body}");
    assert_eq!(
        error_type.as_deref(),
        Some(format!("{code}:").as_str()),
        "{what}"
    );
}

const PASSWORD: &str = "Fuzz-Passw0rd!";

/// Finding: AdminInitiateAuth answered 500 ("conflict on reference") when the user was deleted
/// while its password was being checked: the refresh token's row referred to a deleted user.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_of_a_user_deleted_meanwhile_is_a_client_error() {
    let server = Server::start().await;
    let (pool, client) = server.pool_and_client().await;
    server
        .ok(
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": "alice", "TemporaryPassword": PASSWORD,
                   "MessageAction": "SUPPRESS"}),
        )
        .await;
    server
        .ok(
            "AdminSetUserPassword",
            json!({"UserPoolId": pool, "Username": "alice", "Password": PASSWORD, "Permanent": true}),
        )
        .await;
    server.arm(Deletion::User {
        pool: pool.clone(),
        username: "alice".into(),
    });
    let answer = server
        .call(
            "AdminInitiateAuth",
            json!({"UserPoolId": pool, "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                   "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD}}),
        )
        .await;
    assert_client_error("AdminInitiateAuth", &answer);
}

/// The same race on the other writes that refer to a row: SignUp and AdminCreateUser store a
/// user of a pool deleted while the password was hashed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_a_user_in_a_pool_deleted_meanwhile_is_a_client_error() {
    let server = Server::start().await;
    let (pool, client) = server.pool_and_client().await;
    server.arm(Deletion::Pool(pool.clone()));
    let answer = server
        .call(
            "SignUp",
            json!({"ClientId": client, "Username": "bob", "Password": PASSWORD}),
        )
        .await;
    assert_client_error("SignUp", &answer);

    let (pool, _) = server.pool_and_client().await;
    server.arm(Deletion::Pool(pool.clone()));
    let answer = server
        .call(
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": "carol", "TemporaryPassword": PASSWORD,
                   "MessageAction": "SUPPRESS"}),
        )
        .await;
    assert_client_error("AdminCreateUser", &answer);
}
