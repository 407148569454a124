//! A core `Ctx` over a fresh SQLite store, for use-case tests.
//!
//! Every test file includes this module and uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;

use cognate_core::clock::Timestamp;
use cognate_core::crypto::secret_box::SecretBox;
use cognate_core::crypto::totp;
use cognate_core::delivery::{CodeDelivery, OutgoingMessage};
use cognate_core::model::{AppClient, ExplicitAuthFlow, MfaConfiguration, UserPool, UserStatus};
use cognate_core::random::SeededRandom;
use cognate_core::service::common::key_cache::KeyCache;
use cognate_core::service::mfa::mfa_config::{set_user_pool_mfa_config, MfaConfigRequest};
use cognate_core::service::pools::clients::{create_user_pool_client, ClientConfig};
use cognate_core::service::pools::user_pools::{self as pools, PoolConfig, PoolIdentity};
use cognate_core::service::users::admin_create_user::{
    admin_create_user, AdminCreateUserRequest, MessageAction,
};
use cognate_core::service::users::passwords::admin_set_user_password;
use cognate_core::service::{Ctx, InlineOffload, Settings};
use cognate_store::SqliteStore;

/// The instant `Env::ctx` runs at (epoch seconds).
pub const NOW: i64 = 1_700_000_000;

pub struct NoDelivery;

#[async_trait::async_trait]
impl CodeDelivery for NoDelivery {
    async fn deliver(&self, _: &OutgoingMessage) -> Result<(), String> {
        Ok(())
    }
}

pub struct Env {
    _dir: tempfile::TempDir,
    pub store: SqliteStore,
    random: SeededRandom,
    sealer: SecretBox,
    settings: Settings,
    keys: KeyCache,
}

impl Env {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("cognate.db"))
            .await
            .expect("store");
        Self {
            _dir: dir,
            store,
            random: SeededRandom::new(42),
            sealer: SecretBox::new([9; 32]),
            keys: KeyCache::default(),
            settings: Settings {
                region: "us-east-1".into(),
                account_id: "000000000000".into(),
                issuer_prefix: "http://localhost".into(),
                public_url: "http://localhost".into(),
                password_hash: cognate_core::crypto::password::HashProfile::PRODUCTION,
            },
        }
    }

    /// A ctx at [`NOW`].
    pub fn ctx(&self) -> Ctx<'_> {
        self.ctx_at(Timestamp::from_secs(NOW))
    }

    /// A ctx `secs` seconds after [`NOW`] (all ctxs share the store and the randomness).
    pub fn ctx_after(&self, secs: i64) -> Ctx<'_> {
        self.ctx_at(Timestamp::from_secs(NOW + secs))
    }

    pub fn ctx_at(&self, now: Timestamp) -> Ctx<'_> {
        Ctx {
            store: &self.store,
            now,
            random: &self.random,
            delivery: &NoDelivery,
            keys: &self.keys,
            cpu: &InlineOffload,
            sealer: &self.sealer,
            settings: &self.settings,
        }
    }

    pub async fn pool(&self, identity: PoolIdentity) -> UserPool {
        let identity = PoolIdentity {
            name: "p".into(),
            ..identity
        };
        pools::create_user_pool(&self.ctx(), identity, PoolConfig::default())
            .await
            .expect("pool")
    }

    pub async fn user(&self, pool: &UserPool, name: &str, attrs: &[(&str, &str)]) {
        let attrs: BTreeMap<String, String> = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let ctx = self.ctx();
        let user = ctx.new_user(pool, name, attrs, UserStatus::Confirmed);
        ctx.insert_user(&user).await.expect("insert user");
    }

    /// A confirmed user with a permanent password.
    pub async fn user_with_password(&self, pool: &UserPool, name: &str, password: &str) {
        self.user(pool, name, &[]).await;
        admin_set_user_password(&self.ctx(), &pool.id, name, password, true)
            .await
            .expect("set password");
    }

    /// A user made by AdminCreateUser (FORCE_CHANGE_PASSWORD), no invitation sent.
    pub async fn invited_user(
        &self,
        pool: &UserPool,
        name: &str,
        temporary_password: &str,
        attrs: &[(&str, &str)],
    ) {
        admin_create_user(
            &self.ctx(),
            AdminCreateUserRequest {
                pool_id: pool.id.clone(),
                username: name.into(),
                attributes: attrs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                temporary_password: Some(temporary_password.into()),
                message_action: MessageAction::Suppress,
                desired_delivery_mediums: vec![],
                force_alias_creation: false,
            },
        )
        .await
        .expect("admin create user");
    }

    /// An app client allowing exactly `flows`, otherwise the defaults.
    pub async fn client(&self, pool: &UserPool, flows: &[ExplicitAuthFlow]) -> AppClient {
        self.client_with(
            pool,
            ClientConfig {
                explicit_auth_flows: Some(flows.to_vec()),
                ..Default::default()
            },
        )
        .await
    }

    pub async fn client_with(&self, pool: &UserPool, config: ClientConfig) -> AppClient {
        let config = ClientConfig {
            name: "c".into(),
            ..config
        };
        create_user_pool_client(&self.ctx(), &pool.id, config, false, None)
            .await
            .expect("client")
    }

    /// Sets the pool's MFA mode with software tokens as its only factor.
    pub async fn software_token_mfa(&self, pool: &UserPool, mode: MfaConfiguration) -> UserPool {
        set_user_pool_mfa_config(
            &self.ctx(),
            &pool.id,
            MfaConfigRequest {
                mfa_configuration: Some(mode),
                software_token: Some(true),
                ..Default::default()
            },
        )
        .await
        .expect("mfa config")
    }
}

/// Auth parameters or challenge responses from pairs.
pub fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The TOTP code an authenticator holding `secret_base32` (AssociateSoftwareToken's
/// SecretCode) shows at `now`.
pub fn totp_code(secret_base32: &str, now: Timestamp) -> String {
    let secret = totp::base32_decode(secret_base32).expect("base32 secret");
    let step = u64::try_from(totp::step_at(now.secs())).expect("a time after 1970");
    totp::hotp(&secret, step)
}

pub fn case_sensitive() -> PoolIdentity {
    PoolIdentity {
        case_sensitive: true,
        ..Default::default()
    }
}
