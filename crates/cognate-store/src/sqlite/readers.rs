//! The read-only connections, each on a thread of its own: a fixed number of threads whatever
//! the load (tokio's blocking pool would add threads as calls churn), taken in turn.
//!
//! Point lookups by a unique key (a pool, a client, a user, a token record) take a few
//! microseconds in SQLite, less than handing them to another thread and waking the caller
//! again (perf put a quarter of GetUser's time in the scheduler's task switch). They run on the
//! caller's own thread instead, on one of a few more connections, when one is free at that
//! moment; when none is, they go to the reader threads like every other read.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, TryLockError};

use cognate_core::store::{StoreError, StoreResult};
use rusqlite::Connection;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

pub(super) struct Readers {
    queues: Vec<mpsc::Sender<Job>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    next: AtomicUsize,
    /// Connections for point lookups on the caller's thread (see the module's comment).
    inline: Vec<Mutex<Connection>>,
}

impl Readers {
    /// `conns` get a thread each; `inline` serve [`Readers::read_point`] on the caller's thread.
    pub fn start(conns: Vec<Connection>, inline: Vec<Connection>) -> Result<Self, String> {
        let (mut queues, mut threads) = (Vec::new(), Vec::new());
        for (i, mut conn) in conns.into_iter().enumerate() {
            let (tx, rx) = mpsc::channel::<Job>();
            let thread = std::thread::Builder::new()
                .name(format!("cognate-sqlite-reader-{i}"))
                .spawn(move || {
                    while let Ok(job) = rx.recv() {
                        // A read that panics loses its answer (its caller sees an error); the
                        // thread goes on.
                        let _ = catch_unwind(AssertUnwindSafe(|| job(&mut conn)));
                    }
                })
                .map_err(|e| format!("starting a SQLite reader: {e}"))?;
            queues.push(tx);
            threads.push(thread);
        }
        Ok(Self {
            queues,
            threads,
            next: AtomicUsize::new(0),
            inline: inline.into_iter().map(Mutex::new).collect(),
        })
    }

    pub async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let stopped = || StoreError::Other("the SQLite readers have stopped".into());
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.queues.len().max(1);
        let queue = self.queues.get(i).ok_or_else(stopped)?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        queue
            .send(Box::new(move |conn| {
                let _ = tx.send(f(conn));
            }))
            .map_err(|_| stopped())?;
        rx.await
            .map_err(|_| StoreError::Other("the read was not carried out".into()))?
    }
}

impl Readers {
    /// A lookup by a unique key, for which a thread hop costs more than the query: on the
    /// caller's thread with a free inline connection, else as [`Readers::read`].
    pub async fn read_point<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        for slot in &self.inline {
            let mut conn = match slot.try_lock() {
                Ok(conn) => conn,
                // A read panicked while holding it; the connection itself is still sound.
                Err(TryLockError::Poisoned(p)) => p.into_inner(),
                Err(TryLockError::WouldBlock) => continue,
            };
            return catch_unwind(AssertUnwindSafe(|| f(&mut conn)))
                .unwrap_or_else(|_| Err(StoreError::Other("a read panicked".into())));
        }
        self.read(f).await
    }
}

impl Drop for Readers {
    /// Closes the connections before the writer's (see `SqliteStore`'s field order).
    fn drop(&mut self) {
        self.inline.clear();
        self.queues.clear();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
