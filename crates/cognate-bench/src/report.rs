//! The results as JSON and as Markdown tables (one target, or several side by side).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::runner::Point;

pub struct Run {
    pub target: String,
    pub url: String,
    pub test_clock: bool,
    pub clock_advances: usize,
    pub startup_ms: Option<f64>,
    /// (when, VmRSS kB, VmHWM kB)
    pub rss: Vec<(String, u64, u64)>,
    pub setup_seconds: f64,
    pub points: Vec<Point>,
}

pub fn to_json(run: &Run) -> Value {
    json!({
        "target": run.target,
        "url": run.url,
        "test_clock": run.test_clock,
        "clock_advances": run.clock_advances,
        "startup_ms": run.startup_ms,
        "setup_seconds": run.setup_seconds,
        "rss_kb": run.rss.iter().map(|(w, r, h)| json!({"when": w, "vm_rss": r, "vm_hwm": h})).collect::<Vec<_>>(),
        "points": run.points.iter().map(|p| json!({
            "op": p.op, "label": p.label, "concurrency": p.concurrency, "seconds": p.seconds,
            "ok": p.ok, "rps": p.rps, "p50_ms": p.p50_ms, "p99_ms": p.p99_ms, "max_ms": p.max_ms,
            "errors": p.errors.iter().map(|(k, (c, m))| (k.clone(), json!({"count": c, "example": m}))).collect::<serde_json::Map<_, _>>(),
            "note": p.note,
        })).collect::<Vec<_>>(),
    })
}

fn errors_cell(errors: &BTreeMap<String, (u64, String)>) -> String {
    if errors.is_empty() {
        return "0".into();
    }
    errors
        .iter()
        .map(|(k, (c, _))| format!("{c} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn markdown(run: &Run) -> String {
    let mut out = format!("### {} ({})\n\n", run.target, run.url);
    if let Some(ms) = run.startup_ms {
        out += &format!("Start-up until the port answered: {ms:.0} ms. ");
    }
    for (when, rss, hwm) in &run.rss {
        out += &format!("RSS {when}: {} MB (peak {} MB). ", rss / 1024, hwm / 1024);
    }
    out += &format!(
        "Setup (pool, client, users) took {:.1} s; test clock: {}{}.\n\n",
        run.setup_seconds,
        if run.test_clock { "yes" } else { "no" },
        if run.test_clock {
            format!(", moved 30 s on {} times", run.clock_advances)
        } else {
            String::new()
        }
    );
    out += "| operation | concurrency | requests/s | p50 ms | p99 ms | max ms | ok | errors | note |\n";
    out += "|---|---|---|---|---|---|---|---|---|\n";
    for p in &run.points {
        out += &format!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {} | {} |\n",
            p.label,
            p.concurrency,
            p.rps,
            p.p50_ms,
            p.p99_ms,
            p.max_ms,
            p.ok,
            errors_cell(&p.errors),
            p.note.as_deref().unwrap_or("")
        );
    }
    let examples: BTreeMap<&String, &String> = run
        .points
        .iter()
        .flat_map(|p| p.errors.iter().map(|(k, (_, m))| (k, m)))
        .collect();
    if !examples.is_empty() {
        out += "\nError examples:\n\n";
        for (k, m) in examples {
            let m: String = m.chars().take(160).collect();
            out += &format!("- `{k}`: {}\n", m.replace('\n', " "));
        }
    }
    out
}

fn cell(p: Option<&Value>) -> String {
    let Some(p) = p else { return "-".into() };
    if let Some(note) = p.get("note").and_then(Value::as_str) {
        if note.starts_with("not supported") {
            return "unsupported".into();
        }
    }
    let f = |k: &str| p.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let errs: u64 = p
        .get("errors")
        .and_then(Value::as_object)
        .map(|m| {
            m.values()
                .filter_map(|e| e.get("count").and_then(Value::as_u64))
                .sum()
        })
        .unwrap_or(0);
    let mut s = format!("{:.0}/s, p99 {:.1} ms", f("rps"), f("p99_ms"));
    if errs > 0 {
        s += &format!(", **{errs} errors**");
    }
    if p.get("note").and_then(Value::as_str).is_some() {
        s += " (†)";
    }
    s
}

/// Rows operation × concurrency, a column per run, and Cognate/peer ratios of requests/s for
/// the first run against every run named `moto` or `cognito-local`.
pub fn compare(runs: &[Value]) -> String {
    let name = |r: &Value| {
        r.get("target")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    let points = |r: &Value| {
        r.get("points")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let find = |r: &Value, op: &str, c: u64| {
        points(r).into_iter().find(|p| {
            p.get("op").and_then(Value::as_str) == Some(op)
                && p.get("concurrency").and_then(Value::as_u64) == Some(c)
        })
    };
    let Some(first) = runs.first() else {
        return String::new();
    };
    let peers: Vec<&Value> = runs
        .iter()
        .filter(|r| ["moto", "cognito-local"].contains(&name(r).as_str()))
        .collect();
    let mut out = String::from("| operation | conc. |");
    for r in runs {
        out += &format!(" {} |", name(r));
    }
    for p in &peers {
        out += &format!(" {} / {} |", name(first), name(p));
    }
    out += "\n|---|---|";
    out += &"---|".repeat(runs.len() + peers.len());
    out += "\n";
    let mut rows: Vec<(String, String, u64)> = Vec::new();
    for r in runs {
        for p in points(r) {
            let op = p.get("op").and_then(Value::as_str).unwrap_or("").to_owned();
            let label = p
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let c = p.get("concurrency").and_then(Value::as_u64).unwrap_or(0);
            if !rows.iter().any(|(o, _, cc)| *o == op && *cc == c) {
                rows.push((op, label, c));
            }
        }
    }
    for (op, label, c) in rows {
        out += &format!("| {label} | {c} |");
        for r in runs {
            out += &format!(" {} |", cell(find(r, &op, c).as_ref()));
        }
        let rps = |p: Option<Value>| {
            p.and_then(|p| p.get("rps").and_then(Value::as_f64))
                .filter(|x| *x > 0.0)
        };
        for p in &peers {
            out += &match (rps(find(first, &op, c)), rps(find(p, &op, c))) {
                (Some(a), Some(b)) => format!(" {:.2}x |", a / b),
                _ => " - |".into(),
            };
        }
        out += "\n";
    }
    out
}
