//! The server's time as TOTP codes and SRP timestamps need it, and the time steps each TOTP
//! user has spent (a code is never sent twice). With Cognate's `--test-clock` the bench moves
//! the server's clock 30 s on when every user has used the current step; otherwise it follows
//! the wall clock and a point ends early when the users of the current step run out.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::sync::{RwLock, RwLockReadGuard};

use crate::http::{CallError, Conn};

pub struct ServerClock {
    /// Server time in seconds, when it has a test clock; `None`: the wall clock.
    test_now: Option<RwLock<i64>>,
    /// Number of 30 s advances made.
    pub advances: AtomicUsize,
}

fn wall_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl ServerClock {
    /// Asks `GET /_cognate/clock`; any answer but a JSON `now` means the wall clock.
    pub async fn detect(addr: &str) -> Self {
        // A connection of its own: a server without the route may close it.
        let mut conn = Conn::new(addr);
        let now = match conn
            .request(hyper::Method::GET, "/_cognate/clock", &[], Vec::new())
            .await
        {
            Ok((200, _, body)) => serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v.get("now").and_then(Value::as_f64)),
            _ => None,
        };
        Self {
            test_now: now.map(|n| RwLock::new(n as i64)),
            advances: AtomicUsize::new(0),
        }
    }

    pub fn is_test_clock(&self) -> bool {
        self.test_now.is_some()
    }

    /// The server's time now, and a guard that keeps a test clock from moving while it is held.
    pub async fn now(&self) -> (i64, Option<RwLockReadGuard<'_, i64>>) {
        match &self.test_now {
            Some(lock) => {
                let g = lock.read().await;
                (*g, Some(g))
            }
            None => (wall_now(), None),
        }
    }

    /// Moves a test clock 30 s on (once, however many callers saw `seen` run out).
    pub async fn advance(&self, conn: &mut Conn, seen: i64) -> Result<(), CallError> {
        let Some(lock) = &self.test_now else {
            return Ok(());
        };
        let mut g = lock.write().await;
        if *g != seen {
            return Ok(());
        }
        let body = br#"{"advance": 30}"#.to_vec();
        let (status, _, resp) = conn
            .post(
                "/_cognate/clock",
                &[("content-type", "application/json")],
                body,
            )
            .await?;
        let now = serde_json::from_slice::<Value>(&resp)
            .ok()
            .and_then(|v| v.get("now").and_then(Value::as_f64));
        match (status, now) {
            (200, Some(n)) => {
                *g = n as i64;
                self.advances.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            _ => Err(CallError::new(
                "clock",
                format!("POST /_cognate/clock: HTTP {status}"),
            )),
        }
    }
}

/// A TOTP user: its secret and the last time step a code of it was sent.
pub struct TotpUser {
    pub name: String,
    pub access_token: String,
    pub secret: Mutex<Vec<u8>>,
    pub last_step: AtomicI64,
}

/// Hands out (user, step) pairs, each at most once.
pub struct Tickets {
    pub users: Vec<TotpUser>,
    next: AtomicUsize,
}

impl Tickets {
    pub fn new(users: Vec<TotpUser>) -> Self {
        Self {
            users,
            next: AtomicUsize::new(0),
        }
    }

    /// A user that has not used `step` yet, marked as using it; `None` when all have.
    pub fn take(&self, step: i64) -> Option<&TotpUser> {
        let n = self.users.len();
        for _ in 0..n {
            let i = self.next.fetch_add(1, Ordering::Relaxed) % n.max(1);
            let u = self.users.get(i)?;
            let last = u.last_step.load(Ordering::Relaxed);
            if last < step
                && u.last_step
                    .compare_exchange(last, step, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
            {
                return Some(u);
            }
        }
        None
    }
}
