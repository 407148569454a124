//! Authorization codes against the real SQLite store: single-use (also when redeemed
//! concurrently), five minutes, bound to the pool.

mod support;

use cognate_core::service::oauth2::codes::{issue_code, redeem_code, CodeGrant};
use cognate_core::service::oauth2::OAuthError;
use support::{case_sensitive, Env};

fn grant() -> CodeGrant {
    CodeGrant {
        client_id: "c".into(),
        redirect_uri: "https://app/cb".into(),
        username: "alice".into(),
        scope: "openid".into(),
        nonce: Some("n".into()),
        code_challenge: None,
        code_challenge_method: None,
        auth_time: 0,
        expires: 0,
    }
}

fn is_invalid_grant(r: &Result<CodeGrant, OAuthError>) -> bool {
    matches!(r, Err(OAuthError::Protocol("invalid_grant")))
}

#[tokio::test]
async fn a_code_is_redeemed_once_even_concurrently() {
    let env = Env::new().await;
    let pool = env.pool(case_sensitive()).await;
    let ctx = env.ctx();
    let code = issue_code(&ctx, &pool.id, grant()).await.expect("issue");
    let (a, b, c) = tokio::join!(
        redeem_code(&ctx, &pool.id, &code),
        redeem_code(&ctx, &pool.id, &code),
        redeem_code(&ctx, &pool.id, &code),
    );
    let ok: Vec<_> = [&a, &b, &c].into_iter().filter(|r| r.is_ok()).collect();
    assert_eq!(ok.len(), 1, "exactly one redeemer wins");
    assert!([&a, &b, &c]
        .into_iter()
        .filter(|r| r.is_err())
        .all(is_invalid_grant));
    let won = ok[0].as_ref().expect("ok");
    assert_eq!(
        (won.username.as_str(), won.nonce.as_deref()),
        ("alice", Some("n"))
    );
    assert!(is_invalid_grant(&redeem_code(&ctx, &pool.id, &code).await));
}

#[tokio::test]
async fn a_code_expires_after_five_minutes_and_belongs_to_its_pool() {
    let env = Env::new().await;
    let pool = env.pool(case_sensitive()).await;
    let other = env.pool(case_sensitive()).await;
    let code = issue_code(&env.ctx(), &pool.id, grant())
        .await
        .expect("issue");
    assert!(is_invalid_grant(
        &redeem_code(&env.ctx(), &other.id, &code).await
    ));
    assert!(is_invalid_grant(
        &redeem_code(&env.ctx_after(300), &pool.id, &code).await
    ));

    let code = issue_code(&env.ctx(), &pool.id, grant())
        .await
        .expect("issue");
    assert!(redeem_code(&env.ctx_after(299), &pool.id, &code)
        .await
        .is_ok());
    assert!(is_invalid_grant(
        &redeem_code(&env.ctx(), &pool.id, "not-a-code").await
    ));
}
