//! The default code delivery: each message is appended as one JSON line to
//! `<data-dir>/outbox.jsonl` (mode 0600, fsynced before the API call returns) and noted in the
//! log without its text, so developers and tests can read codes and nothing secret is logged.
//! A line holds what a mailbox would: who it is for, how, and the message itself (its plain-text
//! part). It is used for a medium that has no real channel configured, never alongside one.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use cognate_core::delivery::{CodeDelivery, OutgoingMessage};

pub struct OutboxDelivery {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
    now: Arc<dyn Fn() -> f64 + Send + Sync>,
}

impl OutboxDelivery {
    pub fn new(path: PathBuf, now: Arc<dyn Fn() -> f64 + Send + Sync>) -> Self {
        Self {
            path,
            lock: Arc::new(Mutex::new(())),
            now,
        }
    }
}

#[async_trait]
impl CodeDelivery for OutboxDelivery {
    async fn deliver(&self, m: &OutgoingMessage) -> Result<(), String> {
        let line = serde_json::json!({
            "time": (self.now)(),
            "pool_id": m.pool_id,
            "username": m.username,
            "kind": m.kind,
            "medium": m.medium,
            "destination": m.destination,
            "message": m.message,
        })
        .to_string();
        tracing::info!(
            pool_id = %m.pool_id,
            kind = m.kind.as_str(),
            medium = m.medium.as_str(),
            "message written to the outbox"
        );
        let (path, lock) = (self.path.clone(), self.lock.clone());
        tokio::task::spawn_blocking(move || -> Result<(), String> {
            let _guard = lock
                .lock()
                .map_err(|_| "outbox lock poisoned".to_string())?;
            let mut f = crate::private_files::open_append(&path).map_err(|e| e.to_string())?;
            f.write_all(format!("{line}\n").as_bytes())
                .map_err(|e| e.to_string())?;
            f.sync_data().map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }
}
