//! What follows a password: NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA, tokens.

use serde_json::json;

use cognate_core::model::ExplicitAuthFlow as E;
use cognate_core::model::{MfaConfiguration, MfaFactor, UserStatus};
use cognate_core::service::mfa::mfa_config::{set_user_pool_mfa_config, MfaConfigRequest};
use cognate_core::service::pools::user_pools::PoolIdentity;
use cognate_core::service::users::admin_users::admin_get_user;

use super::*;

#[tokio::test]
async fn temporary_password_leads_to_new_password_required_then_mfa_setup() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let pool = env.software_token_mfa(&pool, MfaConfiguration::On).await;
    let client = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    env.invited_user(
        &pool,
        "tia",
        TEMPORARY,
        &[
            ("email", "tia@example.com"),
            ("email_verified", "true"),
            ("name", "Tia"),
        ],
    )
    .await;
    let ctx = env.ctx();

    assert_refused(
        password_sign_in(&ctx, &client, "tia", PASSWORD).await,
        INCORRECT,
    );
    let (session, p) = challenged(
        password_sign_in(&ctx, &client, "tia", TEMPORARY).await,
        C::NewPasswordRequired,
    );
    assert_eq!(p["USER_ID_FOR_SRP"], "tia");
    assert_eq!(p["requiredAttributes"], "[]");
    let shown: serde_json::Value =
        serde_json::from_str(&p["userAttributes"]).expect("userAttributes is JSON");
    assert_eq!(
        shown,
        json!({"email": "tia@example.com", "name": "Tia"}),
        "the _verified flags are left out"
    );

    let answer = |pw: &'static str| [("USERNAME", "tia"), ("NEW_PASSWORD", pw)];
    assert_refused(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            Some(&session),
            &[("USERNAME", "tia")],
        )
        .await,
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter NEW_PASSWORD",
        ),
    );
    assert_refused(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            Some(&session),
            &answer("short"),
        )
        .await,
        (
            ErrorKind::InvalidPassword,
            "Password did not conform with policy: Password not long enough",
        ),
    );
    // the refusals left the session usable; the new password leads to the MFA step
    let (setup, p) = challenged(
        respond(
            &ctx,
            Api::Public,
            &client,
            C::NewPasswordRequired,
            Some(&session),
            &answer(NEW_PASSWORD),
        )
        .await,
        C::MfaSetup,
    );
    assert_eq!(p["MFAS_CAN_SETUP"], r#"["SOFTWARE_TOKEN_MFA"]"#);
    assert_eq!(p["USER_ID_FOR_SRP"], "tia");
    let tia = admin_get_user(&ctx, &pool.id, "tia").await.expect("tia");
    assert_eq!(tia.status, UserStatus::Confirmed);
    assert!(!tia.password.expect("password").temporary);

    // the temporary password is gone; the new one stops at MFA_SETUP until a token is set up
    assert_refused(
        password_sign_in(&ctx, &client, "tia", TEMPORARY).await,
        INCORRECT,
    );
    challenged(
        password_sign_in(&ctx, &client, "tia", NEW_PASSWORD).await,
        C::MfaSetup,
    );
    enrol(&ctx, &client, "tia", &setup).await;
    let tia = admin_get_user(&ctx, &pool.id, "tia").await.expect("tia");
    assert_eq!(tia.mfa.enabled, [MfaFactor::SoftwareTokenMfa]);
}

#[tokio::test]
async fn mfa_setup_is_answered_only_after_verify_software_token() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let pool = env.software_token_mfa(&pool, MfaConfiguration::On).await;
    let client = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    env.user_with_password(&pool, "una", PASSWORD).await;
    let ctx = env.ctx();
    let (session, _) = challenged(
        password_sign_in(&ctx, &client, "una", PASSWORD).await,
        C::MfaSetup,
    );
    // a second sign-in's MFA_SETUP session, left unanswered
    let (stale, _) = challenged(
        password_sign_in(&ctx, &client, "una", PASSWORD).await,
        C::MfaSetup,
    );
    let setup = |s: String| {
        let (ctx, client) = (&ctx, &client);
        async move {
            respond(
                ctx,
                Api::Public,
                client,
                C::MfaSetup,
                Some(&s),
                &[("USERNAME", "una")],
            )
            .await
        }
    };
    // not set up yet
    assert_refused(setup(session.clone()).await, INVALID_SESSION);
    let (secret, associated) = associate_software_token(&ctx, Caller::Session(&session))
        .await
        .expect("associate");
    let associated = associated.expect("next session");
    assert_refused(setup(session.clone()).await, USED_SESSION);
    // associated but not verified
    assert_refused(setup(associated.clone()).await, INVALID_SESSION);
    let wrong = if totp_code(&secret, ctx.now) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let e = verify_software_token(&ctx, Caller::Session(&associated), wrong, None)
        .await
        .expect_err("wrong code");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (
            ErrorKind::EnableSoftwareTokenMfa,
            "Code mismatch and fail enable Software Token MFA"
        )
    );
    // a wrong code leaves the associated session usable
    let verified = verify_software_token(
        &ctx,
        Caller::Session(&associated),
        &totp_code(&secret, ctx.now),
        None,
    )
    .await
    .expect("verify")
    .expect("next session");
    let t = tokens(setup(verified.clone()).await);
    assert_signed_in(&t, &client, "una");
    assert_refused(setup(verified).await, USED_SESSION);
    // una has a verified authenticator now, but the other sign-in never proved it has it
    assert_refused(setup(stale).await, INVALID_SESSION);
}

#[tokio::test]
async fn an_enrolled_user_in_an_on_pool_answers_software_token_mfa() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let pool = env.software_token_mfa(&pool, MfaConfiguration::On).await;
    let client = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    let secret = enrolled_user(&env, &pool, &client, "otto").await;

    let later = env.ctx_after(60);
    assert_refused(
        password_sign_in(&later, &client, "otto", "Wrong-Passw0rd").await,
        INCORRECT,
    );
    let (session, p) = challenged(
        password_sign_in(&later, &client, "otto", PASSWORD).await,
        C::SoftwareTokenMfa,
    );
    assert_eq!(p["FRIENDLY_DEVICE_NAME"], "phone");
    assert_eq!(p["USER_ID_FOR_SRP"], "otto");
    let t = tokens(
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
    );
    assert_signed_in(&t, &client, "otto");
    let otto = admin_get_user(&later, &pool.id, "otto")
        .await
        .expect("otto");
    assert_eq!(
        otto.lockout.failed_attempts, 0,
        "a completed sign-in resets"
    );
}

#[tokio::test]
async fn the_mfa_step_follows_the_pool_configuration() {
    let env = Env::new().await;
    let ctx = env.ctx();

    // OFF (the default) and OPTIONAL: a user without MFA gets tokens at once
    let off = env.pool(PoolIdentity::default()).await;
    let optional = env.pool(PoolIdentity::default()).await;
    let optional = env
        .software_token_mfa(&optional, MfaConfiguration::Optional)
        .await;
    for pool in [&off, &optional] {
        let client = env.client(pool, &[E::AllowUserPasswordAuth]).await;
        env.user_with_password(pool, "opal", PASSWORD).await;
        let t = tokens(password_sign_in(&ctx, &client, "opal", PASSWORD).await);
        assert_signed_in(&t, &client, "opal");
    }

    // ON with SMS only and a user without a phone number: nothing to set up, a configuration error
    let sms_only = env.pool(PoolIdentity::default()).await;
    set_user_pool_mfa_config(
        &ctx,
        &sms_only.id,
        MfaConfigRequest {
            mfa_configuration: Some(MfaConfiguration::On),
            sms: true,
            sms_configured: true,
            ..Default::default()
        },
    )
    .await
    .expect("mfa config");
    let client = env.client(&sms_only, &[E::AllowUserPasswordAuth]).await;
    env.user_with_password(&sms_only, "opal", PASSWORD).await;
    assert_refused(
        password_sign_in(&ctx, &client, "opal", PASSWORD).await,
        (
            ErrorKind::InvalidUserPoolConfiguration,
            "MFA is required in this user pool, but no MFA method the user can set up is enabled.",
        ),
    );
}

#[tokio::test]
async fn a_temporary_password_expires_after_the_pools_validity() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    assert_eq!(pool.password_policy.temporary_password_validity_days, 7);
    let client = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    env.invited_user(&pool, "tom", TEMPORARY, &[]).await;
    let week = 7 * 86_400;
    challenged(
        password_sign_in(&env.ctx_after(week - 1), &client, "tom", TEMPORARY).await,
        C::NewPasswordRequired,
    );
    assert_refused(
        password_sign_in(&env.ctx_after(week), &client, "tom", TEMPORARY).await,
        (
            ErrorKind::NotAuthorized,
            "Temporary password has expired and must be reset by an administrator.",
        ),
    );
    // the password is still checked first
    assert_refused(
        password_sign_in(&env.ctx_after(week), &client, "tom", PASSWORD).await,
        INCORRECT,
    );
}
