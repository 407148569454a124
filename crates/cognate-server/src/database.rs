//! Which database the server uses, and the `cognate migrate` / `cognate check` commands.
//! SQLite in the data directory by default; PostgreSQL (or CockroachDB) with `--database-url`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cognate_core::store::Store;
use cognate_store::{Integrity, OpenOptions};

#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// PostgreSQL URL (`postgres://user:password@host:5432/db`); several instances may share
    /// one. Unset: SQLite, `<data-dir>/cognate.db`.
    #[arg(long, env = "COGNATE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Most connections to PostgreSQL this instance opens.
    #[arg(long, env = "COGNATE_DATABASE_POOL_SIZE", default_value_t = cognate_store::postgres::DEFAULT_POOL_SIZE)]
    pub database_pool_size: usize,
    /// Skip SQLite's quick integrity check at start (bounded to a few seconds).
    #[arg(long, env = "COGNATE_SKIP_INTEGRITY_CHECK")]
    pub skip_integrity_check: bool,
}

impl Default for DatabaseArgs {
    fn default() -> Self {
        Self {
            database_url: None,
            database_pool_size: cognate_store::postgres::DEFAULT_POOL_SIZE,
            skip_integrity_check: false,
        }
    }
}

impl DatabaseArgs {
    /// The store URL: the PostgreSQL one, else the SQLite file in `data_dir`.
    pub fn url(&self, data_dir: &Path) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite:{}", data_dir.join("cognate.db").display()),
        }
    }

    /// Opens the store, applying pending migrations.
    pub async fn open(&self, data_dir: &Path) -> anyhow::Result<Arc<dyn Store>> {
        let options = OpenOptions {
            pool_size: self.database_pool_size,
            integrity_budget: (!self.skip_integrity_check)
                .then_some(cognate_store::DEFAULT_INTEGRITY_BUDGET),
        };
        cognate_store::open(&self.url(data_dir), &options)
            .await
            .map_err(|e| anyhow::anyhow!("opening the database: {e}"))
    }
}

/// Arguments of `cognate migrate` and `cognate check`.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Folder of the SQLite database (when no --database-url is given).
    #[arg(long, env = "COGNATE_DATA_DIR", default_value = "./cognate-data")]
    pub data_dir: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `cognate migrate`: applies pending migrations and says which.
pub async fn migrate(args: &StoreArgs) -> anyhow::Result<()> {
    let applied = cognate_store::migrate(&args.database.url(&args.data_dir))
        .await
        .map_err(|e| anyhow::anyhow!("migrating the database: {e}"))?;
    if applied.is_empty() {
        println!("the database schema is current");
    } else {
        println!("applied migrations {applied:?}");
    }
    Ok(())
}

/// `cognate check`: a full integrity check; an error (exit status 1) when damaged.
pub async fn check(args: &StoreArgs) -> anyhow::Result<()> {
    let url = args.database.url(&args.data_dir);
    let what = match &args.database.database_url {
        Some(_) => "the PostgreSQL database".to_owned(),
        None => args.data_dir.join("cognate.db").display().to_string(),
    };
    match cognate_store::check(&url)
        .await
        .map_err(|e| anyhow::anyhow!("checking {what}: {e}"))?
    {
        Integrity::Ok | Integrity::Unfinished => {
            println!("ok: {what}");
            Ok(())
        }
        Integrity::Damaged(problems) => {
            for p in &problems {
                eprintln!("{what}: {p}");
            }
            anyhow::bail!(
                "{what} is damaged ({} problems listed above)",
                problems.len()
            )
        }
    }
}
