//! Users, looked up by normalised username, `sub` or sign-in alias.

use async_trait::async_trait;

use crate::model::{User, UserPart};
use crate::store::user_search::{SearchCursor, SearchKey};
use crate::store::{StoreError, StoreResult};

/// What became of one row of [`UserStore::insert_users`].
pub type RowOutcome = Result<(), StoreError>;

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn insert_user(&self, user: &User) -> StoreResult<()>;
    /// Inserts many new users in one transaction, each row written as `insert_user` writes it
    /// (aliases and all). A row that fails (a taken username, sub or alias) is rolled back
    /// alone and reported in its slot; the others are kept. `Err` only when the batch as a
    /// whole failed, and then none is kept.
    async fn insert_users(&self, users: &[User]) -> StoreResult<Vec<RowOutcome>>;
    /// By normalised username key (`UserKeys::username`).
    async fn get_user(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>>;
    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>>;
    async fn get_user_by_alias(
        &self,
        pool_id: &str,
        attribute: &str,
        value_key: &str,
    ) -> StoreResult<Option<User>>;
    /// Writes the `changed` parts of `user`, part by part compare-and-set: each must still be
    /// at the version `user` carries (else `Conflict{Version}`); the other parts keep their
    /// stored values (`User::apply_changes`, in one transaction). Returns the user as stored.
    async fn update_user(&self, user: &User, changed: &[UserPart]) -> StoreResult<User>;
    /// Deletes the user, its group memberships and refresh tokens.
    async fn delete_user(&self, pool_id: &str, username: &str) -> StoreResult<bool>;
    /// Users ordered by internal username, starting after `after`.
    async fn list_users(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<User>>;
    /// Users whose search-index row for `attribute` (see [`super::user_search`]) matches
    /// `key`, in `(value_key, username)` order, starting after `after`; each with its row's
    /// position, to continue from.
    async fn search_users(
        &self,
        pool_id: &str,
        attribute: &str,
        key: &SearchKey,
        after: Option<&SearchCursor>,
        limit: usize,
    ) -> StoreResult<Vec<(SearchCursor, User)>>;
}
