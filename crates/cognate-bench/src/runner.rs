//! Closed-loop load: `concurrency` workers, each on its own keep-alive connection, calling
//! one operation back to back for a fixed time; latencies of successes, errors by type.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::http::Conn;
use crate::ops::{Ctx, Op, Outcome};

#[derive(Debug, Clone, Default)]
pub struct Point {
    pub op: String,
    pub label: String,
    pub concurrency: usize,
    pub seconds: f64,
    pub ok: u64,
    /// Error type → count, with one example message each.
    pub errors: BTreeMap<String, (u64, String)>,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Why the point is partial or missing (unsupported, users ran out).
    pub note: Option<String>,
}

struct WorkerResult {
    latencies: Vec<Duration>,
    errors: BTreeMap<String, (u64, String)>,
    exhausted: bool,
    ended: Duration,
}

pub async fn run_point(
    ctx: Arc<Ctx>,
    addr: &str,
    op: Op,
    concurrency: usize,
    seconds: f64,
) -> Point {
    let run_for = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let ctx = ctx.clone();
        let addr = addr.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::new(&addr);
            let mut r = WorkerResult {
                latencies: Vec::new(),
                errors: BTreeMap::new(),
                exhausted: false,
                ended: Duration::ZERO,
            };
            let mut n = 0u64;
            while start.elapsed() < run_for {
                match ctx.run_once(op, &mut conn, worker, n).await {
                    Outcome::Ok(d) => r.latencies.push(d),
                    Outcome::Err(e) => {
                        let entry = r.errors.entry(e.kind).or_insert((0, e.message));
                        entry.0 += 1;
                    }
                    Outcome::Exhausted => {
                        r.exhausted = true;
                        break;
                    }
                }
                n += 1;
            }
            r.ended = start.elapsed();
            r
        }));
    }
    let mut lat = Vec::new();
    let mut point = Point {
        op: op.key().into(),
        label: op.label().into(),
        concurrency,
        ..Default::default()
    };
    let mut ended = Duration::ZERO;
    let mut exhausted = false;
    for t in tasks {
        match t.await {
            Ok(r) => {
                lat.extend(r.latencies);
                for (k, (c, m)) in r.errors {
                    let e = point.errors.entry(k).or_insert((0, m));
                    e.0 += c;
                }
                exhausted |= r.exhausted;
                ended = ended.max(r.ended);
            }
            Err(e) => {
                let entry = point
                    .errors
                    .entry("bench task".into())
                    .or_insert((0, e.to_string()));
                entry.0 += 1;
            }
        }
    }
    lat.sort_unstable();
    point.ok = lat.len() as u64;
    point.seconds = ended.as_secs_f64();
    if point.seconds > 0.0 {
        point.rps = point.ok as f64 / point.seconds;
    }
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        lat.get(i).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
    };
    point.p50_ms = pct(0.50);
    point.p99_ms = pct(0.99);
    point.max_ms = pct(1.0);
    if exhausted {
        point.note = Some(format!(
            "TOTP users ran out for the current 30 s step after {:.1} s (no test clock)",
            point.seconds
        ));
    }
    point
}

/// A point for an operation that could not be measured.
pub fn unsupported(op: Op, concurrency: usize, why: &str) -> Point {
    Point {
        op: op.key().into(),
        label: op.label().into(),
        concurrency,
        note: Some(format!("not supported: {why}")),
        ..Default::default()
    }
}
