//! Group commit: every write runs on one writer thread, and the writes that queued while the
//! previous commit was being flushed are committed together, in one transaction and one fsync.
//!
//! Each write runs inside a savepoint of the batch's transaction: a write that fails (a
//! constraint, a missing row) is rolled back alone and answers its own error, the others are
//! unaffected. Answers are sent only after the batch's COMMIT returned (`synchronous = FULL`:
//! the WAL is on disk), so an acknowledged write survives a crash; if the COMMIT itself fails,
//! every write of the batch answers that error and none of them is kept.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use cognate_core::store::{StoreError, StoreResult};
use rusqlite::Connection;

/// Most writes committed together.
const MAX_BATCH: usize = 64;

/// What a write leaves for after the commit: its answer, given the commit's failure if any.
type Deliver = Box<dyn FnOnce(Option<StoreError>) + Send>;
/// A write: runs on the connection, says whether it succeeded, and how to answer.
type Job = Box<dyn FnOnce(&mut Connection) -> (bool, Deliver) + Send>;

pub(super) struct Writer {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    /// Starts the writer thread, which owns `conn` until every `Writer` handle is dropped.
    pub fn start(conn: Connection) -> Result<Self, String> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("cognate-sqlite-writer".into())
            .spawn(move || run(conn, queue))
            .map_err(|e| format!("starting the SQLite writer: {e}"))?;
        Ok(Self {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Runs `f` in the next batch and answers once that batch is committed.
    pub async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let result = f(conn);
            let ok = result.is_ok();
            let deliver: Deliver = Box::new(move |commit_failed| {
                let answer = match commit_failed {
                    Some(e) => Err(e),
                    None => result,
                };
                // The caller may have gone away; the write stands all the same.
                let _ = tx.send(answer);
            });
            (ok, deliver)
        });
        self.jobs
            .as_ref()
            .ok_or_else(|| StoreError::Other("the SQLite writer has stopped".into()))?
            .send(job)
            .map_err(|_| StoreError::Other("the SQLite writer has stopped".into()))?;
        rx.await
            .map_err(|_| StoreError::Other("the write was not carried out".into()))?
    }
}

impl Drop for Writer {
    /// Lets the writer finish what is queued and close its connection before the store is
    /// gone: the last connection to close checkpoints the WAL into the database file, so a
    /// clean shutdown leaves no WAL behind.
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(mut conn: Connection, queue: mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&mut conn, batch);
    }
}

fn commit_batch(conn: &mut Connection, batch: Vec<Job>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        // Dropping the jobs drops their answer channels: each caller gets an error.
        tracing::error!(error = %e, "SQLite: cannot begin a write transaction");
        return;
    }
    let mut answers = Vec::with_capacity(batch.len());
    for job in batch {
        if let Err(e) = conn.execute_batch("SAVEPOINT write") {
            tracing::error!(error = %e, "SQLite: cannot open a savepoint");
            continue;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| job(conn)));
        let keep = matches!(outcome, Ok((true, _)));
        let closed = if keep {
            conn.execute_batch("RELEASE write")
        } else {
            conn.execute_batch("ROLLBACK TO write; RELEASE write")
        };
        if let Err(e) = closed {
            tracing::error!(error = %e, "SQLite: cannot close a savepoint");
        }
        // A write that panicked has no answer left to give: its caller sees an error.
        if let Ok((_, deliver)) = outcome {
            answers.push(deliver);
        }
    }
    let failed = conn.execute_batch("COMMIT").err().map(|e| {
        let _ = conn.execute_batch("ROLLBACK");
        super::other(e)
    });
    for deliver in answers {
        deliver(failed.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(dir: &std::path::Path) -> Connection {
        let conn = Connection::open(dir.join("w.db")).expect("open");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL);
             INSERT INTO t (k, v) VALUES (0, 'taken');",
        )
        .expect("schema");
        conn
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writes_commit_together_and_fail_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let writer = std::sync::Arc::new(Writer::start(table(dir.path())).expect("writer"));
        let mut tasks = Vec::new();
        for i in 0..200i64 {
            let writer = writer.clone();
            tasks.push(tokio::spawn(async move {
                writer
                    .write(move |c| {
                        // Two rows each; every tenth write's second row takes the taken key 0,
                        // so it fails half-way and must leave neither row.
                        c.execute("INSERT INTO t (k, v) VALUES (?1, 'a')", [i * 2 + 1])
                            .map_err(crate::sqlite::sql_err)?;
                        let second = if i % 10 == 0 { 0 } else { i * 2 + 2 };
                        c.execute("INSERT INTO t (k, v) VALUES (?1, 'b')", [second])
                            .map_err(crate::sqlite::sql_err)?;
                        Ok(i)
                    })
                    .await
            }));
        }
        let mut failed = 0;
        for (i, t) in tasks.into_iter().enumerate() {
            match t.await.expect("task") {
                Ok(v) => assert_eq!(v, i as i64),
                Err(StoreError::Conflict { .. }) => {
                    assert_eq!(i % 10, 0, "only the conflicting writes fail");
                    failed += 1;
                }
                Err(e) => panic!("write {i}: {e:?}"),
            }
        }
        assert_eq!(failed, 20);
        let check = Connection::open(dir.path().join("w.db")).expect("open");
        let rows: i64 = check
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count");
        assert_eq!(
            rows,
            1 + 180 * 2,
            "each failed write left nothing, each other one both rows"
        );
    }

    #[tokio::test]
    async fn a_panicking_write_answers_an_error_and_the_writer_goes_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let writer = Writer::start(table(dir.path())).expect("writer");
        let r: StoreResult<()> = writer
            .write(|c| {
                c.execute("INSERT INTO t (k, v) VALUES (1, 'x')", [])
                    .map_err(crate::sqlite::sql_err)?;
                panic!("a bug in a write");
            })
            .await;
        assert!(r.is_err());
        let n: i64 = writer
            .write(|c| {
                c.execute("INSERT INTO t (k, v) VALUES (2, 'y')", [])
                    .map_err(crate::sqlite::sql_err)?;
                c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                    .map_err(crate::sqlite::sql_err)
            })
            .await
            .expect("the writer still works");
        assert_eq!(n, 2, "the panicking write left nothing");
    }
}
