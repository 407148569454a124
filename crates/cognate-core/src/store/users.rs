//! Users, looked up by normalised username, `sub` or sign-in alias.

use async_trait::async_trait;

use crate::model::{User, UserPart};
use crate::store::StoreResult;

#[async_trait]
pub trait UserStore: Send + Sync {
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
}
