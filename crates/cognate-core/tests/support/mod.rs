//! A core `Ctx` over a fresh SQLite store, for use-case tests.

use std::collections::BTreeMap;

use cognate_core::clock::Timestamp;
use cognate_core::crypto::secret_box::SecretBox;
use cognate_core::delivery::{CodeDelivery, OutgoingMessage};
use cognate_core::model::{UserPool, UserStatus};
use cognate_core::random::SeededRandom;
use cognate_core::service::common::key_cache::KeyCache;
use cognate_core::service::pools::user_pools::{self as pools, PoolConfig, PoolIdentity};
use cognate_core::service::{Ctx, InlineOffload, Settings};
use cognate_store::SqliteStore;

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
            },
        }
    }

    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            store: &self.store,
            now: Timestamp::from_secs(1_700_000_000),
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
}

pub fn case_sensitive() -> PoolIdentity {
    PoolIdentity {
        case_sensitive: true,
        ..Default::default()
    }
}
