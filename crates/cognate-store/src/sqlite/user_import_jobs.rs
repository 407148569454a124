//! `UserImportJobStore` on SQLite: jobs as JSON documents with their status and creation time
//! as columns (the runner's queue and the listing order), files as BLOBs.

use async_trait::async_trait;
use cognate_core::model::{ImportJobStatus, UserImportJob};
use cognate_core::store::{StoreError, StoreResult, UserImportJobStore};
use rusqlite::{params, OptionalExtension};

use super::{query_doc, query_docs, sql_err, to_json, SqliteStore};

#[async_trait]
impl UserImportJobStore for SqliteStore {
    async fn insert_user_import_job(&self, job: &UserImportJob) -> StoreResult<()> {
        let job = job.clone();
        let data = to_json(&job)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO user_import_jobs (job_id, pool_id, status, created, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![job.job_id, job.pool_id, job.status.as_str(), job.created.millis(), data],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }

    async fn get_user_import_job(&self, job_id: &str) -> StoreResult<Option<UserImportJob>> {
        let id = job_id.to_owned();
        self.read(move |c| {
            query_doc(
                c,
                "SELECT data FROM user_import_jobs WHERE job_id = ?1",
                params![id],
            )
        })
        .await
    }

    async fn list_user_import_jobs(
        &self,
        pool_id: &str,
        after: Option<(i64, &str)>,
        limit: usize,
    ) -> StoreResult<Vec<UserImportJob>> {
        let pool = pool_id.to_owned();
        let (created, id) = after.map_or((i64::MIN, String::new()), |(c, i)| (c, i.to_owned()));
        self.read(move |c| {
            query_docs(
                c,
                "SELECT data FROM user_import_jobs WHERE pool_id = ?1 AND (created, job_id) > (?2, ?3)
                 ORDER BY created, job_id LIMIT ?4",
                params![pool, created, id, limit as i64],
            )
        })
        .await
    }

    async fn update_user_import_job(
        &self,
        job: &UserImportJob,
        expected: ImportJobStatus,
    ) -> StoreResult<bool> {
        let job = job.clone();
        let data = to_json(&job)?;
        self.run(move |c| {
            let n = c
                .execute(
                    "UPDATE user_import_jobs SET status = ?2, data = ?3 WHERE job_id = ?1 AND status = ?4",
                    params![job.job_id, job.status.as_str(), data, expected.as_str()],
                )
                .map_err(sql_err)?;
            if n > 0 {
                return Ok(true);
            }
            let exists = c
                .query_row(
                    "SELECT 1 FROM user_import_jobs WHERE job_id = ?1",
                    params![job.job_id],
                    |_| Ok(()),
                )
                .optional()
                .map_err(sql_err)?;
            exists.map(|()| false).ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn next_pending_user_import_job(&self) -> StoreResult<Option<UserImportJob>> {
        self.read(move |c| {
            query_doc(
                c,
                "SELECT data FROM user_import_jobs WHERE status = ?1 ORDER BY created LIMIT 1",
                params![ImportJobStatus::Pending.as_str()],
            )
        })
        .await
    }

    async fn put_user_import_file(&self, job_id: &str, data: &[u8]) -> StoreResult<()> {
        let (id, data) = (job_id.to_owned(), data.to_vec());
        self.run(move |c| {
            c.execute(
                "INSERT INTO user_import_files (job_id, data) VALUES (?1, ?2)
                 ON CONFLICT (job_id) DO UPDATE SET data = excluded.data",
                params![id, data],
            )
            .map_err(|e| match sql_err(e) {
                StoreError::Conflict { .. } => StoreError::NotFound,
                e => e,
            })?;
            Ok(())
        })
        .await
    }

    async fn get_user_import_file(&self, job_id: &str) -> StoreResult<Option<Vec<u8>>> {
        let id = job_id.to_owned();
        self.read(move |c| {
            c.query_row(
                "SELECT data FROM user_import_files WHERE job_id = ?1",
                params![id],
                |r| r.get::<_, Vec<u8>>(0),
            )
            .optional()
            .map_err(sql_err)
        })
        .await
    }

    async fn delete_user_import_file(&self, job_id: &str) -> StoreResult<()> {
        let id = job_id.to_owned();
        self.run(move |c| {
            c.execute(
                "DELETE FROM user_import_files WHERE job_id = ?1",
                params![id],
            )
            .map_err(sql_err)?;
            Ok(())
        })
        .await
    }
}
