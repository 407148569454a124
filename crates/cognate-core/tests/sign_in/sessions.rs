//! How a challenge's session is bound to its challenge, client, user and lifetime, and a
//! known bug.

use cognate_core::model::ExplicitAuthFlow as E;
use cognate_core::model::MfaConfiguration;
use cognate_core::service::pools::clients::ClientConfig;
use cognate_core::service::pools::user_pools::PoolIdentity;
use cognate_core::service::users::admin_users::{admin_disable_user, admin_get_user};
use cognate_core::service::users::passwords::admin_set_user_password;

use super::*;

#[tokio::test]
async fn a_session_answers_its_challenge_for_its_client_and_user_once() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let client = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    let other = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    env.invited_user(&pool, "tia", TEMPORARY, &[]).await;
    env.user_with_password(&pool, "bob", PASSWORD).await;
    let ctx = env.ctx();
    let (session, _) = challenged(
        password_sign_in(&ctx, &client, "tia", TEMPORARY).await,
        C::NewPasswordRequired,
    );
    let answer = [("USERNAME", "tia"), ("NEW_PASSWORD", NEW_PASSWORD)];

    // another challenge
    for (challenge, responses) in [
        (
            C::SoftwareTokenMfa,
            vec![("USERNAME", "tia"), ("SOFTWARE_TOKEN_MFA_CODE", "123456")],
        ),
        (C::MfaSetup, vec![("USERNAME", "tia")]),
        (
            C::SelectMfaType,
            vec![("USERNAME", "tia"), ("ANSWER", "SOFTWARE_TOKEN_MFA")],
        ),
    ] {
        assert_refused(
            respond(
                &ctx,
                Api::Public,
                &client,
                challenge,
                Some(&session),
                &responses,
            )
            .await,
            INVALID_SESSION,
        );
    }
    // another client of the same pool, through either API
    for api in [Api::Public, Api::Admin { pool_id: &pool.id }] {
        assert_refused(
            respond(
                &ctx,
                api,
                &other,
                C::NewPasswordRequired,
                Some(&session),
                &answer,
            )
            .await,
            INVALID_SESSION,
        );
    }
    // another user's name, or nobody's
    for user in ["bob", "ghost"] {
        assert_refused(
            respond(
                &ctx,
                Api::Public,
                &client,
                C::NewPasswordRequired,
                Some(&session),
                &[("USERNAME", user), ("NEW_PASSWORD", NEW_PASSWORD)],
            )
            .await,
            INVALID_SESSION,
        );
    }
    // no session, or a made-up one
    assert_refused(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            None,
            &answer,
        )
        .await,
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter Session",
        ),
    );
    assert_refused(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            Some("made-up"),
            &answer,
        )
        .await,
        INVALID_SESSION,
    );
    let bob = admin_get_user(&ctx, &pool.id, "bob").await.expect("bob");
    assert_eq!(bob.lockout.failed_attempts, 0);

    // none of that used the session up; the right answer does
    let t = tokens(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            Some(&session),
            &answer,
        )
        .await,
    );
    assert_signed_in(&t, &client, "tia");
    assert_refused(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            Some(&session),
            &answer,
        )
        .await,
        USED_SESSION,
    );
}

#[tokio::test]
async fn a_session_expires_after_the_clients_auth_session_validity() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let three = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    assert_eq!(three.auth_session_validity, 3);
    let ten = env
        .client_with(
            &pool,
            ClientConfig {
                explicit_auth_flows: Some(vec![E::AllowUserPasswordAuth]),
                auth_session_validity: Some(10),
                ..Default::default()
            },
        )
        .await;
    env.invited_user(&pool, "tia", TEMPORARY, &[]).await;
    let answer = [("USERNAME", "tia"), ("NEW_PASSWORD", NEW_PASSWORD)];

    for (client, minutes) in [(&three, 3), (&ten, 10)] {
        let (session, _) = challenged(
            password_sign_in(&env.ctx(), client, "tia", TEMPORARY).await,
            C::NewPasswordRequired,
        );
        let at = |secs: i64| env.ctx_after(secs);
        let reply = |secs: i64| {
            let (session, answer) = (session.clone(), answer);
            async move {
                respond(
                    &at(secs),
                    Api::Public,
                    client,
                    C::NewPasswordRequired,
                    Some(&session),
                    &answer,
                )
                .await
            }
        };
        assert_refused(reply(minutes * 60).await, EXPIRED_SESSION);
        assert_refused(reply(minutes * 60 + 3000).await, EXPIRED_SESSION);
        // the expired answers used nothing up: a second earlier, the session still works
        tokens(reply(minutes * 60 - 1).await);
        // the user is confirmed now; put the temporary password back for the next client
        admin_set_user_password(&env.ctx(), &pool.id, "tia", TEMPORARY, false)
            .await
            .expect("temporary password");
    }
}

#[tokio::test]
async fn a_wrong_totp_code_leaves_the_session_usable() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let pool = env.software_token_mfa(&pool, MfaConfiguration::On).await;
    let client = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    let secret = enrolled_user(&env, &pool, &client, "otto").await;

    // NOW is 20 s into its 30-second TOTP step: +60 and +61 share a step, +90 is the next one
    let later = env.ctx_after(60);
    let (session, _) = challenged(
        password_sign_in(&later, &client, "otto", PASSWORD).await,
        C::SoftwareTokenMfa,
    );
    let code = totp_code(&secret, later.now);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let reply = |at: i64, code: String, session: String| {
        let (env, client) = (&env, &client);
        async move {
            respond(
                &env.ctx_after(at),
                Api::Public,
                client,
                C::SoftwareTokenMfa,
                Some(&session),
                &[("USERNAME", "otto"), ("SOFTWARE_TOKEN_MFA_CODE", &code)],
            )
            .await
        }
    };

    assert_refused(
        reply(60, wrong.into(), session.clone()).await,
        (ErrorKind::CodeMismatch, "Invalid code received for user"),
    );
    let otto = admin_get_user(&later, &pool.id, "otto")
        .await
        .expect("otto");
    assert_eq!(otto.lockout.failed_attempts, 1, "a wrong code is a failure");
    assert_refused(
        respond(
            &later,
            Api::Public,
            &client,
            C::SoftwareTokenMfa,
            Some(&session),
            &[("USERNAME", "otto")],
        )
        .await,
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter SOFTWARE_TOKEN_MFA_CODE",
        ),
    );
    let t = tokens(reply(60, code.clone(), session.clone()).await);
    assert_signed_in(&t, &client, "otto");
    assert_refused(reply(60, code.clone(), session).await, USED_SESSION);
    let otto = admin_get_user(&later, &pool.id, "otto")
        .await
        .expect("otto");
    assert_eq!(otto.lockout.failed_attempts, 0);

    // the same code in a new sign-in is a replay, which also leaves the session usable
    let (session, _) = challenged(
        password_sign_in(&env.ctx_after(61), &client, "otto", PASSWORD).await,
        C::SoftwareTokenMfa,
    );
    assert_refused(
        reply(61, code, session.clone()).await,
        (
            ErrorKind::ExpiredCode,
            "Your software token has already been used once.",
        ),
    );
    let next = totp_code(&secret, env.ctx_after(90).now);
    tokens(reply(90, next, session).await);

    // wrong codes count towards the lockout the password shares: the fifth locks the user
    let (session, _) = challenged(
        password_sign_in(&env.ctx_after(120), &client, "otto", PASSWORD).await,
        C::SoftwareTokenMfa,
    );
    let code = totp_code(&secret, env.ctx_after(120).now);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_refused(
            reply(120, wrong.into(), session.clone()).await,
            (ErrorKind::CodeMismatch, "Invalid code received for user"),
        );
    }
    assert_refused(
        reply(120, code.clone(), session.clone()).await,
        (ErrorKind::NotAuthorized, "Password attempts exceeded"),
    );
    tokens(reply(121, code, session).await);
}

// Known bugs

/// InitiateAuth refuses a disabled user, refresh refuses one and access tokens of one are
/// refused, but a user disabled after the password step can still answer the challenge and
/// gets a full set of tokens: `respond_to_auth_challenge` never looks at `user.enabled`.
#[tokio::test]
async fn a_user_disabled_during_sign_in_cannot_finish_it() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let client = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    env.invited_user(&pool, "dee", TEMPORARY, &[]).await;
    let ctx = env.ctx();
    let (session, _) = challenged(
        password_sign_in(&ctx, &client, "dee", TEMPORARY).await,
        C::NewPasswordRequired,
    );
    admin_disable_user(&ctx, &pool.id, "dee")
        .await
        .expect("disable");
    assert_refused(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            Some(&session),
            &[("USERNAME", "dee"), ("NEW_PASSWORD", NEW_PASSWORD)],
        )
        .await,
        (ErrorKind::NotAuthorized, "User is disabled."),
    );
}

/// The same gap at the MFA step: the password was right, the user is disabled before the code.
#[tokio::test]
async fn a_user_disabled_before_the_mfa_code_cannot_finish_the_sign_in() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let pool = env.software_token_mfa(&pool, MfaConfiguration::On).await;
    let client = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    let secret = enrolled_user(&env, &pool, &client, "otto").await;
    let later = env.ctx_after(60);
    let (session, _) = challenged(
        password_sign_in(&later, &client, "otto", PASSWORD).await,
        C::SoftwareTokenMfa,
    );
    admin_disable_user(&later, &pool.id, "otto")
        .await
        .expect("disable");
    assert_refused(
        respond(
            &later,
            Api::Public,
            &client,
            C::SoftwareTokenMfa,
            Some(&session),
            &[
                ("USERNAME", "otto"),
                ("SOFTWARE_TOKEN_MFA_CODE", &totp_code(&secret, later.now)),
            ],
        )
        .await,
        (ErrorKind::NotAuthorized, "User is disabled."),
    );
}
