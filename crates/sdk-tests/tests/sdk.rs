//! Cognate driven through the official Rust SDK, `aws-sdk-cognitoidentityprovider`, against the real
//! server started in-process on a free port (the same `App` the `cognate` binary runs).

use aws_config::{retry::RetryConfig, BehaviorVersion, Region};
use aws_sdk_cognitoidentityprovider::config::Credentials;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::operation::describe_user_pool::DescribeUserPoolError;
use aws_sdk_cognitoidentityprovider::operation::get_user::GetUserError;
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthError;
use aws_sdk_cognitoidentityprovider::operation::list_users::ListUsersError;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType,
};
use aws_sdk_cognitoidentityprovider::Client;
use cognate_server::app::App;
use cognate_server::config::ServeConfig;
use cognate_server::credentials::AccessKey;
use cognate_store::postgres::schema;

type TestResult = anyhow::Result<()>;

/// A running in-process server and an SDK client pointed at it. The data dir lives as long as this.
/// With `COGNATE_SDK_DATABASE_URL` (postgres://...) the server uses a PostgreSQL schema of its
/// own, dropped with this.
struct Server {
    client: Client,
    endpoint: String,
    _dir: tempfile::TempDir,
    _schema: Option<Schema>,
}

impl Server {
    /// Without credentials: open, as on loopback for local development.
    async fn start() -> anyhow::Result<Self> {
        Self::start_with_key(None).await
    }

    /// With `key` (id, secret) configured, signed operations are verified; the client signs
    /// with it.
    async fn start_with_key(key: Option<(&str, &str)>) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut config = ServeConfig::for_tests(dir.path().to_path_buf());
        config.access_key = key
            .map(|(id, secret)| AccessKey::new(id, secret))
            .transpose()?;
        let schema = match std::env::var("COGNATE_SDK_DATABASE_URL") {
            Ok(base) => {
                let schema = Schema::create(base).await?;
                config.database.database_url = Some(schema.url());
                Some(schema)
            }
            Err(_) => None,
        };
        let app = App::build(config).await?;
        let endpoint = format!("http://{}", app.addr);
        tokio::spawn(app.run(std::future::pending()));
        let (id, secret) = key.unwrap_or(("local", "local"));
        Ok(Self {
            client: sdk_client(&endpoint, id, secret).await,
            endpoint,
            _dir: dir,
            _schema: schema,
        })
    }
}

/// A PostgreSQL schema for one server, dropped when this is.
struct Schema {
    base: String,
    name: String,
}

impl Schema {
    async fn create(base: String) -> anyhow::Result<Self> {
        let name = format!("cognate_sdk_{}", uuid_like());
        schema::create_schema(&base, &name)
            .await
            .map_err(anyhow::Error::msg)?;
        Ok(Self { base, name })
    }

    fn url(&self) -> String {
        schema::url_with_schema(&self.base, &self.name)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (base, name) = (self.base.clone(), self.name.clone());
        // Drop runs inside the test's runtime: the schema is dropped from a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(schema::drop_schema(&base, &name))
                .map_err(std::io::Error::other)
        })
        .join();
    }
}

fn uuid_like() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}_{nanos:x}_{n}", std::process::id())
}

/// The slim SDK configuration: plain-HTTP hyper client, static
/// credentials, any region, no retries (so a failure shows up at once, not after backoff).
async fn sdk_client(endpoint: &str, key_id: &str, secret: &str) -> Client {
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(key_id, secret, None, None, "static"))
        .retry_config(RetryConfig::disabled())
        .load()
        .await;
    Client::new(&conf)
}

/// A pool and a public app client allowing the password and refresh flows.
struct Pool {
    pool_id: String,
    client_id: String,
}

async fn create_pool(client: &Client, name: &str) -> anyhow::Result<Pool> {
    let pool = client.create_user_pool().pool_name(name).send().await?;
    let pool_id = pool
        .user_pool()
        .and_then(|p| p.id())
        .ok_or_else(|| anyhow::anyhow!("CreateUserPool returned no pool id"))?
        .to_owned();
    let app_client = client
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name(format!("{name}-client"))
        .generate_secret(false)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await?;
    let app_client = app_client
        .user_pool_client()
        .ok_or_else(|| anyhow::anyhow!("CreateUserPoolClient returned no client"))?;
    assert_eq!(app_client.user_pool_id(), Some(pool_id.as_str()));
    assert_eq!(app_client.client_secret(), None, "generate_secret(false)");
    assert_eq!(
        app_client.explicit_auth_flows(),
        [
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ]
    );
    let client_id = app_client
        .client_id()
        .ok_or_else(|| anyhow::anyhow!("CreateUserPoolClient returned no client id"))?
        .to_owned();
    Ok(Pool { pool_id, client_id })
}

#[tokio::test(flavor = "multi_thread")]
async fn pools_and_clients() -> TestResult {
    let server = Server::start().await?;
    let c = &server.client;
    let pool = create_pool(c, "sdk-pool").await?;

    let id_shape = regex::Regex::new(r"^us-east-1_[A-Za-z0-9]{9}$")?;
    assert!(id_shape.is_match(&pool.pool_id), "pool id {}", pool.pool_id);
    assert_eq!(pool.client_id.len(), 26, "client id {}", pool.client_id);

    let described = c
        .describe_user_pool()
        .user_pool_id(&pool.pool_id)
        .send()
        .await?;
    let described = described
        .user_pool()
        .ok_or_else(|| anyhow::anyhow!("DescribeUserPool returned no pool"))?;
    assert_eq!(described.id(), Some(pool.pool_id.as_str()));
    assert_eq!(described.name(), Some("sdk-pool"));
    assert_eq!(
        described.arn(),
        Some(
            format!(
                "arn:aws:cognito-idp:us-east-1:000000000000:userpool/{}",
                pool.pool_id
            )
            .as_str()
        )
    );

    let listed = c.list_user_pools().max_results(60).send().await?;
    let names: Vec<_> = listed
        .user_pools()
        .iter()
        .map(|p| (p.id(), p.name()))
        .collect();
    assert_eq!(names, [(Some(pool.pool_id.as_str()), Some("sdk-pool"))]);
    Ok(())
}

/// With credentials configured, the SDK's SigV4 signature is verified: the right secret passes,
/// a wrong one is InvalidSignatureException, an unknown key UnrecognizedClientException; the
/// unsigned operations (sign-in) need no key at all.
#[tokio::test(flavor = "multi_thread")]
async fn signed_operations_verify_the_sdk_signature() -> TestResult {
    const KEY_ID: &str = "AKIASDKTEST0000001";
    const SECRET: &str = "sdk/Secret+0000001";
    let server = Server::start_with_key(Some((KEY_ID, SECRET))).await?;
    let c = &server.client;
    let pool = create_pool(c, "sdk-signed").await?;
    c.admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("alice")
        .message_action(MessageActionType::Suppress)
        .send()
        .await?;
    c.admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("alice")
        .password("Passw0rd!Good")
        .permanent(true)
        .send()
        .await?;

    let wrong_secret = sdk_client(&server.endpoint, KEY_ID, "not-the-secret").await;
    let err = wrong_secret
        .admin_get_user()
        .user_pool_id(&pool.pool_id)
        .username("alice")
        .send()
        .await
        .expect_err("wrong secret")
        .into_service_error();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err:?}");
    assert_eq!(
        err.message(),
        Some(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details."
        )
    );

    let unknown_key = sdk_client(&server.endpoint, "AKIANOBODY", SECRET).await;
    let err = unknown_key
        .admin_get_user()
        .user_pool_id(&pool.pool_id)
        .username("alice")
        .send()
        .await
        .expect_err("unknown key")
        .into_service_error();
    assert_eq!(err.code(), Some("UnrecognizedClientException"), "{err:?}");

    let signed_in = wrong_secret
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(&pool.client_id)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", "Passw0rd!Good")
        .send()
        .await?;
    assert!(signed_in.authentication_result().is_some());
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn typed_errors() -> TestResult {
    let server = Server::start().await?;
    let c = &server.client;
    let pool = create_pool(c, "sdk-errors").await?;

    let err = c
        .describe_user_pool()
        .user_pool_id("us-east-1_AAAAAAAAA")
        .send()
        .await
        .expect_err("unknown pool")
        .into_service_error();
    match err {
        DescribeUserPoolError::ResourceNotFoundException(e) => assert_eq!(
            e.message(),
            Some("User pool us-east-1_AAAAAAAAA does not exist.")
        ),
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    let err = c
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id("abcdefghijklmnopqrstuvwxyz")
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", "Passw0rd!")
        .send()
        .await
        .expect_err("unknown client")
        .into_service_error();
    match err {
        InitiateAuthError::ResourceNotFoundException(e) => assert_eq!(
            e.message(),
            Some("User pool client abcdefghijklmnopqrstuvwxyz does not exist.")
        ),
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    let err = c
        .list_users()
        .user_pool_id(&pool.pool_id)
        .limit(100)
        .send()
        .await
        .expect_err("limit over 60")
        .into_service_error();
    match err {
        ListUsersError::InvalidParameterException(e) => {
            let message = e.message().unwrap_or_default();
            assert!(
                message.starts_with("1 validation error detected"),
                "message: {message}"
            );
            assert!(message.contains("'limit'"), "message: {message}");
        }
        other => panic!("expected InvalidParameterException, got {other:?}"),
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_created_user_signs_in_refreshes_and_signs_out() -> TestResult {
    const TEMPORARY: &str = "Temp-Passw0rd!";
    const PERMANENT: &str = "Perm-Passw0rd!";
    let server = Server::start().await?;
    let c = &server.client;
    let pool = create_pool(c, "sdk-flow").await?;

    let created = c
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("alice")
        .temporary_password(TEMPORARY)
        .message_action(MessageActionType::Suppress)
        .send()
        .await?;
    let user = created
        .user()
        .ok_or_else(|| anyhow::anyhow!("AdminCreateUser returned no user"))?;
    assert_eq!(user.username(), Some("alice"));
    assert_eq!(
        user.user_status().map(|s| s.as_str()),
        Some("FORCE_CHANGE_PASSWORD")
    );

    // First sign-in with the temporary password: the new-password challenge.
    let challenge = c
        .admin_initiate_auth()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", TEMPORARY)
        .send()
        .await?;
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    assert!(challenge.authentication_result().is_none());
    let session = challenge
        .session()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| anyhow::anyhow!("NEW_PASSWORD_REQUIRED without a session"))?;

    let answered = c
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(session)
        .challenge_responses("USERNAME", "alice")
        .challenge_responses("NEW_PASSWORD", PERMANENT)
        .send()
        .await?;
    assert_eq!(answered.challenge_name(), None);
    let tokens = answered
        .authentication_result()
        .ok_or_else(|| anyhow::anyhow!("no AuthenticationResult"))?;
    assert_eq!(tokens.expires_in(), 3600);
    assert_eq!(tokens.token_type(), Some("Bearer"));
    let access = tokens.access_token().unwrap_or_default();
    let id = tokens.id_token().unwrap_or_default();
    let refresh = tokens.refresh_token().unwrap_or_default();
    for (kind, jwt) in [("access", access), ("id", id)] {
        assert_eq!(
            jwt.split('.').count(),
            3,
            "{kind} token is not a JWT: {jwt:?}"
        );
    }
    assert!(!refresh.is_empty(), "no refresh token");

    let me = c.get_user().access_token(access).send().await?;
    assert_eq!(me.username(), "alice");
    let sub = me
        .user_attributes()
        .iter()
        .find(|a| a.name() == "sub")
        .and_then(|a| a.value())
        .ok_or_else(|| anyhow::anyhow!("GetUser returned no sub"))?;
    assert_eq!(sub.len(), 36, "sub {sub}");

    let refreshed = c
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh)
        .send()
        .await?;
    let fresh = refreshed
        .authentication_result()
        .ok_or_else(|| anyhow::anyhow!("refresh returned no AuthenticationResult"))?;
    assert_eq!(fresh.expires_in(), 3600);
    assert_eq!(
        fresh.refresh_token(),
        None,
        "refresh must not rotate the token"
    );
    let fresh_access = fresh.access_token().unwrap_or_default();
    assert!(!fresh_access.is_empty());
    assert_ne!(fresh_access, access);
    assert!(fresh.id_token().is_some_and(|t| !t.is_empty() && t != id));
    assert_eq!(
        c.get_user()
            .access_token(fresh_access)
            .send()
            .await?
            .username(),
        "alice"
    );

    c.global_sign_out().access_token(access).send().await?;
    let err = c
        .get_user()
        .access_token(access)
        .send()
        .await
        .expect_err("token used after GlobalSignOut")
        .into_service_error();
    match err {
        GetUserError::NotAuthorizedException(e) => {
            assert_eq!(e.message(), Some("Access Token has been revoked"));
        }
        other => panic!("expected NotAuthorizedException, got {other:?}"),
    }
    Ok(())
}
