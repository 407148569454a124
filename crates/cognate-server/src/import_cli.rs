//! `cognate import`: a user import CSV (the format of import jobs) loaded straight into the
//! store, in batches of one transaction each, without a running server. For offline bulk
//! loads (migrations, benchmark pools of a million users).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use cognate_core::clock::Clock;
use cognate_core::random::OsRandom;
use cognate_core::service::users::import_csv::{import_batch, Columns, CsvRecords, BATCH_SIZE};

use crate::database::StoreArgs;
use crate::state::SystemClock;

/// Arguments of `cognate import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The user pool to import into.
    #[arg(long)]
    pub pool_id: String,
    /// The CSV file (header as GetCSVHeader gives it).
    #[arg(long)]
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Failed records listed on stderr; the rest are only counted.
const LISTED_FAILURES: usize = 20;

pub async fn run(args: &ImportArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let store = args.store.database.open(&args.store.data_dir).await?;
    let pool = store
        .get_pool(&args.pool_id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("user pool {} does not exist", args.pool_id))?;
    let mut records = CsvRecords::new(&text);
    let header = match records.next() {
        Some((_, Ok(h))) => h,
        Some((line, Err(e))) => anyhow::bail!("line {line}: {e}"),
        None => anyhow::bail!("{} is empty", args.file.display()),
    };
    let columns = Columns::parse(&pool, &header).map_err(anyhow::Error::msg)?;
    let (random, clock) = (OsRandom, SystemClock);
    let started = Instant::now();
    let (mut imported, mut failed, mut listed) = (0i64, 0i64, 0usize);
    loop {
        let batch: Vec<_> = records.by_ref().take(BATCH_SIZE).collect();
        if batch.is_empty() {
            break;
        }
        let counts = import_batch(store.as_ref(), &random, clock.now(), &pool, &columns, batch)
            .await
            .map_err(|e| anyhow::anyhow!("importing: {e}"))?;
        for (line, why) in &counts.failures {
            if listed < LISTED_FAILURES {
                eprintln!("line {line}: {why}");
                listed += 1;
            }
        }
        imported += counts.imported;
        failed += counts.failed;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "imported {imported} users, {failed} failed, in {secs:.1} s ({:.0} users/s)",
        imported as f64 / secs.max(0.001)
    );
    Ok(())
}
