//! [`Ctx`]: everything a use-case may touch, built once per request by the server, and the
//! shared lookups and writes of pools, clients and users.

use crate::clock::Timestamp;
use crate::crypto::password::HashProfile;
use crate::crypto::secret_box::SecretBox;
use crate::delivery::CodeDelivery;
use crate::model::{AppClient, User, UserPart, UserPool};
use crate::random::Random;
use crate::service::common::attributes;
use crate::service::common::key_cache::KeyCache;
use crate::service::offload::{self, Offload};
use crate::store::{Constraint, Store, StoreError};
use crate::{CognitoError, ErrorKind, Result};

/// Installation-wide settings the use-cases need.
#[derive(Debug, Clone)]
pub struct Settings {
    pub region: String,
    /// AWS account id used in ARNs.
    pub account_id: String,
    /// Token issuers are `<issuer_prefix>/<poolId>`.
    pub issuer_prefix: String,
    /// The server's public base URL (no trailing slash): where prefix domains are served
    /// (`<public_url>/domains/<prefix>`).
    pub public_url: String,
    /// The argon2id cost of new password hashes.
    pub password_hash: HashProfile,
}

impl Settings {
    pub fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{}", self.issuer_prefix.trim_end_matches('/'), pool_id)
    }
}

/// Everything a use-case may touch. Built once per request by the server.
pub struct Ctx<'a> {
    pub store: &'a dyn Store,
    pub now: Timestamp,
    pub random: &'a dyn Random,
    pub delivery: &'a dyn CodeDelivery,
    /// Unsealed per-pool signing keys (see `common::keys::pool_keys`).
    pub keys: &'a KeyCache,
    /// Where CPU-heavy work runs (see [`Ctx::offload`]).
    pub cpu: &'a dyn Offload,
    pub sealer: &'a SecretBox,
    pub settings: &'a Settings,
}

impl Ctx<'_> {
    pub async fn pool(&self, pool_id: &str) -> Result<UserPool> {
        self.store
            .get_pool(pool_id)
            .await?
            .ok_or_else(|| CognitoError::pool_not_found(pool_id))
    }

    /// A client by id alone (InitiateAuth and the other unsigned operations carry no pool id).
    pub async fn client(&self, client_id: &str) -> Result<AppClient> {
        self.store
            .get_client(client_id)
            .await?
            .ok_or_else(|| CognitoError::client_not_found(client_id))
    }

    /// A client that must belong to `pool_id`.
    pub async fn pool_client(&self, pool_id: &str, client_id: &str) -> Result<AppClient> {
        match self.store.get_client(client_id).await? {
            Some(c) if c.pool_id == pool_id => Ok(c),
            _ => Err(CognitoError::client_not_found(client_id)),
        }
    }

    /// Resolves what a caller typed as a username: the username itself, a sign-in alias
    /// (email, phone number, preferred_username) or the user's `sub`.
    pub async fn find_user(&self, pool: &UserPool, name: &str) -> Result<Option<User>> {
        let key = attributes::username_key(pool, name);
        if let Some(u) = self.store.get_user(&pool.id, &key).await? {
            return Ok(Some(u));
        }
        for attr in ["email", "phone_number", "preferred_username"] {
            if pool.signs_in_with(attr) {
                let k = attributes::alias_key(attr, name);
                if let Some(u) = self.store.get_user_by_alias(&pool.id, attr, &k).await? {
                    return Ok(Some(u));
                }
            }
        }
        Ok(self.store.get_user_by_sub(&pool.id, name).await?)
    }

    pub async fn user(&self, pool: &UserPool, name: &str) -> Result<User> {
        self.find_user(pool, name)
            .await?
            .ok_or_else(CognitoError::user_not_found)
    }

    /// A new user record (not yet stored) with a fresh `sub` and its lookup keys.
    pub fn new_user(
        &self,
        pool: &UserPool,
        username: &str,
        attributes: std::collections::BTreeMap<String, String>,
        status: crate::model::UserStatus,
    ) -> User {
        use crate::random::RandomExt;
        new_user_record(
            pool,
            username,
            self.random.uuid(),
            attributes,
            status,
            self.now,
        )
    }

    /// Stores a new user; a taken username or alias becomes UsernameExists / AliasExists.
    pub async fn insert_user(&self, user: &User) -> Result<()> {
        self.store
            .insert_user(user)
            .await
            .map_err(map_user_conflict)
    }

    /// Applies `f` to the freshest copy of a user and writes the parts it changed, each with
    /// compare-and-set on its own version (`User::apply_changes`), retrying when another request
    /// changed one of those parts meanwhile. Writes to other parts never conflict with it. The
    /// user is saved even when `f` fails (so counted failures persist), unless `f` changed
    /// nothing. Returns the user as stored.
    pub async fn modify_user<T>(
        &self,
        pool: &UserPool,
        username: &str,
        mut f: impl FnMut(&mut User) -> Result<T>,
    ) -> Result<(User, T)> {
        // Each round, one of the writers racing for a part wins; enough rounds for many.
        for _ in 0..MODIFY_ATTEMPTS {
            let mut user = self.user(pool, username).await?;
            let before = user.clone();
            let out = f(&mut user);
            user.keys = attributes::user_keys(pool, &user);
            let changed = User::changed_parts(&before, &user);
            if changed.is_empty() {
                return out.map(|t| (user, t));
            }
            if changed.contains(&UserPart::Profile) {
                user.modified = self.now;
            }
            match self.store.update_user(&user, &changed).await {
                Ok(stored) => return out.map(|t| (stored, t)),
                Err(StoreError::Conflict {
                    constraint: Constraint::Version,
                }) => continue,
                Err(e) => return Err(map_user_conflict(e)),
            }
        }
        Err(concurrent_modification())
    }

    /// Runs `f` through [`Ctx::cpu`] and returns its result.
    pub async fn offload<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        offload::run(self.cpu, f).await
    }

    /// An argon2id PHC string for `password` at the installation's profile, computed off the
    /// runtime.
    pub async fn hash_password(&self, password: &str) -> Result<String> {
        let mut salt = [0u8; 16];
        self.random.fill(&mut salt);
        let password = password.to_owned();
        let profile = self.settings.password_hash;
        self.offload(move || crate::crypto::password::hash(&password, &salt, profile))
            .await?
            .map_err(CognitoError::internal)
    }

    /// Does the work of [`Ctx::verify_password`] against a hash no password matches: what a
    /// sign-in for an unknown user costs when the client hides user existence.
    pub async fn verify_dummy_password(&self, password: &str) -> Result<()> {
        let password = password.to_owned();
        let profile = self.settings.password_hash;
        self.offload(move || crate::crypto::password::verify_dummy(&password, profile))
            .await
    }

    /// Checks a password against a PHC string, off the runtime. A failure to run the check is
    /// an internal error, never an answer about the password.
    pub async fn verify_password(&self, password: &str, phc: &str) -> Result<bool> {
        let (password, phc) = (password.to_owned(), phc.to_owned());
        self.offload(move || crate::crypto::password::verify(&password, &phc))
            .await
    }
}

/// Maps store conflicts on user rows to Cognito's errors.
pub fn map_user_conflict(e: StoreError) -> CognitoError {
    match e {
        StoreError::Conflict {
            constraint: Constraint::Username,
        } => CognitoError::new(ErrorKind::UsernameExists, "User already exists"),
        StoreError::Conflict {
            constraint: Constraint::Alias(attr),
        } => {
            let what = match attr.as_str() {
                "phone_number" => "phone number",
                other => other,
            };
            CognitoError::new(
                ErrorKind::AliasExists,
                format!("An account with the given {what} already exists."),
            )
        }
        StoreError::Conflict {
            constraint: Constraint::Version,
        } => concurrent_modification(),
        StoreError::NotFound => CognitoError::user_not_found(),
        other => other.into(),
    }
}

/// How often [`Ctx::modify_user`] re-reads and retries a write that lost a race.
const MODIFY_ATTEMPTS: usize = 64;

fn concurrent_modification() -> CognitoError {
    CognitoError::new(
        ErrorKind::ConcurrentModification,
        "The user was modified by another request; try again.",
    )
}

/// A new user record (not yet stored) with the given `sub`, created at `now`, and its lookup
/// keys: [`Ctx::new_user`], and the user import, which has no `Ctx` per record.
pub fn new_user_record(
    pool: &UserPool,
    username: &str,
    sub: String,
    attributes: std::collections::BTreeMap<String, String>,
    status: crate::model::UserStatus,
    now: Timestamp,
) -> User {
    let mut user = User {
        pool_id: pool.id.clone(),
        username: username.to_owned(),
        sub,
        attributes,
        status,
        enabled: true,
        created: now,
        modified: now,
        password: None,
        password_history: vec![],
        codes: Default::default(),
        code_attempts: Default::default(),
        lockout: Default::default(),
        tokens_valid_after: Timestamp(0),
        keys: Default::default(),
        mfa: Default::default(),
        versions: Default::default(),
    };
    user.keys = attributes::user_keys(pool, &user);
    user
}
