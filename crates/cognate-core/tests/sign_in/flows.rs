//! Which API allows which flow, refresh, legacy ExplicitAuthFlows, and the error precedence
//! of the first step.

use cognate_core::crypto;
use cognate_core::model::ExplicitAuthFlow as E;
use cognate_core::service::pools::clients::{create_user_pool_client, ClientConfig};
use cognate_core::service::pools::user_pools::PoolIdentity;
use cognate_core::service::users::admin_users::{admin_disable_user, admin_get_user};
use cognate_core::service::users::passwords::admin_reset_user_password;
use cognate_core::service::users::sign_up::{sign_up, SignUpRequest};

use super::support::NOW;
use super::*;

#[tokio::test]
async fn password_flows_belong_to_their_api() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let other_pool = env.pool(PoolIdentity::default()).await;
    let client = env
        .client(
            &pool,
            &[E::AllowUserPasswordAuth, E::AllowAdminUserPasswordAuth],
        )
        .await;
    env.user_with_password(&pool, "ann", PASSWORD).await;
    let ctx = env.ctx();
    let admin = Api::Admin { pool_id: &pool.id };
    let creds = [("USERNAME", "ann"), ("PASSWORD", PASSWORD)];

    let t = tokens(initiate(&ctx, Api::Public, &client, F::UserPasswordAuth, &creds).await);
    assert_signed_in(&t, &client, "ann");
    assert_eq!(
        claims(&t.id_token)["iss"],
        format!("http://localhost/{}", pool.id)
    );
    let t = tokens(initiate(&ctx, admin, &client, F::AdminUserPasswordAuth, &creds).await);
    assert_signed_in(&t, &client, "ann");
    // ADMIN_NO_SRP_AUTH is the legacy name of ADMIN_USER_PASSWORD_AUTH
    let t = tokens(initiate(&ctx, admin, &client, F::AdminNoSrpAuth, &creds).await);
    assert_signed_in(&t, &client, "ann");

    // each password flow through the other API, even with the right password
    for (api, flow) in [
        (Api::Public, F::AdminUserPasswordAuth),
        (Api::Public, F::AdminNoSrpAuth),
        (admin, F::UserPasswordAuth),
    ] {
        assert_refused(
            initiate(&ctx, api, &client, flow, &creds).await,
            NOT_SUPPORTED,
        );
    }

    // the admin API names the pool: a client of another pool is not found there
    assert_refused(
        initiate(
            &ctx,
            Api::Admin {
                pool_id: &other_pool.id,
            },
            &client,
            F::AdminUserPasswordAuth,
            &creds,
        )
        .await,
        (
            ErrorKind::ResourceNotFound,
            &format!("User pool client {} does not exist.", client.client_id),
        ),
    );
    // flows Cognate does not implement, when the client allows them (the default flows do)
    let defaults = env.client_with(&pool, ClientConfig::default()).await;
    assert_refused(
        initiate(&ctx, Api::Public, &defaults, F::CustomAuth, &creds).await,
        (
            ErrorKind::UnsupportedOperation,
            "Cognate does not implement CUSTOM_AUTH yet.",
        ),
    );
}

#[tokio::test]
async fn flows_the_client_does_not_allow_are_refused_before_the_user_is_looked_up() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let srp_only = env.client(&pool, &[E::AllowUserSrpAuth]).await;
    env.user_with_password(&pool, "ann", PASSWORD).await;
    let ctx = env.ctx();
    let admin = Api::Admin { pool_id: &pool.id };

    for user in ["ann", "ghost"] {
        let creds = [("USERNAME", user), ("PASSWORD", PASSWORD)];
        for (flow, message) in [
            (
                F::UserPasswordAuth,
                "USER_PASSWORD_AUTH flow not enabled for this client",
            ),
            (
                F::RefreshTokenAuth,
                "REFRESH_TOKEN_AUTH flow not enabled for this client",
            ),
            (
                F::CustomAuth,
                "CUSTOM_AUTH flow not enabled for this client",
            ),
        ] {
            assert_refused(
                initiate(&ctx, Api::Public, &srp_only, flow, &creds).await,
                (ErrorKind::InvalidParameter, message),
            );
        }
        for flow in [
            F::AdminUserPasswordAuth,
            F::AdminNoSrpAuth,
            F::RefreshTokenAuth,
        ] {
            assert_refused(
                initiate(&ctx, admin, &srp_only, flow, &creds).await,
                (
                    ErrorKind::InvalidParameter,
                    "Auth flow not enabled for this client",
                ),
            );
        }
        // the wrong API is reported before the client's flows
        assert_refused(
            initiate(&ctx, admin, &srp_only, F::UserPasswordAuth, &creds).await,
            NOT_SUPPORTED,
        );
    }
}

#[tokio::test]
async fn refresh_token_auth_gives_tokens_without_a_new_refresh_token() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let flows = [E::AllowUserPasswordAuth, E::AllowRefreshTokenAuth];
    let client = env.client(&pool, &flows).await;
    let other = env.client(&pool, &flows).await;
    env.user_with_password(&pool, "ann", PASSWORD).await;
    let signed_in = tokens(password_sign_in(&env.ctx(), &client, "ann", PASSWORD).await);
    let refresh = signed_in.refresh_token.clone().expect("refresh token");
    let first = claims(&signed_in.access_token);

    let later = env.ctx_after(600);
    for (api, flow) in [
        (Api::Public, F::RefreshTokenAuth),
        (Api::Public, F::RefreshToken),
        (Api::Admin { pool_id: &pool.id }, F::RefreshTokenAuth),
    ] {
        let t = tokens(initiate(&later, api, &client, flow, &[("REFRESH_TOKEN", &refresh)]).await);
        assert!(t.refresh_token.is_none(), "{flow}: no new refresh token");
        let access = claims(&t.access_token);
        assert_eq!(access["username"], "ann");
        assert_eq!(access["iat"], NOW + 600, "{flow}: a new access token");
        assert_eq!(access["auth_time"], NOW, "{flow}: same authentication");
        assert_eq!(access["origin_jti"], first["origin_jti"]);
        assert_eq!(claims(&t.id_token)["cognito:username"], "ann");
    }

    assert_refused(
        initiate(&later, Api::Public, &client, F::RefreshTokenAuth, &[]).await,
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter REFRESH_TOKEN",
        ),
    );
    let invalid = (ErrorKind::NotAuthorized, "Invalid Refresh Token");
    assert_refused(
        initiate(
            &later,
            Api::Public,
            &client,
            F::RefreshTokenAuth,
            &[("REFRESH_TOKEN", "not-a-token")],
        )
        .await,
        invalid,
    );
    // a refresh token works only for the client it was issued to
    assert_refused(
        initiate(
            &later,
            Api::Public,
            &other,
            F::RefreshTokenAuth,
            &[("REFRESH_TOKEN", &refresh)],
        )
        .await,
        invalid,
    );
}

#[tokio::test]
async fn legacy_explicit_flows_also_allow_srp_and_refresh() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    env.user_with_password(&pool, "ann", PASSWORD).await;
    let ctx = env.ctx();
    let admin = Api::Admin { pool_id: &pool.id };
    let creds = [("USERNAME", "ann"), ("PASSWORD", PASSWORD)];

    // ADMIN_NO_SRP_AUTH alone: the admin password flow, SRP and refresh
    let admin_only = env.client(&pool, &[E::AdminNoSrpAuth]).await;
    let t = tokens(initiate(&ctx, admin, &admin_only, F::AdminUserPasswordAuth, &creds).await);
    assert_signed_in(&t, &admin_only, "ann");
    let refresh = t.refresh_token.expect("refresh token");
    let (_, p) = challenged(
        initiate(
            &ctx,
            Api::Public,
            &admin_only,
            F::UserSrpAuth,
            &[("USERNAME", "ann"), ("SRP_A", SRP_A)],
        )
        .await,
        C::PasswordVerifier,
    );
    assert_eq!(p["USER_ID_FOR_SRP"], "ann");
    let t = tokens(
        initiate(
            &ctx,
            Api::Public,
            &admin_only,
            F::RefreshTokenAuth,
            &[("REFRESH_TOKEN", &refresh)],
        )
        .await,
    );
    assert!(t.refresh_token.is_none());
    assert_refused(
        initiate(&ctx, Api::Public, &admin_only, F::UserPasswordAuth, &creds).await,
        (
            ErrorKind::InvalidParameter,
            "USER_PASSWORD_AUTH flow not enabled for this client",
        ),
    );

    // USER_PASSWORD_AUTH alone: the public password flow, SRP and refresh, not the admin flow
    let user_only = env.client(&pool, &[E::UserPasswordAuth]).await;
    let t = tokens(initiate(&ctx, Api::Public, &user_only, F::UserPasswordAuth, &creds).await);
    assert_signed_in(&t, &user_only, "ann");
    let refresh = t.refresh_token.expect("refresh token");
    challenged(
        initiate(
            &ctx,
            Api::Public,
            &user_only,
            F::UserSrpAuth,
            &[("USERNAME", "ann"), ("SRP_A", SRP_A)],
        )
        .await,
        C::PasswordVerifier,
    );
    tokens(
        initiate(
            &ctx,
            Api::Public,
            &user_only,
            F::RefreshTokenAuth,
            &[("REFRESH_TOKEN", &refresh)],
        )
        .await,
    );
    assert_refused(
        initiate(&ctx, admin, &user_only, F::AdminUserPasswordAuth, &creds).await,
        (
            ErrorKind::InvalidParameter,
            "Auth flow not enabled for this client",
        ),
    );

    // a modern client allows only what it lists
    let modern = env.client(&pool, &[E::AllowUserPasswordAuth]).await;
    assert_refused(
        initiate(
            &ctx,
            Api::Public,
            &modern,
            F::UserSrpAuth,
            &[("USERNAME", "ann"), ("SRP_A", SRP_A)],
        )
        .await,
        (
            ErrorKind::InvalidParameter,
            "USER_SRP_AUTH flow not enabled for this client",
        ),
    );
}

#[tokio::test]
async fn sign_in_error_precedence() {
    let env = Env::new().await;
    let pool = env.pool(PoolIdentity::default()).await;
    let flows = vec![E::AllowUserPasswordAuth, E::AllowUserSrpAuth];
    let legacy = env.client(&pool, &flows).await;
    let prevent = env
        .client_with(
            &pool,
            ClientConfig {
                explicit_auth_flows: Some(flows.clone()),
                prevent_user_existence_errors: Some(true),
                ..Default::default()
            },
        )
        .await;
    let ctx = env.ctx();
    env.user_with_password(&pool, "ann", PASSWORD).await;

    // a wrong password, with either client
    for client in [&legacy, &prevent] {
        assert_refused(
            password_sign_in(&ctx, client, "ann", "Wrong-Passw0rd").await,
            INCORRECT,
        );
    }
    // an unknown user: UserNotFound, unless the client prevents user existence errors
    assert_refused(
        password_sign_in(&ctx, &legacy, "ghost", PASSWORD).await,
        (ErrorKind::UserNotFound, "User does not exist."),
    );
    assert_refused(
        password_sign_in(&ctx, &prevent, "ghost", PASSWORD).await,
        INCORRECT,
    );
    // ...and USER_SRP_AUTH gives an unknown user a challenge of the same shape as a real one,
    // with a SALT that stays the same when asked again (a random one would tell).
    let mut salts = Vec::new();
    for _ in 0..2 {
        match initiate(
            &ctx,
            Api::Public,
            &prevent,
            F::UserSrpAuth,
            &[("USERNAME", "ghost"), ("SRP_A", SRP_A)],
        )
        .await
        {
            Ok(AuthOutcome::Challenge {
                name, parameters, ..
            }) => {
                assert_eq!(name, ChallengeName::PasswordVerifier);
                assert_eq!(parameters["USER_ID_FOR_SRP"], "ghost");
                assert_eq!(parameters["SALT"].len() % 2, 0);
                salts.push(parameters["SALT"].clone());
            }
            other => panic!("expected a PASSWORD_VERIFIER challenge, got {other:?}"),
        }
    }
    assert_eq!(salts[0], salts[1]);
    // missing parameters
    assert_refused(
        initiate(
            &ctx,
            Api::Public,
            &legacy,
            F::UserPasswordAuth,
            &[("USERNAME", "ghost")],
        )
        .await,
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter PASSWORD",
        ),
    );
    assert_refused(
        initiate(
            &ctx,
            Api::Public,
            &legacy,
            F::UserPasswordAuth,
            &[("PASSWORD", PASSWORD)],
        )
        .await,
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter USERNAME",
        ),
    );

    // unconfirmed (SignUp without confirmation): UserNotConfirmed even with a wrong password,
    // as Cognito answers
    sign_up(
        &ctx,
        SignUpRequest {
            client_id: legacy.client_id.clone(),
            secret_hash: None,
            username: "uma".into(),
            password: PASSWORD.into(),
            attributes: vec![],
        },
    )
    .await
    .expect("sign up");
    for password in [PASSWORD, "Wrong-Passw0rd"] {
        assert_refused(
            password_sign_in(&ctx, &legacy, "uma", password).await,
            (ErrorKind::UserNotConfirmed, "User is not confirmed."),
        );
    }

    // disabled: refused whatever the password, and not counted as a failure
    env.user_with_password(&pool, "dan", PASSWORD).await;
    admin_disable_user(&ctx, &pool.id, "dan")
        .await
        .expect("disable");
    for password in [PASSWORD, "Wrong-Passw0rd"] {
        assert_refused(
            password_sign_in(&ctx, &legacy, "dan", password).await,
            (ErrorKind::NotAuthorized, "User is disabled."),
        );
    }
    let dan = admin_get_user(&ctx, &pool.id, "dan").await.expect("dan");
    assert_eq!(dan.lockout.failed_attempts, 0);

    // reset required: only the right password learns it
    env.user_with_password(&pool, "rex", PASSWORD).await;
    admin_reset_user_password(&ctx, &pool.id, "rex")
        .await
        .expect("reset");
    assert_refused(
        password_sign_in(&ctx, &legacy, "rex", "Wrong-Passw0rd").await,
        INCORRECT,
    );
    assert_refused(
        password_sign_in(&ctx, &legacy, "rex", PASSWORD).await,
        (
            ErrorKind::PasswordResetRequired,
            "Password reset required for the user",
        ),
    );

    // five wrong passwords lock the user for a second, even against the right password
    env.user_with_password(&pool, "lou", PASSWORD).await;
    for _ in 0..5 {
        assert_refused(
            password_sign_in(&ctx, &legacy, "lou", "Wrong-Passw0rd").await,
            INCORRECT,
        );
    }
    assert_refused(
        password_sign_in(&ctx, &legacy, "lou", PASSWORD).await,
        (ErrorKind::NotAuthorized, "Password attempts exceeded"),
    );
    tokens(password_sign_in(&env.ctx_after(1), &legacy, "lou", PASSWORD).await);

    // a client with a secret: SECRET_HASH is checked before the user is looked up
    let secret_client = create_user_pool_client(
        &ctx,
        &pool.id,
        ClientConfig {
            name: "s".into(),
            explicit_auth_flows: Some(flows),
            ..Default::default()
        },
        true,
        None,
    )
    .await
    .expect("client");
    let secret = secret_client.secret.clone().expect("secret");
    assert_refused(
        password_sign_in(&ctx, &secret_client, "ghost", PASSWORD).await,
        (
            ErrorKind::NotAuthorized,
            &format!(
                "Client {} is configured for secret but secret was not received",
                secret_client.client_id
            ),
        ),
    );
    let hash_for =
        |user: &str| crypto::secret_hash::compute(&secret, user, &secret_client.client_id);
    assert_refused(
        initiate(
            &ctx,
            Api::Public,
            &secret_client,
            F::UserPasswordAuth,
            &[
                ("USERNAME", "ann"),
                ("PASSWORD", PASSWORD),
                ("SECRET_HASH", &hash_for("ghost")),
            ],
        )
        .await,
        (
            ErrorKind::NotAuthorized,
            &format!(
                "Unable to verify secret hash for client {}",
                secret_client.client_id
            ),
        ),
    );
    tokens(
        initiate(
            &ctx,
            Api::Public,
            &secret_client,
            F::UserPasswordAuth,
            &[
                ("USERNAME", "ann"),
                ("PASSWORD", PASSWORD),
                ("SECRET_HASH", &hash_for("ann")),
            ],
        )
        .await,
    );
}
