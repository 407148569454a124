//! GetCSVHeader and the user import jobs: CreateUserImportJob, DescribeUserImportJob,
//! ListUserImportJobs, StartUserImportJob, StopUserImportJob; the upload of a job's CSV to
//! its URL; and the runner that imports a started job in batches.
//!
//! Life of a job: Created (the file may be uploaded; Expired when not started within 24 h) →
//! StartUserImportJob → Pending → claimed by a runner → InProgress (counters updated after
//! every batch) → Succeeded, Failed (an unreadable file or header), or Stopping → Stopped
//! (StopUserImportJob; the runner stops between batches). The upload URL's token is derived
//! from the master key and the job id, so it is never stored and is compared in constant time.

use crate::clock::Timestamp;
use crate::crypto::ct_eq;
use crate::model::{ImportJobStatus, UserImportJob};
use crate::random::RandomExt;
use crate::service::users::import_csv::{self, Columns, CsvRecords, BATCH_SIZE};
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// The largest CSV file a job accepts (Cognito's limit).
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;
/// A job not started within this time expires.
const EXPIRES_AFTER_SECS: i64 = 24 * 3600;
const SUCCEEDED: &str = "Import Job Completed Successfully.";
const STOPPED: &str = "Import Job Stopped.";
const BROKE_OFF: &str = "An internal error stopped the import.";

pub async fn get_csv_header(ctx: &Ctx<'_>, pool_id: &str) -> Result<Vec<String>> {
    Ok(import_csv::csv_header(&ctx.pool(pool_id).await?))
}

/// The secret part of a job's upload URL.
fn upload_token(ctx: &Ctx<'_>, job_id: &str) -> String {
    hex::encode(
        ctx.sealer
            .derive::<32>("user-import-upload", job_id.as_bytes()),
    )
}

/// `PreSignedUrl`: where the job's CSV is PUT.
pub fn upload_url(ctx: &Ctx<'_>, job: &UserImportJob) -> String {
    format!(
        "{}/import-jobs/{}?token={}",
        ctx.settings.public_url.trim_end_matches('/'),
        job.job_id,
        upload_token(ctx, &job.job_id)
    )
}

pub async fn create_user_import_job(
    ctx: &Ctx<'_>,
    pool_id: &str,
    job_name: &str,
    cloud_watch_logs_role_arn: &str,
) -> Result<UserImportJob> {
    let pool = ctx.pool(pool_id).await?;
    let job = UserImportJob {
        pool_id: pool.id,
        job_id: format!("import-{}", ctx.random.alnum(22)),
        job_name: job_name.to_owned(),
        cloud_watch_logs_role_arn: cloud_watch_logs_role_arn.to_owned(),
        status: ImportJobStatus::Created,
        created: ctx.now,
        started: None,
        completed: None,
        imported_users: 0,
        skipped_users: 0,
        failed_users: 0,
        completion_message: None,
        uploaded: None,
    };
    ctx.store.insert_user_import_job(&job).await?;
    Ok(job)
}

fn job_not_found(job_id: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("Import job {job_id} does not exist."))
}

fn expired(job: &UserImportJob, now: Timestamp) -> bool {
    job.status == ImportJobStatus::Created && now >= job.created.plus_secs(EXPIRES_AFTER_SECS)
}

/// The job as it stands now: a Created job past its start window becomes Expired (stored).
async fn current(ctx: &Ctx<'_>, mut job: UserImportJob) -> Result<UserImportJob> {
    if expired(&job, ctx.now) {
        let mut gone = job.clone();
        gone.status = ImportJobStatus::Expired;
        if ctx
            .store
            .update_user_import_job(&gone, ImportJobStatus::Created)
            .await?
        {
            ctx.store.delete_user_import_file(&job.job_id).await?;
            return Ok(gone);
        }
        job = stored_job(ctx, &job.job_id).await?;
    }
    Ok(job)
}

async fn stored_job(ctx: &Ctx<'_>, job_id: &str) -> Result<UserImportJob> {
    ctx.store
        .get_user_import_job(job_id)
        .await?
        .ok_or_else(|| job_not_found(job_id))
}

pub async fn describe_user_import_job(
    ctx: &Ctx<'_>,
    pool_id: &str,
    job_id: &str,
) -> Result<UserImportJob> {
    let pool = ctx.pool(pool_id).await?;
    match ctx.store.get_user_import_job(job_id).await? {
        Some(job) if job.pool_id == pool.id => current(ctx, job).await,
        _ => Err(job_not_found(job_id)),
    }
}

/// A page of the pool's jobs, oldest first, and the token of the next page.
pub async fn list_user_import_jobs(
    ctx: &Ctx<'_>,
    pool_id: &str,
    max_results: usize,
    pagination_token: Option<&str>,
) -> Result<(Vec<UserImportJob>, Option<String>)> {
    let pool = ctx.pool(pool_id).await?;
    let after = match pagination_token {
        None => None,
        Some(t) => Some(
            t.split_once('.')
                .and_then(|(c, id)| Some((c.parse::<i64>().ok()?, id)))
                .ok_or_else(|| CognitoError::invalid_parameter("Invalid pagination token."))?,
        ),
    };
    let mut jobs = ctx
        .store
        .list_user_import_jobs(&pool.id, after, max_results + 1)
        .await?;
    let next = (jobs.len() > max_results).then(|| {
        jobs.truncate(max_results);
        jobs.last()
            .map(|j| format!("{}.{}", j.created.millis(), j.job_id))
    });
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        out.push(current(ctx, job).await?);
    }
    Ok((out, next.flatten()))
}

fn precondition(job: &UserImportJob, what: &str) -> CognitoError {
    CognitoError::new(
        ErrorKind::PreconditionNotMet,
        format!(
            "Import job {} cannot be {what}: its status is {}.",
            job.job_id,
            job.status.as_str()
        ),
    )
}

pub async fn start_user_import_job(
    ctx: &Ctx<'_>,
    pool_id: &str,
    job_id: &str,
) -> Result<UserImportJob> {
    let job = describe_user_import_job(ctx, pool_id, job_id).await?;
    if job.status != ImportJobStatus::Created {
        return Err(precondition(&job, "started"));
    }
    if job.uploaded.is_none() {
        return Err(CognitoError::new(
            ErrorKind::PreconditionNotMet,
            format!("No CSV file has been uploaded for import job {job_id}."),
        ));
    }
    let mut started = job.clone();
    started.status = ImportJobStatus::Pending;
    started.started = Some(ctx.now);
    if !ctx
        .store
        .update_user_import_job(&started, ImportJobStatus::Created)
        .await?
    {
        return Err(precondition(&stored_job(ctx, job_id).await?, "started"));
    }
    Ok(started)
}

pub async fn stop_user_import_job(
    ctx: &Ctx<'_>,
    pool_id: &str,
    job_id: &str,
) -> Result<UserImportJob> {
    // A lost compare-and-set means a runner moved the job on meanwhile: look again.
    for _ in 0..8 {
        let job = describe_user_import_job(ctx, pool_id, job_id).await?;
        let mut stopped = job.clone();
        match job.status {
            ImportJobStatus::Pending => {
                stopped.status = ImportJobStatus::Stopped;
                stopped.completed = Some(ctx.now);
                stopped.completion_message = Some(STOPPED.to_owned());
            }
            ImportJobStatus::InProgress => stopped.status = ImportJobStatus::Stopping,
            _ => return Err(precondition(&job, "stopped")),
        }
        if ctx
            .store
            .update_user_import_job(&stopped, job.status)
            .await?
        {
            if stopped.status == ImportJobStatus::Stopped {
                ctx.store.delete_user_import_file(job_id).await?;
            }
            return Ok(stopped);
        }
    }
    Err(CognitoError::new(
        ErrorKind::ConcurrentModification,
        "The import job changed meanwhile; try again.",
    ))
}

/// Why an upload to a job's URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRefusal {
    /// No such job, or not its token.
    Denied,
    /// The job no longer takes a file (started, finished or expired).
    Closed,
    TooLarge,
}

/// The job an upload with `token` may write to.
pub async fn check_upload(
    ctx: &Ctx<'_>,
    job_id: &str,
    token: &str,
) -> Result<std::result::Result<UserImportJob, UploadRefusal>> {
    let Some(job) = ctx.store.get_user_import_job(job_id).await? else {
        return Ok(Err(UploadRefusal::Denied));
    };
    if !ct_eq(upload_token(ctx, job_id).as_bytes(), token.as_bytes()) {
        return Ok(Err(UploadRefusal::Denied));
    }
    let job = current(ctx, job).await?;
    if job.status != ImportJobStatus::Created {
        return Ok(Err(UploadRefusal::Closed));
    }
    Ok(Ok(job))
}

/// Stores the uploaded file of a job `check_upload` accepted (replacing an earlier one).
pub async fn store_upload(
    ctx: &Ctx<'_>,
    job: &UserImportJob,
    data: &[u8],
) -> Result<std::result::Result<(), UploadRefusal>> {
    if data.len() > MAX_FILE_BYTES {
        return Ok(Err(UploadRefusal::TooLarge));
    }
    ctx.store.put_user_import_file(&job.job_id, data).await?;
    let mut uploaded = job.clone();
    uploaded.uploaded = Some(ctx.now);
    if !ctx
        .store
        .update_user_import_job(&uploaded, ImportJobStatus::Created)
        .await?
    {
        return Ok(Err(UploadRefusal::Closed));
    }
    Ok(Ok(()))
}

/// Claims the oldest Pending job of any pool for this runner (InProgress); None when there is
/// none or another runner claimed it first.
pub async fn claim_user_import_job(ctx: &Ctx<'_>) -> Result<Option<UserImportJob>> {
    let Some(job) = ctx.store.next_pending_user_import_job().await? else {
        return Ok(None);
    };
    let mut claimed = job;
    claimed.status = ImportJobStatus::InProgress;
    let won = ctx
        .store
        .update_user_import_job(&claimed, ImportJobStatus::Pending)
        .await?;
    Ok(won.then_some(claimed))
}

/// Runs a claimed job to its end, one batch (one transaction) at a time; `ctxs` gives a fresh
/// context (the current time) for each batch, `report` hears of each record that failed.
pub async fn run_user_import_job<'a>(
    ctxs: &(dyn Fn() -> Ctx<'a> + Sync),
    mut job: UserImportJob,
    report: &(dyn Fn(&UserImportJob, u64, &str) + Sync),
) -> Result<UserImportJob> {
    let ctx = ctxs();
    let Some(pool) = ctx.store.get_pool(&job.pool_id).await? else {
        return Ok(job);
    };
    let file = ctx.store.get_user_import_file(&job.job_id).await?;
    let text = match file.map(String::from_utf8) {
        Some(Ok(text)) => text,
        Some(Err(_)) => {
            return finish(
                &ctx,
                job,
                ImportJobStatus::Failed,
                "The file is not UTF-8 text.",
            )
            .await
        }
        None => return finish(&ctx, job, ImportJobStatus::Failed, "No file was uploaded.").await,
    };
    let mut records = CsvRecords::new(&text);
    let columns = match records.next() {
        Some((_, Ok(header))) => Columns::parse(&pool, &header),
        Some((_, Err(e))) => Err(e),
        None => Err("The file is empty.".to_owned()),
    };
    let columns = match columns {
        Ok(c) => c,
        Err(why) => return finish(&ctx, job, ImportJobStatus::Failed, &why).await,
    };
    loop {
        let batch: Vec<_> = records.by_ref().take(BATCH_SIZE).collect();
        if batch.is_empty() {
            return finish(&ctxs(), job, ImportJobStatus::Succeeded, SUCCEEDED).await;
        }
        let ctx = ctxs();
        let counts =
            match import_csv::import_batch(ctx.store, ctx.random, ctx.now, &pool, &columns, batch)
                .await
            {
                Ok(counts) => counts,
                Err(e) => {
                    // The batch was not kept; the job ends rather than stay InProgress.
                    let failed = finish(&ctx, job, ImportJobStatus::Failed, BROKE_OFF).await;
                    return failed.and(Err(e));
                }
            };
        for (line, why) in &counts.failures {
            report(&job, *line, why);
        }
        let mut next = job.clone();
        next.imported_users += counts.imported;
        next.failed_users += counts.failed;
        if !ctx
            .store
            .update_user_import_job(&next, ImportJobStatus::InProgress)
            .await?
        {
            // Stopped meanwhile (Stopping): record this batch's counts and stop.
            let Some(mut now) = ctx.store.get_user_import_job(&job.job_id).await? else {
                return Ok(next);
            };
            if now.status != ImportJobStatus::Stopping {
                return Ok(now);
            }
            now.imported_users = next.imported_users;
            now.failed_users = next.failed_users;
            now.status = ImportJobStatus::Stopping;
            return finish(&ctx, now, ImportJobStatus::Stopped, STOPPED).await;
        }
        job = next;
    }
}

/// Moves a running (InProgress or Stopping) job to its final status and drops its file.
async fn finish(
    ctx: &Ctx<'_>,
    job: UserImportJob,
    status: ImportJobStatus,
    message: &str,
) -> Result<UserImportJob> {
    let from = job.status;
    let mut done = job;
    done.status = status;
    done.completed = Some(ctx.now);
    done.completion_message = Some(message.to_owned());
    if ctx.store.update_user_import_job(&done, from).await? {
        ctx.store.delete_user_import_file(&done.job_id).await?;
        return Ok(done);
    }
    // Stopped meanwhile: the stop wins; finish it as Stopped.
    match ctx.store.get_user_import_job(&done.job_id).await? {
        Some(now) if now.status == ImportJobStatus::Stopping => {
            let mut stopped = done.clone();
            stopped.status = ImportJobStatus::Stopped;
            stopped.completion_message = Some(STOPPED.to_owned());
            if ctx
                .store
                .update_user_import_job(&stopped, ImportJobStatus::Stopping)
                .await?
            {
                ctx.store.delete_user_import_file(&done.job_id).await?;
            }
            Ok(stopped)
        }
        Some(now) => Ok(now),
        None => Ok(done),
    }
}
