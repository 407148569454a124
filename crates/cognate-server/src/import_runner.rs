//! The runner of user import jobs: a task that claims Pending jobs (from any instance sharing
//! the database; the claim is a compare-and-set, so each job runs once) and imports them batch
//! by batch. A job left InProgress by an instance that stopped mid-way is not resumed.

use std::sync::Arc;
use std::time::Duration;

use cognate_core::model::UserImportJob;
use cognate_core::service::users::user_import_jobs::{claim_user_import_job, run_user_import_job};

use crate::state::AppState;

/// How often the runner looks for started jobs.
const POLL: Duration = Duration::from_millis(500);

fn report(job: &UserImportJob, line: u64, why: &str) {
    tracing::info!(job_id = %job.job_id, line, reason = why, "user import: record not imported");
}

/// Starts the runner; it runs until the returned task is aborted.
pub fn spawn(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(POLL).await;
            loop {
                let job = match claim_user_import_job(&state.ctx()).await {
                    Ok(Some(job)) => job,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "user import: cannot claim a job");
                        break;
                    }
                };
                let st: &AppState = &state;
                let job_id = job.job_id.clone();
                tracing::info!(job_id = %job_id, pool_id = %job.pool_id, "user import started");
                match run_user_import_job(&|| st.ctx(), job, &report).await {
                    Ok(done) => tracing::info!(
                        job_id = %job_id,
                        status = done.status.as_str(),
                        imported = done.imported_users,
                        failed = done.failed_users,
                        "user import ended"
                    ),
                    Err(e) => {
                        tracing::error!(job_id = %job_id, error = %e, "user import broke off")
                    }
                }
            }
        }
    })
}
