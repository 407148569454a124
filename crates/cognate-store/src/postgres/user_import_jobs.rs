//! `UserImportJobStore` on PostgreSQL: the twin of the SQLite file (files as BYTEA).

use async_trait::async_trait;
use cognate_core::model::{ImportJobStatus, UserImportJob};
use cognate_core::store::{StoreError, StoreResult, UserImportJobStore};

use super::{execute, query_doc, query_docs, to_json, Failure, PgStore};

#[async_trait]
impl UserImportJobStore for PgStore {
    async fn insert_user_import_job(&self, job: &UserImportJob) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "INSERT INTO user_import_jobs (job_id, pool_id, status, created, data) VALUES ($1, $2, $3, $4, $5)",
                &[&job.job_id, &job.pool_id, &job.status.as_str(), &job.created.millis(), &to_json(job)?],
            )
            .await?;
            Ok(())
        })
        .await
    }

    async fn get_user_import_job(&self, job_id: &str) -> StoreResult<Option<UserImportJob>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT data FROM user_import_jobs WHERE job_id = $1",
                &[&job_id],
            )
            .await
        })
        .await
    }

    async fn list_user_import_jobs(
        &self,
        pool_id: &str,
        after: Option<(i64, &str)>,
        limit: usize,
    ) -> StoreResult<Vec<UserImportJob>> {
        let (created, id) = after.unwrap_or((i64::MIN, ""));
        let limit = limit as i64;
        self.attempt(|| async move {
            let c = self.client().await?;
            query_docs(
                &c,
                "SELECT data FROM user_import_jobs WHERE pool_id = $1 AND (created, job_id) > ($2, $3)
                 ORDER BY created, job_id LIMIT $4",
                &[&pool_id, &created, &id, &limit],
            )
            .await
        })
        .await
    }

    async fn update_user_import_job(
        &self,
        job: &UserImportJob,
        expected: ImportJobStatus,
    ) -> StoreResult<bool> {
        self.attempt(|| async move {
            let c = self.client().await?;
            let n = execute(
                &c,
                "UPDATE user_import_jobs SET status = $2, data = $3 WHERE job_id = $1 AND status = $4",
                &[&job.job_id, &job.status.as_str(), &to_json(job)?, &expected.as_str()],
            )
            .await?;
            if n > 0 {
                return Ok(true);
            }
            let stmt = c
                .prepare_cached("SELECT 1 FROM user_import_jobs WHERE job_id = $1")
                .await?;
            match c.query_opt(&stmt, &[&job.job_id]).await? {
                Some(_) => Ok(false),
                None => Err(Failure::Store(StoreError::NotFound)),
            }
        })
        .await
    }

    async fn next_pending_user_import_job(&self) -> StoreResult<Option<UserImportJob>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            query_doc(
                &c,
                "SELECT data FROM user_import_jobs WHERE status = $1 ORDER BY created LIMIT 1",
                &[&ImportJobStatus::Pending.as_str()],
            )
            .await
        })
        .await
    }

    async fn put_user_import_file(&self, job_id: &str, data: &[u8]) -> StoreResult<()> {
        let result = self
            .attempt(|| async move {
                let c = self.client().await?;
                execute(
                    &c,
                    "INSERT INTO user_import_files (job_id, data) VALUES ($1, $2)
                     ON CONFLICT (job_id) DO UPDATE SET data = excluded.data",
                    &[&job_id, &data],
                )
                .await?;
                Ok(())
            })
            .await;
        match result {
            Err(StoreError::Conflict { .. }) => Err(StoreError::NotFound),
            other => other,
        }
    }

    async fn get_user_import_file(&self, job_id: &str) -> StoreResult<Option<Vec<u8>>> {
        self.attempt(|| async move {
            let c = self.client().await?;
            let stmt = c
                .prepare_cached("SELECT data FROM user_import_files WHERE job_id = $1")
                .await?;
            match c.query_opt(&stmt, &[&job_id]).await? {
                Some(row) => Ok(Some(row.try_get::<_, Vec<u8>>(0)?)),
                None => Ok(None),
            }
        })
        .await
    }

    async fn delete_user_import_file(&self, job_id: &str) -> StoreResult<()> {
        self.attempt(|| async move {
            let c = self.client().await?;
            execute(
                &c,
                "DELETE FROM user_import_files WHERE job_id = $1",
                &[&job_id],
            )
            .await?;
            Ok(())
        })
        .await
    }
}
