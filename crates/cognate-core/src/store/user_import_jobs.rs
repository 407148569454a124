//! User import jobs and their uploaded CSV files.

use async_trait::async_trait;

use crate::model::{ImportJobStatus, UserImportJob};
use crate::store::StoreResult;

#[async_trait]
pub trait UserImportJobStore: Send + Sync {
    async fn insert_user_import_job(&self, job: &UserImportJob) -> StoreResult<()>;
    /// By job id alone (ids are unique across pools).
    async fn get_user_import_job(&self, job_id: &str) -> StoreResult<Option<UserImportJob>>;
    /// A pool's jobs ordered by (creation time, job id), starting after `after`.
    async fn list_user_import_jobs(
        &self,
        pool_id: &str,
        after: Option<(i64, &str)>,
        limit: usize,
    ) -> StoreResult<Vec<UserImportJob>>;
    /// Compare-and-set: writes `job` only if the stored job's status is still `expected`;
    /// returns whether it was written (`NotFound` when the job does not exist).
    async fn update_user_import_job(
        &self,
        job: &UserImportJob,
        expected: ImportJobStatus,
    ) -> StoreResult<bool>;
    /// The oldest job of any pool in status `Pending`, waiting for a runner to claim it.
    async fn next_pending_user_import_job(&self) -> StoreResult<Option<UserImportJob>>;
    /// Stores (or replaces) the job's CSV file; `NotFound` when the job does not exist.
    async fn put_user_import_file(&self, job_id: &str, data: &[u8]) -> StoreResult<()>;
    async fn get_user_import_file(&self, job_id: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Drops the file of a finished job.
    async fn delete_user_import_file(&self, job_id: &str) -> StoreResult<()>;
}
