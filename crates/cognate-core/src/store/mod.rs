//! The persistence boundary. Methods are coarse and atomic so each backend can implement them
//! in one transaction; uniqueness is enforced by the backend and reported as [`StoreError::Conflict`].
//!
//! Every method that returns `Ok` has made its write durable (see the backend's fsync policy).

use crate::CognitoError;

mod auth_sessions;
mod clients;
mod groups;
mod health;
mod pools;
mod refresh_tokens;
mod resources;
mod signing_keys;
mod user_import_jobs;
pub mod user_search;
mod users;

pub use auth_sessions::AuthSessionStore;
pub use clients::ClientStore;
pub use groups::GroupStore;
pub use health::StoreHealth;
pub use pools::PoolStore;
pub use refresh_tokens::RefreshTokenStore;
pub use resources::ResourceStore;
pub use signing_keys::SigningKeyStore;
pub use user_import_jobs::UserImportJobStore;
pub use users::{RowOutcome, UserStore};

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
    /// A configuration resource of that kind and id exists in the pool.
    Resource,
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
            Self::Resource => write!(f, "resource"),
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
        match e {
            // A row it refers to (user, pool, group) was deleted by a request that ran
            // meanwhile: a lost race, answered like a lost compare-and-set, not a server fault.
            StoreError::Conflict {
                constraint: Constraint::Reference,
            } => CognitoError::new(
                crate::ErrorKind::ConcurrentModification,
                "Another request deleted what this request refers to; try again.",
            ),
            e => CognitoError::internal(e),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything a backend implements: one trait per entity, so each backend can keep one file per
/// entity. Implemented for every type that implements all of them.
pub trait Store:
    PoolStore
    + ClientStore
    + UserStore
    + GroupStore
    + RefreshTokenStore
    + AuthSessionStore
    + SigningKeyStore
    + ResourceStore
    + UserImportJobStore
    + StoreHealth
{
}

impl<T> Store for T where
    T: PoolStore
        + ClientStore
        + UserStore
        + GroupStore
        + RefreshTokenStore
        + AuthSessionStore
        + SigningKeyStore
        + ResourceStore
        + UserImportJobStore
        + StoreHealth
{
}
