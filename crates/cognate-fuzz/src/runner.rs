//! Sends the requests from `concurrency` threads, each on its own keep-alive connection,
//! checks every answer and keeps the counts and findings.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::checker::{check, error_code};
use crate::generator::Generator;
use crate::harvest::harvest;
use crate::heal::Healer;
use crate::http::Conn;
use crate::request::{build, Mode};
use crate::rng::Rng;
use crate::state::Known;

/// Consecutive requests without any answer after which the server is taken for dead.
const DEAD_AFTER: u64 = 20;

/// One setup pool is healed every this many requests.
pub const HEAL_EVERY: u64 = 1000;

pub struct Finding {
    pub index: u64,
    pub op: String,
    pub mode: Mode,
    pub problem: String,
    pub request: Vec<u8>,
    pub response: String,
}

#[derive(Default)]
pub struct Stats {
    pub sent: u64,
    pub by_status: BTreeMap<u16, u64>,
    pub no_response: u64,
    pub by_mode: BTreeMap<Mode, u64>,
    pub by_error: BTreeMap<String, u64>,
    pub ok_by_op: BTreeMap<String, u64>,
    pub sent_by_op: BTreeMap<String, u64>,
    /// Findings, at most one full example per (problem, operation, mode).
    pub findings: Vec<Finding>,
    pub finding_count: u64,
    /// 5xx answers or dropped connections while healing.
    pub heal_problems: Vec<String>,
}

impl Stats {
    fn merge(&mut self, o: Stats) {
        self.sent += o.sent;
        self.no_response += o.no_response;
        self.finding_count += o.finding_count;
        self.heal_problems.extend(o.heal_problems);
        for (k, v) in o.by_status {
            *self.by_status.entry(k).or_default() += v;
        }
        for (k, v) in o.by_mode {
            *self.by_mode.entry(k).or_default() += v;
        }
        for (k, v) in o.by_error {
            *self.by_error.entry(k).or_default() += v;
        }
        for (k, v) in o.ok_by_op {
            *self.ok_by_op.entry(k).or_default() += v;
        }
        for (k, v) in o.sent_by_op {
            *self.sent_by_op.entry(k).or_default() += v;
        }
        for f in o.findings {
            let seen = self
                .findings
                .iter()
                .any(|g| g.problem == f.problem && g.op == f.op && g.mode == f.mode);
            if !seen {
                self.findings.push(f);
            }
        }
    }
}

pub struct Run<'a> {
    pub gen: &'a Generator<'a>,
    pub known: Arc<Mutex<Known>>,
    pub addr: SocketAddr,
    pub seed: u64,
    pub requests: u64,
    pub concurrency: usize,
    pub timeout: Duration,
    pub healer: Mutex<Healer>,
    /// Print valid-mode exchanges of this operation (for tuning the generator).
    pub trace: Option<String>,
}

impl Run<'_> {
    pub fn go(&self) -> (Stats, bool) {
        let next = AtomicU64::new(0);
        let dead = AtomicBool::new(false);
        let total = Mutex::new(Stats::default());
        let started = Instant::now();
        let progress_every = (self.requests / 20).max(1);
        std::thread::scope(|scope| {
            for _ in 0..self.concurrency.max(1) {
                scope.spawn(|| {
                    let stats = self.worker(&next, &dead, started, progress_every);
                    if let Ok(mut t) = total.lock() {
                        t.merge(stats);
                    }
                });
            }
        });
        let stats = total.into_inner().unwrap_or_default();
        (stats, dead.load(Ordering::Relaxed))
    }

    fn worker(
        &self,
        next: &AtomicU64,
        dead: &AtomicBool,
        started: Instant,
        progress_every: u64,
    ) -> Stats {
        let mut stats = Stats::default();
        let mut conn = Conn::new(self.addr, self.timeout);
        let mut silent = 0u64;
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= self.requests || dead.load(Ordering::Relaxed) {
                return stats;
            }
            if index > 0 && index.is_multiple_of(progress_every) {
                let secs = started.elapsed().as_secs_f64();
                eprintln!(
                    "[cognate-fuzz] {index}/{} requests, {:.0}/s",
                    self.requests,
                    index as f64 / secs.max(0.001)
                );
            }
            if index > 0 && index.is_multiple_of(HEAL_EVERY) {
                // Skipped if the previous healing is still running.
                if let Ok(mut healer) = self.healer.try_lock() {
                    let mut rng = Rng::for_request(self.seed ^ 0x4845_414c, index);
                    if let Err(p) = healer.heal(&self.known, &mut rng) {
                        stats.heal_problems.push(p);
                    }
                }
            }
            let mut rng = Rng::for_request(self.seed, index);
            let Some(built) = build(self.gen, &self.known, &mut rng) else {
                continue;
            };
            let result = conn.send(&built.request);
            stats.sent += 1;
            *stats.by_mode.entry(built.mode).or_default() += 1;
            *stats.sent_by_op.entry(built.op.clone()).or_default() += 1;
            if self.trace.as_deref() == Some(built.op.as_str()) && built.mode == Mode::Valid {
                if let Ok(resp) = &result {
                    eprintln!(
                        "[trace] {} -> {} {}",
                        String::from_utf8_lossy(&built.request.body),
                        resp.status,
                        String::from_utf8_lossy(&resp.body)
                            .chars()
                            .take(300)
                            .collect::<String>()
                    );
                }
            }
            match &result {
                Ok(resp) => {
                    silent = 0;
                    *stats.by_status.entry(resp.status).or_default() += 1;
                    let code = error_code(resp);
                    if code.is_empty() && built.canonical_target {
                        *stats.ok_by_op.entry(built.op.clone()).or_default() += 1;
                    } else if !code.is_empty() {
                        *stats.by_error.entry(code).or_default() += 1;
                    }
                    if let (200, Some(req_json), Some(resp_json)) =
                        (resp.status, &built.json, resp.json())
                    {
                        if let Ok(mut known) = self.known.lock() {
                            harvest(&mut known, &built.op, &built.ctx, req_json, &resp_json);
                        }
                    }
                }
                Err(_) => {
                    stats.no_response += 1;
                    silent += 1;
                    if silent >= DEAD_AFTER {
                        dead.store(true, Ordering::Relaxed);
                    }
                }
            }
            if let Err(problem) = check(&built.request, &result) {
                stats.finding_count += 1;
                let seen = stats
                    .findings
                    .iter()
                    .any(|f| f.problem == problem && f.op == built.op && f.mode == built.mode);
                if !seen {
                    let response = match &result {
                        Ok(r) => format!(
                            "HTTP {} {}",
                            r.status,
                            String::from_utf8_lossy(&r.body)
                                .chars()
                                .take(2000)
                                .collect::<String>()
                        ),
                        Err(e) => e.to_string(),
                    };
                    stats.findings.push(Finding {
                        index,
                        op: built.op.clone(),
                        mode: built.mode,
                        problem,
                        request: built.request.to_bytes(&conn.host),
                        response,
                    });
                }
            }
        }
    }
}
