//! When the CPU-heavy work cannot run (the worker pool is gone or refuses it), the answer is an
//! internal error: never "wrong password" (which would count toward the lockout) and never
//! "not a previous password" (which would let a reused password through). When the workers are
//! at capacity, the answer is TooManyRequests, and nothing is counted either.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use cognate_core::model::{AppClient, AuthFlow, ExplicitAuthFlow, UserPool};
use cognate_core::service::pools::clients::{create_user_pool_client, ClientConfig};
use cognate_core::service::sign_in::flow::Api;
use cognate_core::service::sign_in::initiate_auth::initiate_auth;
use cognate_core::service::users::admin_users::admin_get_user;
use cognate_core::service::users::passwords::admin_set_user_password;
use cognate_core::service::{Ctx, Job, Offload};
use cognate_core::{CognitoError, ErrorKind, Result};
use support::{case_sensitive, Env};

/// An offload that refuses its first job and runs the others inline: the password check
/// fails, the hashing after it would succeed.
struct RefusesFirst(AtomicBool);

#[async_trait::async_trait]
impl Offload for RefusesFirst {
    async fn run(&self, job: Job) -> Result<()> {
        if self.0.swap(false, Ordering::SeqCst) {
            return Err(CognitoError::internal("worker pool unavailable"));
        }
        job();
        Ok(())
    }
}

/// A pool, a client allowing USER_PASSWORD_AUTH, and `username` with the password "Passw0rd!".
async fn password_client(env: &Env, username: &str) -> (UserPool, AppClient) {
    let ctx = env.ctx();
    let pool = env.pool(case_sensitive()).await;
    let config = ClientConfig {
        name: "app".into(),
        explicit_auth_flows: Some(vec![ExplicitAuthFlow::AllowUserPasswordAuth]),
        ..Default::default()
    };
    let client = create_user_pool_client(&ctx, &pool.id, config, false, None)
        .await
        .expect("client");
    env.user(&pool, username, &[]).await;
    admin_set_user_password(&ctx, &pool.id, username, "Passw0rd!", true)
        .await
        .expect("password");
    (pool, client)
}

fn refusing<'a>(ctx: Ctx<'a>, cpu: &'a RefusesFirst) -> Ctx<'a> {
    Ctx { cpu, ..ctx }
}

#[tokio::test]
async fn a_failed_password_check_is_an_internal_error_and_counts_nothing() {
    let env = Env::new().await;
    let ctx = env.ctx();
    let (pool, client) = password_client(&env, "alice").await;

    let params = BTreeMap::from([
        ("USERNAME".to_owned(), "alice".to_owned()),
        ("PASSWORD".to_owned(), "Passw0rd!".to_owned()),
    ]);
    let failed = initiate_auth(
        &refusing(env.ctx(), &RefusesFirst(AtomicBool::new(true))),
        Api::Public,
        &client.client_id,
        AuthFlow::UserPasswordAuth,
        &params,
    )
    .await
    .err()
    .map(|e| e.kind);
    assert_eq!(failed, Some(ErrorKind::InternalError));
    let user = admin_get_user(&ctx, &pool.id, "alice").await.expect("user");
    assert_eq!(user.lockout.failed_attempts, 0, "no failure was counted");

    // With the workers back, the same password signs in.
    let ok = initiate_auth(
        &ctx,
        Api::Public,
        &client.client_id,
        AuthFlow::UserPasswordAuth,
        &params,
    )
    .await;
    assert!(ok.is_ok(), "{:?}", ok.err());
}

#[tokio::test]
async fn a_failed_history_check_does_not_let_a_password_through() {
    let env = Env::new().await;
    let ctx = env.ctx();
    let mut pool = env.pool(case_sensitive()).await;
    pool.password_policy.password_history_size = 2;
    ctx.store.update_pool(&pool).await.expect("update pool");
    env.user(&pool, "bob", &[]).await;
    admin_set_user_password(&ctx, &pool.id, "bob", "Passw0rd!", true)
        .await
        .expect("password");
    let cpu = RefusesFirst(AtomicBool::new(true));
    let failing = refusing(env.ctx(), &cpu);
    let reused = admin_set_user_password(&failing, &pool.id, "bob", "Passw0rd!", true)
        .await
        .err()
        .map(|e| e.kind);
    assert_eq!(reused, Some(ErrorKind::InternalError));
    let reused = admin_set_user_password(&ctx, &pool.id, "bob", "Passw0rd!", true)
        .await
        .err()
        .map(|e| e.kind);
    assert_eq!(reused, Some(ErrorKind::PasswordHistoryPolicyViolation));
}

/// Workers at capacity: every job is refused at once.
struct AtCapacity;

#[async_trait::async_trait]
impl Offload for AtCapacity {
    async fn run(&self, _job: Job) -> Result<()> {
        Err(CognitoError::too_many_requests())
    }
}

#[tokio::test]
async fn a_refused_password_check_is_too_many_requests_and_counts_nothing() {
    let env = Env::new().await;
    let ctx = env.ctx();
    let (pool, client) = password_client(&env, "carol").await;
    let busy = Ctx {
        cpu: &AtCapacity,
        ..env.ctx()
    };
    for password in ["Passw0rd!", "wrong"] {
        let params = BTreeMap::from([
            ("USERNAME".to_owned(), "carol".to_owned()),
            ("PASSWORD".to_owned(), password.to_owned()),
        ]);
        let refused = initiate_auth(
            &busy,
            Api::Public,
            &client.client_id,
            AuthFlow::UserPasswordAuth,
            &params,
        )
        .await
        .err()
        .map(|e| e.kind);
        assert_eq!(refused, Some(ErrorKind::TooManyRequests));
    }
    let user = admin_get_user(&ctx, &pool.id, "carol").await.expect("user");
    assert_eq!(user.lockout.failed_attempts, 0, "no failure was counted");
    let changed = admin_set_user_password(&busy, &pool.id, "carol", "N3w-Passw0rd!", true)
        .await
        .err()
        .map(|e| e.kind);
    assert_eq!(changed, Some(ErrorKind::TooManyRequests));
}

/// Workers at capacity, and saying so before a job is submitted.
struct Saturated;

#[async_trait::async_trait]
impl Offload for Saturated {
    async fn run(&self, _job: Job) -> Result<()> {
        Err(CognitoError::too_many_requests())
    }

    fn is_saturated(&self) -> bool {
        true
    }
}

#[tokio::test]
async fn a_saturated_pool_refuses_a_sign_in_before_reserving_an_attempt() {
    let env = Env::new().await;
    let ctx = env.ctx();
    let (pool, client) = password_client(&env, "dave").await;
    let before = admin_get_user(&ctx, &pool.id, "dave").await.expect("user");
    let busy = Ctx {
        cpu: &Saturated,
        ..env.ctx()
    };
    let params = BTreeMap::from([
        ("USERNAME".to_owned(), "dave".to_owned()),
        ("PASSWORD".to_owned(), "Passw0rd!".to_owned()),
    ]);
    let refused = initiate_auth(
        &busy,
        Api::Public,
        &client.client_id,
        AuthFlow::UserPasswordAuth,
        &params,
    )
    .await
    .err()
    .map(|e| e.kind);
    assert_eq!(refused, Some(ErrorKind::TooManyRequests));
    // Not reserved and refunded (two durable writes): not written at all.
    let after = admin_get_user(&ctx, &pool.id, "dave").await.expect("user");
    assert_eq!(after.versions, before.versions);
}
