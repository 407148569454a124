//! The persistence boundary. Methods are coarse and atomic so each backend can implement them
//! in one transaction; uniqueness is enforced by the backend and reported as [`StoreError::Conflict`].
//!
//! Every method that returns `Ok` has made its write durable (see the backend's fsync policy).

use async_trait::async_trait;

use crate::model::{
    AppClient, AuthSessionRecord, Group, RefreshTokenRecord, SigningKeyRecord, User, UserPool,
};
use crate::CognitoError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The row to update or delete does not exist.
    NotFound,
    /// A uniqueness constraint or an optimistic-concurrency check failed.
    Conflict {
        constraint: Constraint,
    },
    Other(String),
}

/// Which constraint a [`StoreError::Conflict`] violated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// The user's normalised username is taken in the pool.
    Username,
    Sub,
    /// A sign-in alias (attribute name: `email`, `phone_number`, `preferred_username`) is taken.
    Alias(String),
    /// The compare-and-set version check of an update failed.
    Version,
    Group,
    Pool,
    Client,
    SigningKey,
    /// A row refers to one that does not exist.
    Reference,
    /// Any other uniqueness constraint.
    Unique,
}

impl std::fmt::Display for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Username => write!(f, "username"),
            Self::Sub => write!(f, "sub"),
            Self::Alias(attr) => write!(f, "alias {attr}"),
            Self::Version => write!(f, "version"),
            Self::Group => write!(f, "group"),
            Self::Pool => write!(f, "pool"),
            Self::Client => write!(f, "client"),
            Self::SigningKey => write!(f, "signing key"),
            Self::Reference => write!(f, "reference"),
            Self::Unique => write!(f, "unique"),
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound => write!(f, "not found"),
            Self::Conflict { constraint } => write!(f, "conflict on {constraint}"),
            Self::Other(e) => write!(f, "store error: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for CognitoError {
    fn from(e: StoreError) -> Self {
        CognitoError::internal(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait Store: Send + Sync {
    // --- user pools ---
    async fn insert_pool(&self, pool: &UserPool) -> StoreResult<()>;
    async fn get_pool(&self, pool_id: &str) -> StoreResult<Option<UserPool>>;
    async fn update_pool(&self, pool: &UserPool) -> StoreResult<()>;
    /// Deletes the pool and everything in it. Returns false if it did not exist.
    async fn delete_pool(&self, pool_id: &str) -> StoreResult<bool>;
    /// Pools ordered by id, starting after `after`.
    async fn list_pools(&self, after: Option<&str>, limit: usize) -> StoreResult<Vec<UserPool>>;
    async fn count_users(&self, pool_id: &str) -> StoreResult<u64>;

    // --- app clients ---
    async fn insert_client(&self, client: &AppClient) -> StoreResult<()>;
    async fn get_client(&self, client_id: &str) -> StoreResult<Option<AppClient>>;
    async fn update_client(&self, client: &AppClient) -> StoreResult<()>;
    async fn delete_client(&self, pool_id: &str, client_id: &str) -> StoreResult<bool>;
    async fn list_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<AppClient>>;

    // --- users ---
    async fn insert_user(&self, user: &User) -> StoreResult<()>;
    /// By normalised username key (`UserKeys::username`).
    async fn get_user(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>>;
    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>>;
    async fn get_user_by_alias(
        &self,
        pool_id: &str,
        attribute: &str,
        value_key: &str,
    ) -> StoreResult<Option<User>>;
    /// Compare-and-set: writes `user` only if the stored version equals `expected_version`
    /// (else `Conflict{version}`); the caller sets `user.version = expected_version + 1`.
    async fn update_user(&self, user: &User, expected_version: i64) -> StoreResult<()>;
    /// Deletes the user, its group memberships and refresh tokens.
    async fn delete_user(&self, pool_id: &str, username: &str) -> StoreResult<bool>;
    /// Users ordered by internal username, starting after `after`.
    async fn list_users(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<User>>;

    // --- groups ---
    async fn insert_group(&self, group: &Group) -> StoreResult<()>;
    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>>;
    async fn update_group(&self, group: &Group) -> StoreResult<()>;
    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<bool>;
    async fn list_groups(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Group>>;
    /// Idempotent.
    async fn add_user_to_group(
        &self,
        pool_id: &str,
        group: &str,
        username: &str,
    ) -> StoreResult<()>;
    /// Idempotent.
    async fn remove_user_from_group(
        &self,
        pool_id: &str,
        group: &str,
        username: &str,
    ) -> StoreResult<()>;
    async fn list_groups_for_user(&self, pool_id: &str, username: &str) -> StoreResult<Vec<Group>>;
    /// Usernames in the group ordered by username, starting after `after`.
    async fn list_users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<User>>;

    // --- refresh tokens ---
    async fn insert_refresh_token(&self, record: &RefreshTokenRecord) -> StoreResult<()>;
    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>>;
    async fn get_refresh_token_by_origin(
        &self,
        origin_jti: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>>;
    /// Marks one refresh token (by origin_jti) revoked. Returns false if unknown.
    async fn revoke_refresh_token(&self, origin_jti: &str) -> StoreResult<bool>;
    /// Marks every refresh token of the user revoked.
    async fn revoke_user_refresh_tokens(&self, pool_id: &str, username: &str) -> StoreResult<()>;

    // --- auth sessions ---
    async fn insert_auth_session(&self, session: &AuthSessionRecord) -> StoreResult<()>;
    async fn get_auth_session(&self, id_hash: &str) -> StoreResult<Option<AuthSessionRecord>>;
    /// Marks the session consumed if it was not: true for exactly one caller (compare-and-set).
    async fn consume_auth_session(&self, id_hash: &str) -> StoreResult<bool>;
    /// Deletes sessions that expired before `before`.
    async fn delete_expired_auth_sessions(
        &self,
        before: crate::clock::Timestamp,
    ) -> StoreResult<()>;

    // --- per-pool signing keys ---
    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>>;
    /// `Conflict{signing_key}` if the pool already has a key for that purpose.
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()>;
}
