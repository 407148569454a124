//! Shared, immutable-after-start application state.

use std::sync::Arc;

use cognate_core::clock::{Clock, ManualClock};
use cognate_core::crypto::secret_box::SecretBox;
use cognate_core::delivery::CodeDelivery;
use cognate_core::random::Random;
use cognate_core::service::common::key_cache::KeyCache;
use cognate_core::service::{Ctx, Settings};
use cognate_core::store::Store;

use crate::credentials::Credentials;
use crate::http::host_check::AllowedHosts;

pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// Set with `--test-clock`: the same clock as `clock`, settable over HTTP.
    pub test_clock: Option<Arc<ManualClock>>,
    pub random: Arc<dyn Random>,
    pub delivery: Arc<dyn CodeDelivery>,
    pub keys: KeyCache,
    pub cpu: Arc<dyn cognate_core::service::Offload>,
    pub sealer: SecretBox,
    pub settings: Settings,
    /// The access keys signed operations are verified against; `None` runs open (loopback only).
    pub credentials: Option<Credentials>,
    /// The `Host` values requests may carry.
    pub allowed_hosts: AllowedHosts,
}

impl AppState {
    /// A use-case context; the clock is read here, once per request.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            store: self.store.as_ref(),
            now: self.clock.now(),
            random: self.random.as_ref(),
            delivery: self.delivery.as_ref(),
            keys: &self.keys,
            cpu: self.cpu.as_ref(),
            sealer: &self.sealer,
            settings: &self.settings,
        }
    }
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> cognate_core::clock::Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        cognate_core::clock::Timestamp(ms)
    }
}
