//! `--fill-users N`: fills the bench's pool with N more users through the product's bulk path,
//! Cognito's user import (GetCSVHeader, CreateUserImportJob, a PUT of the CSV to the job's
//! PreSignedUrl, StartUserImportJob, DescribeUserImportJob until done), so the operations are
//! measured against a pool of that size. The users are RESET_REQUIRED (an import carries no
//! passwords); the signed-in bench users are created as usual besides them.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::http::{CallError, Conn};
use crate::setup::Pool;

/// Rows per import job: well under Cognito's 100 MB per file.
const ROWS_PER_JOB: usize = 400_000;

/// Imports `count` users named `bulk0000000`...; returns the seconds it took.
pub async fn fill(addr: &str, pool: &Pool, count: usize) -> Result<f64, CallError> {
    let start = Instant::now();
    let mut conn = Conn::new(addr);
    let header = conn
        .call("GetCSVHeader", &json!({"UserPoolId": pool.pool_id}))
        .await?;
    let columns: Vec<String> = header
        .get("CSVHeader")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let mut done = 0;
    let mut job_no = 0;
    while done < count {
        let rows = ROWS_PER_JOB.min(count - done);
        let csv = csv(&columns, done, rows);
        job_no += 1;
        import(&mut conn, pool, &format!("bench-fill-{job_no}"), csv).await?;
        done += rows;
        eprintln!(
            "filled {done} of {count} users ({:.0} s)",
            start.elapsed().as_secs_f64()
        );
    }
    Ok(start.elapsed().as_secs_f64())
}

fn csv(columns: &[String], first: usize, rows: usize) -> Vec<u8> {
    let mut out = String::with_capacity(rows * (columns.len() + 48));
    out.push_str(&columns.join(","));
    out.push('\n');
    for i in first..first + rows {
        let fields: Vec<String> = columns
            .iter()
            .map(|c| match c.as_str() {
                "cognito:username" => format!("bulk{i:07}"),
                "email" => format!("bulk{i:07}@example.com"),
                "email_verified" | "cognito:mfa_enabled" | "phone_number_verified" => {
                    "false".into()
                }
                _ => String::new(),
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

async fn import(conn: &mut Conn, pool: &Pool, name: &str, csv: Vec<u8>) -> Result<(), CallError> {
    let job = conn
        .call(
            "CreateUserImportJob",
            &json!({"UserPoolId": pool.pool_id, "JobName": name,
                    "CloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/bench-import"}),
        )
        .await?;
    let field = |v: &Value, k: &str| {
        v.pointer(&format!("/UserImportJob/{k}"))
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| CallError::new("unexpected answer", format!("no UserImportJob.{k}")))
    };
    let job_id = field(&job, "JobId")?;
    let url = field(&job, "PreSignedUrl")?;
    // Same server: only the path and query are sent.
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .ok_or_else(|| CallError::new("unexpected answer", "PreSignedUrl has no path"))?;
    let (status, _, body) = conn
        .request(
            hyper::Method::PUT,
            &path,
            &[("content-type", "text/csv")],
            csv,
        )
        .await?;
    if status != 200 {
        return Err(CallError::new(
            "upload",
            format!("HTTP {status}: {}", String::from_utf8_lossy(&body)),
        ));
    }
    let ids = json!({"UserPoolId": pool.pool_id, "JobId": job_id});
    conn.call("StartUserImportJob", &ids).await?;
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let d = conn.call("DescribeUserImportJob", &ids).await?;
        match field(&d, "Status")?.as_str() {
            "Succeeded" => {
                let failed = d
                    .pointer("/UserImportJob/FailedUsers")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                if failed > 0 {
                    return Err(CallError::new("import", format!("{failed} users failed")));
                }
                return Ok(());
            }
            "Failed" | "Stopped" | "Expired" => {
                return Err(CallError::new("import", d.to_string()));
            }
            _ => {}
        }
    }
}
