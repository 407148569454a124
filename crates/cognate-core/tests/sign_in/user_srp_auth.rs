//! USER_SRP_AUTH and PASSWORD_VERIFIER without a client side (see the crate comment).

use base64::engine::general_purpose::STANDARD;

use cognate_core::crypto::srp;
use cognate_core::model::ExplicitAuthFlow as E;
use cognate_core::service::pools::user_pools::PoolIdentity;
use cognate_core::service::users::admin_users::admin_get_user;
use cognate_core::service::users::passwords::admin_set_user_password;

use super::support::NOW;
use super::*;

/// TIMESTAMP as clients send it (`ddd MMM D HH:mm:ss UTC YYYY`) for NOW, NOW + 180 s and
/// NOW - 2 days.
const AT_NOW: &str = "Tue Nov 14 22:13:20 UTC 2023";
const AT_NOW_PLUS_3_MIN: &str = "Tue Nov 14 22:16:20 UTC 2023";
const TWO_DAYS_EARLIER: &str = "Sun Nov 12 22:13:20 UTC 2023";

#[tokio::test]
async fn srp_a_is_checked_first_and_the_challenge_carries_the_srp_parameters() {
    let env = Env::new().await;
    let pool = env
        .pool(PoolIdentity {
            username_attributes: vec!["email".into()],
            ..Default::default()
        })
        .await;
    let client = env.client(&pool, &[E::AllowUserSrpAuth]).await;
    env.invited_user(&pool, "eve@example.com", TEMPORARY, &[])
        .await;
    let ctx = env.ctx();
    admin_set_user_password(&ctx, &pool.id, "eve@example.com", PASSWORD, true)
        .await
        .expect("set password");
    let internal = admin_get_user(&ctx, &pool.id, "eve@example.com")
        .await
        .expect("eve")
        .username;
    assert_ne!(
        internal, "eve@example.com",
        "an email pool names users by UUID"
    );

    let start = |user: &'static str, a: String| {
        let ctx = &ctx;
        let client = &client;
        async move {
            initiate(
                ctx,
                Api::Public,
                client,
                F::UserSrpAuth,
                &[("USERNAME", user), ("SRP_A", &a)],
            )
            .await
        }
    };

    let (session, p) = challenged(
        start("eve@example.com", SRP_A.into()).await,
        C::PasswordVerifier,
    );
    assert_eq!(
        p.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "SALT",
            "SECRET_BLOCK",
            "SRP_B",
            "USERNAME",
            "USER_ID_FOR_SRP"
        ]
    );
    assert_eq!(
        p["SECRET_BLOCK"], session,
        "the SECRET_BLOCK is the session"
    );
    assert_eq!(p["USERNAME"], internal);
    assert_eq!(p["USER_ID_FOR_SRP"], internal);
    for name in ["SALT", "SRP_B"] {
        assert!(
            !p[name].is_empty() && p[name].bytes().all(|c| c.is_ascii_hexdigit()),
            "{name} is hex: {}",
            p[name]
        );
    }
    assert_eq!(p["SALT"].len() % 2, 0, "SALT is padHex");
    // a second exchange gets a fresh B and block, and the same salt
    let (again, q) = challenged(
        start("eve@example.com", SRP_A.into()).await,
        C::PasswordVerifier,
    );
    assert_ne!(again, session);
    assert_ne!(q["SRP_B"], p["SRP_B"]);
    assert_eq!(q["SALT"], p["SALT"]);

    // SRP_A is checked before the user is looked up
    let bad_a = (ErrorKind::NotAuthorized, "Invalid SRP_A.");
    for a in [
        "0".to_owned(),
        "00".to_owned(),
        srp::N_HEX.to_owned(),
        format!("{}00", srp::N_HEX), // N·256 ≡ 0 mod N
        "xyz".to_owned(),
        String::new(),
        format!("1{}", "0".repeat(srp::MAX_A_HEX_LEN)),
    ] {
        for user in ["eve@example.com", "ghost@example.com"] {
            assert_refused(start(user, a.clone()).await, bad_a);
        }
    }
    // an unreduced A of the longest length allowed is accepted
    challenged(
        start(
            "eve@example.com",
            format!("1{}", "0".repeat(srp::MAX_A_HEX_LEN - 1)),
        )
        .await,
        C::PasswordVerifier,
    );
    assert_refused(
        initiate(
            &ctx,
            Api::Public,
            &client,
            F::UserSrpAuth,
            &[("USERNAME", "eve@example.com")],
        )
        .await,
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter SRP_A",
        ),
    );
    assert_refused(
        start("ghost@example.com", SRP_A.into()).await,
        (ErrorKind::UserNotFound, "User does not exist."),
    );
}

#[tokio::test]
async fn password_verifier_refuses_a_tampered_foreign_expired_or_used_secret_block() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let client = env.client(&pool, &[E::AllowUserSrpAuth]).await;
    let other = env.client(&pool, &[E::AllowUserSrpAuth]).await;
    env.user_with_password(&pool, "sam", PASSWORD).await;
    env.user_with_password(&pool, "ann", PASSWORD).await;
    let ctx = env.ctx();
    let (block, _) = challenged(
        initiate(
            &ctx,
            Api::Public,
            &client,
            F::UserSrpAuth,
            &[("USERNAME", "sam"), ("SRP_A", SRP_A)],
        )
        .await,
        C::PasswordVerifier,
    );
    let wrong_signature = STANDARD.encode([0u8; 32]);
    assert_eq!(srp::parse_timestamp(AT_NOW), Some(NOW));
    let timestamp = AT_NOW;
    let answer = |block: &str, user: &str, ts: &str| {
        params(&[
            ("PASSWORD_CLAIM_SECRET_BLOCK", block),
            ("PASSWORD_CLAIM_SIGNATURE", &wrong_signature),
            ("TIMESTAMP", ts),
            ("USERNAME", user),
        ])
    };
    let mut tampered = block.clone().into_bytes();
    tampered[10] = if tampered[10] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    assert_refused(
        verifier(&ctx, &client, answer(&tampered, "sam", timestamp)).await,
        INVALID_SESSION,
    );
    assert_refused(
        verifier(&ctx, &other, answer(&block, "sam", timestamp)).await,
        INVALID_SESSION,
    );
    for user in ["ann", "ghost"] {
        assert_refused(
            verifier(&ctx, &client, answer(&block, user, timestamp)).await,
            INVALID_SESSION,
        );
    }
    // the block answers PASSWORD_VERIFIER only
    assert_refused(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            Some(&block),
            &[("USERNAME", "sam"), ("NEW_PASSWORD", NEW_PASSWORD)],
        )
        .await,
        INVALID_SESSION,
    );
    let mut missing = answer(&block, "sam", timestamp);
    missing.remove("PASSWORD_CLAIM_SIGNATURE");
    assert_refused(
        verifier(&ctx, &client, missing).await,
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter PASSWORD_CLAIM_SIGNATURE",
        ),
    );
    // a malformed or far-off TIMESTAMP is a wrong answer that leaves the block usable
    for ts in [
        "yesterday",
        "Tue Nov 14 22:13:20 UTC 2023 ",
        TWO_DAYS_EARLIER,
    ] {
        assert_refused(
            verifier(&ctx, &client, answer(&block, "sam", ts)).await,
            INCORRECT,
        );
    }
    // AuthSessionValidity is 3 minutes
    assert_refused(
        verifier(
            &env.ctx_after(180),
            &client,
            answer(&block, "sam", AT_NOW_PLUS_3_MIN),
        )
        .await,
        EXPIRED_SESSION,
    );
    // the refusals above used nothing up; a wrong signature is a failed attempt and uses the
    // block up
    assert_refused(
        verifier(&ctx, &client, answer(&block, "sam", timestamp)).await,
        INCORRECT,
    );
    let sam = admin_get_user(&ctx, &pool.id, "sam").await.expect("sam");
    assert_eq!(sam.lockout.failed_attempts, 1);
    assert_refused(
        verifier(&ctx, &client, answer(&block, "sam", timestamp)).await,
        USED_SESSION,
    );
}
