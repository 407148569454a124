//! The pool-scoped collection of configuration-only resources (see `model::Resource`): one
//! set of methods for every kind, unique by `(pool_id, kind, id)`, deleted with the pool.

use async_trait::async_trait;

use crate::model::{Resource, ResourceKind};
use crate::store::StoreResult;

#[async_trait]
pub trait ResourceStore: Send + Sync {
    /// `Conflict{Resource}` if the pool already has one of that kind and id, or if it is a
    /// domain that any pool has (domains are unique across the installation);
    /// `Conflict{Reference}` if the pool does not exist.
    async fn insert_resource(&self, resource: &Resource) -> StoreResult<()>;
    /// Inserts or replaces (for singletons such as branding, and for updates).
    async fn put_resource(&self, resource: &Resource) -> StoreResult<()>;
    async fn get_resource(
        &self,
        pool_id: &str,
        kind: ResourceKind,
        id: &str,
    ) -> StoreResult<Option<Resource>>;
    /// Returns false if it did not exist.
    async fn delete_resource(
        &self,
        pool_id: &str,
        kind: ResourceKind,
        id: &str,
    ) -> StoreResult<bool>;
    /// Resources of one kind ordered by id, starting after `after`.
    async fn list_resources(
        &self,
        pool_id: &str,
        kind: ResourceKind,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Resource>>;
    /// The domain resource with this id, whichever pool it belongs to.
    async fn find_domain(&self, domain: &str) -> StoreResult<Option<Resource>>;
}
