//! Building and running the server: the same path serves production and tests (port 0).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use cognate_core::clock::{Clock, ManualClock};
use cognate_core::random::{OsRandom, Random};
use cognate_core::service::Settings;

use crate::config::{IssuerStyle, ServeConfig};
use crate::cpu_pool::CpuPool;
use crate::credentials::Credentials;
use crate::http::host_check::AllowedHosts;
use crate::http::serve::Limits;
use crate::start_rules::{self, Exposure};
use crate::state::{AppState, SystemClock};

pub struct App {
    pub addr: SocketAddr,
    listener: tokio::net::TcpListener,
    limits: Limits,
    pub state: Arc<AppState>,
}

impl App {
    pub async fn build(config: ServeConfig) -> anyhow::Result<Self> {
        // Before anything binds: no open server off loopback.
        let credentials = Credentials::load(
            config.access_key.clone(),
            config.credentials_file.as_deref(),
        )?;
        start_rules::check_test_clock(config.listen, config.test_clock)?;
        match start_rules::check(config.listen, credentials.is_some())? {
            Exposure::OpenOnLoopback => tracing::warn!("{}", start_rules::OPEN_WARNING),
            Exposure::Verified => tracing::info!(
                access_keys = credentials.as_ref().map_or(0, |c| c.key_count()),
                "signed operations require a SigV4 signature by a configured access key"
            ),
        }
        crate::private_files::usable_data_dir(&config.data_dir).map_err(anyhow::Error::msg)?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("binding {}", config.listen))?;
        let addr = listener.local_addr()?;
        let random: Arc<dyn Random> = Arc::new(OsRandom);
        let (clock, test_clock): (Arc<dyn Clock>, _) = if config.test_clock {
            let c = Arc::new(ManualClock::new(SystemClock.now()));
            (c.clone(), Some(c))
        } else {
            (Arc::new(SystemClock), None)
        };
        let store = config.database.open(&config.data_dir).await?;
        let sealer = crate::keys::load_master_key(
            config.master_key.as_deref(),
            &config.data_dir,
            random.as_ref(),
        )?;
        let allowed_hosts =
            AllowedHosts::new(addr, config.public_url.as_deref(), &config.allowed_hosts)?;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let issuer_prefix = match config.issuer_style {
            IssuerStyle::Public => public_url.trim_end_matches('/').to_owned(),
            IssuerStyle::Aws => format!("https://cognito-idp.{}.amazonaws.com", config.region),
        };
        if config.password_hash_profile == crate::config::PasswordHashProfile::Test {
            tracing::warn!(
                "--password-hash-profile test: passwords are hashed at the lowest cost argon2id \
                 allows; for development and test suites only, NOT FOR PRODUCTION"
            );
        }
        let cpu = CpuPool::start(config.cpu_workers(), config.cpu_queue())
            .context("starting the CPU worker threads")?;
        tracing::info!(
            workers = cpu.workers(),
            queue = cpu.capacity(),
            "CPU workers started"
        );
        let outbox_clock = clock.clone();
        let delivery = config.delivery.build(
            &config.data_dir,
            Arc::new(move || outbox_clock.now().as_epoch_f64()),
        )?;
        let state = Arc::new(AppState {
            store,
            clock,
            test_clock,
            random,
            cpu: Arc::new(cpu),
            delivery,
            keys: Default::default(),
            sealer,
            settings: Settings {
                region: config.region.clone(),
                account_id: "000000000000".into(),
                issuer_prefix,
                public_url: public_url.trim_end_matches('/').to_owned(),
                password_hash: config.password_hash_profile.profile(),
            },
            credentials,
            allowed_hosts,
        });
        let limits = Limits {
            max_connections: config.max_connections as usize,
            header_timeout: config.header_timeout,
            body_timeout: config.body_timeout,
        };
        Ok(Self {
            addr,
            listener,
            limits,
            state,
        })
    }

    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let runner = crate::import_runner::spawn(self.state.clone());
        let router = crate::http::router(self.state);
        let served = crate::http::serve::serve(self.listener, router, self.limits, shutdown).await;
        runner.abort();
        served?;
        Ok(())
    }
}
