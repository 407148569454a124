//! GetCSVHeader, CreateUserImportJob, DescribeUserImportJob, ListUserImportJobs,
//! StartUserImportJob, StopUserImportJob.

use cognate_core::model::UserImportJob;
use cognate_core::service::users::user_import_jobs as jobs;
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Map, Value};

use super::output::{put, ts};
use super::Input;

/// The `UserImportJobType` shape.
fn user_import_job_type(ctx: &Ctx<'_>, job: &UserImportJob) -> Value {
    let mut m = Map::new();
    m.insert("JobName".into(), json!(job.job_name));
    m.insert("JobId".into(), json!(job.job_id));
    m.insert("UserPoolId".into(), json!(job.pool_id));
    m.insert("PreSignedUrl".into(), json!(jobs::upload_url(ctx, job)));
    m.insert("CreationDate".into(), ts(job.created));
    put(
        &mut m,
        "StartDate",
        json!(job.started.map(|t| t.as_epoch_f64())),
    );
    put(
        &mut m,
        "CompletionDate",
        json!(job.completed.map(|t| t.as_epoch_f64())),
    );
    m.insert("Status".into(), json!(job.status.as_str()));
    m.insert(
        "CloudWatchLogsRoleArn".into(),
        json!(job.cloud_watch_logs_role_arn),
    );
    m.insert("ImportedUsers".into(), json!(job.imported_users));
    m.insert("SkippedUsers".into(), json!(job.skipped_users));
    m.insert("FailedUsers".into(), json!(job.failed_users));
    put(&mut m, "CompletionMessage", json!(job.completion_message));
    Value::Object(m)
}

fn one(ctx: &Ctx<'_>, job: &UserImportJob) -> Value {
    json!({"UserImportJob": user_import_job_type(ctx, job)})
}

pub async fn get_csv_header(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let pool_id = i.str("UserPoolId")?;
    let header = jobs::get_csv_header(ctx, pool_id).await?;
    Ok(json!({"UserPoolId": pool_id, "CSVHeader": header}))
}

pub async fn create_user_import_job(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let job = jobs::create_user_import_job(
        ctx,
        i.str("UserPoolId")?,
        i.str("JobName")?,
        i.str("CloudWatchLogsRoleArn")?,
    )
    .await?;
    Ok(one(ctx, &job))
}

pub async fn describe_user_import_job(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let job = jobs::describe_user_import_job(ctx, i.str("UserPoolId")?, i.str("JobId")?).await?;
    Ok(one(ctx, &job))
}

pub async fn list_user_import_jobs(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    // The model bounds MaxResults to 1..=60.
    let max = i.opt_i64("MaxResults").unwrap_or(60).clamp(1, 60) as usize;
    let (list, next) =
        jobs::list_user_import_jobs(ctx, i.str("UserPoolId")?, max, i.opt_str("PaginationToken"))
            .await?;
    let mut out = Map::new();
    out.insert(
        "UserImportJobs".into(),
        Value::Array(list.iter().map(|j| user_import_job_type(ctx, j)).collect()),
    );
    put(&mut out, "PaginationToken", json!(next));
    Ok(Value::Object(out))
}

pub async fn start_user_import_job(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let job = jobs::start_user_import_job(ctx, i.str("UserPoolId")?, i.str("JobId")?).await?;
    Ok(one(ctx, &job))
}

pub async fn stop_user_import_job(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let job = jobs::stop_user_import_job(ctx, i.str("UserPoolId")?, i.str("JobId")?).await?;
    Ok(one(ctx, &job))
}
