//! A fixed set of worker threads with a bounded queue, for CPU-heavy work (argon2id, SRP, RSA
//! key generation). A job that finds the queue full is refused at once: under a flood the caller
//! gets an answer immediately instead of waiting behind every hash before it, threads stay at
//! the number of workers, and memory at what the workers use (argon2's working memory is kept
//! per thread, see `cognate_core::crypto::password`). The store does not run here, so it never
//! waits behind password hashes.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// A unit of work; it owns whatever it needs to hand its result back.
pub type Task = Box<dyn FnOnce() + Send + 'static>;

/// The queue was full: the task was not taken and never runs.
#[derive(Debug, PartialEq, Eq)]
pub struct Rejected;

struct Queue {
    tasks: VecDeque<Task>,
    /// Tasks a worker has taken and not finished.
    running: usize,
    closed: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // Tasks run outside the lock, so it is never held across a panic; carry on regardless.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub struct CpuPool {
    shared: Arc<Shared>,
    workers: usize,
    capacity: usize,
}

impl CpuPool {
    /// Starts `workers` threads (at least one) and a queue where at most `capacity` tasks wait
    /// for a worker (with `capacity` 0, a task is taken only if a worker is free).
    pub fn start(workers: usize, capacity: usize) -> std::io::Result<Self> {
        let workers = workers.max(1);
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                tasks: VecDeque::with_capacity(capacity),
                running: 0,
                closed: false,
            }),
            ready: Condvar::new(),
        });
        for i in 0..workers {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("cognate-cpu-{i}"))
                .spawn(move || work(&shared))?;
        }
        Ok(Self {
            shared,
            workers,
            capacity,
        })
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Whether [`CpuPool::try_submit`] would refuse a task now.
    pub fn is_full(&self) -> bool {
        let queue = self.shared.lock();
        queue.closed || queue.tasks.len() + queue.running >= self.workers + self.capacity
    }

    /// Queues `task`, or refuses it at once if every worker is busy and `capacity` tasks are
    /// already waiting.
    pub fn try_submit(&self, task: Task) -> Result<(), Rejected> {
        let mut queue = self.shared.lock();
        let taken = queue.tasks.len() + queue.running;
        if queue.closed || taken >= self.workers + self.capacity {
            return Err(Rejected);
        }
        queue.tasks.push_back(task);
        drop(queue);
        self.shared.ready.notify_one();
        Ok(())
    }
}

impl Drop for CpuPool {
    /// The workers finish what is queued, then exit; nothing waits for them.
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.ready.notify_all();
    }
}

fn work(shared: &Shared) {
    loop {
        let task = {
            let mut queue = shared.lock();
            loop {
                if let Some(task) = queue.tasks.pop_front() {
                    queue.running += 1;
                    break task;
                }
                if queue.closed {
                    return;
                }
                queue = shared
                    .ready
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        // A panicking task loses its result (its caller sees an internal error), not the worker.
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(task)).is_err() {
            tracing::error!("a CPU task panicked");
        }
        shared.lock().running -= 1;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::mpsc;
    use std::thread::ThreadId;

    use super::*;

    /// A task that reports its thread, then blocks until `gate` lets it go.
    fn blocking_task(
        started: mpsc::Sender<ThreadId>,
        gate: Arc<Mutex<mpsc::Receiver<()>>>,
    ) -> Task {
        Box::new(move || {
            let _ = started.send(std::thread::current().id());
            let _ = gate.lock().map(|rx| rx.recv());
        })
    }

    #[test]
    fn a_full_queue_refuses_at_once_and_jobs_run_on_at_most_n_threads() {
        let pool = CpuPool::start(2, 3).expect("pool");
        let (started_tx, started) = mpsc::channel();
        let (open, gate) = mpsc::channel();
        let gate = Arc::new(Mutex::new(gate));

        // Two tasks occupy both workers...
        for _ in 0..2 {
            let task = blocking_task(started_tx.clone(), gate.clone());
            assert_eq!(pool.try_submit(task), Ok(()));
        }
        let mut threads: HashSet<ThreadId> = (0..2)
            .map(|_| started.recv().expect("a worker started"))
            .collect();
        // ...three more wait in the queue, and the next one is refused without blocking:
        // both workers are stuck until the gate opens, so a submit that waited would hang here.
        for _ in 0..3 {
            let task = blocking_task(started_tx.clone(), gate.clone());
            assert_eq!(pool.try_submit(task), Ok(()));
        }
        assert!(pool.is_full());
        let refused = pool.try_submit(blocking_task(started_tx.clone(), gate.clone()));
        assert_eq!(refused, Err(Rejected));

        // Open the gate: the five accepted tasks all run, on the two workers only.
        for _ in 0..5 {
            open.send(()).expect("open the gate");
        }
        threads.extend((0..3).map(|_| started.recv().expect("a queued task ran")));
        assert_eq!(threads.len(), 2, "tasks ran on {threads:?}");
        assert!(!threads.contains(&std::thread::current().id()));

        // The queue drained: new work is accepted again.
        assert!(!pool.is_full());
        let (done_tx, done) = mpsc::channel();
        assert_eq!(
            pool.try_submit(Box::new(move || {
                let _ = done_tx.send(std::thread::current().id());
            })),
            Ok(())
        );
        assert!(threads.contains(&done.recv().expect("ran")));
    }

    #[test]
    fn a_panicking_task_does_not_take_its_worker_down() {
        let pool = CpuPool::start(1, 2).expect("pool");
        assert_eq!(pool.try_submit(Box::new(|| panic!("boom"))), Ok(()));
        let (tx, rx) = mpsc::channel();
        let task: Task = Box::new(move || {
            let _ = tx.send(());
        });
        assert_eq!(pool.try_submit(task), Ok(()));
        rx.recv().expect("the worker ran the next task");
    }

    #[test]
    fn with_no_queue_a_task_runs_only_on_a_free_worker() {
        let pool = CpuPool::start(1, 0).expect("pool");
        let (started_tx, started) = mpsc::channel();
        let (open, gate) = mpsc::channel();
        let gate = Arc::new(Mutex::new(gate));
        let first = blocking_task(started_tx.clone(), gate.clone());
        assert_eq!(pool.try_submit(first), Ok(()));
        started.recv().expect("the worker took it");
        let second = blocking_task(started_tx.clone(), gate.clone());
        assert_eq!(pool.try_submit(second), Err(Rejected));
        open.send(()).expect("open the gate");
        // Once the worker is free again, a task is taken.
        let (done_tx, done) = mpsc::channel();
        loop {
            let done_tx = done_tx.clone();
            let task: Task = Box::new(move || {
                let _ = done_tx.send(());
            });
            if pool.try_submit(task).is_ok() {
                break;
            }
            std::thread::yield_now();
        }
        done.recv().expect("ran");
    }
}
