//! The end of a run: counts, findings (each with its exact request, also written to a file),
//! the canary and server checks, and one summary line that says PASS or FAIL.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::runner::{Finding, Stats};
use crate::server::StderrWatch;

/// How much of a finding's request is printed (the file has all of it).
const PRINT_REQUEST: usize = 1500;

pub struct Outcome {
    pub seed: u64,
    pub requests: u64,
    pub elapsed: Duration,
    pub stats: Stats,
    pub problems: Vec<String>,
    pub canary_problems: Vec<String>,
    /// Setup pools put back during the run.
    pub heals: u64,
    pub watched: bool,
    pub watch: Arc<Mutex<StderrWatch>>,
    pub findings_dir: PathBuf,
}

fn escape(bytes: &[u8], max: usize) -> String {
    let mut out = String::new();
    for chunk in bytes
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .utf8_chunks()
    {
        for c in chunk.valid().chars() {
            match c {
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n\n    "),
                c if c.is_control() => out.push_str(&c.escape_default().to_string()),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    if bytes.len() > max {
        out.push_str(&format!("... ({} bytes in all)", bytes.len()));
    }
    out
}

impl Outcome {
    fn write_finding(&self, n: usize, f: &Finding) -> Option<PathBuf> {
        std::fs::create_dir_all(&self.findings_dir).ok()?;
        let path = self
            .findings_dir
            .join(format!("finding-{n}-request-{}.http", f.index));
        std::fs::write(&path, &f.request).ok()?;
        Some(path)
    }

    /// Prints the report; true if the run passed.
    pub fn print(&self) -> bool {
        let s = &self.stats;
        let (panics, errors, lines) = match self.watch.lock() {
            Ok(w) => (w.panics.clone(), w.errors.clone(), w.lines),
            Err(_) => (vec!["stderr watcher poisoned".into()], vec![], 0),
        };
        println!("\nrequests by mode:");
        for (mode, n) in &s.by_mode {
            println!("  {:<11} {n}", mode.name());
        }
        println!("most frequent error types:");
        let mut errors_by_count: Vec<_> = s.by_error.iter().collect();
        errors_by_count.sort_by(|a, b| b.1.cmp(a.1));
        for (code, n) in errors_by_count.iter().take(12) {
            println!("  {code:<40} {n}");
        }
        let answered: Vec<String> = s
            .ok_by_op
            .iter()
            .map(|(op, n)| format!("{op}={n}"))
            .collect();
        println!(
            "operations answered 200 at least once: {} of {} sent\n  {}",
            s.ok_by_op.len(),
            s.sent_by_op.len(),
            answered.join(" ")
        );
        println!("setup pools healed during the run: {}", self.heals);
        if self.watched {
            println!(
                "server stderr: {lines} lines, {} panics, {} ERROR lines",
                panics.len(),
                errors.len()
            );
        } else {
            println!("server stderr: not watched (--url); panics show as dropped connections");
        }

        let mut findings = s.finding_count + panics.len() as u64 + errors.len() as u64;
        findings += s.heal_problems.len() as u64;
        findings += (self.problems.len() + self.canary_problems.len()) as u64;
        for (n, f) in s.findings.iter().enumerate() {
            let file = self.write_finding(n, f);
            println!(
                "\nFINDING {n}: {} (op {}, mode {}, request #{})\n  response: {}\n  request{}:\n    {}",
                f.problem,
                f.op,
                f.mode.name(),
                f.index,
                f.response,
                file.map(|p| format!(" (saved to {})", p.display())).unwrap_or_default(),
                escape(&f.request, PRINT_REQUEST)
            );
        }
        for p in panics.iter().chain(&errors) {
            println!("\nFINDING (server stderr): {p}");
        }
        for p in s
            .heal_problems
            .iter()
            .chain(&self.problems)
            .chain(&self.canary_problems)
        {
            println!("\nFINDING: {p}");
        }

        let secs = self.elapsed.as_secs_f64();
        let statuses: Vec<String> = s
            .by_status
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let pass = findings == 0;
        println!(
            "\ncognate-fuzz: seed={} requests={}/{} duration={:.1}s rate={:.0}/s status[{}] no-response={} findings={} canary={} server={}",
            self.seed,
            s.sent,
            self.requests,
            secs,
            s.sent as f64 / secs.max(0.001),
            statuses.join(" "),
            s.no_response,
            findings,
            if self.canary_problems.is_empty() { "unchanged" } else { "CHANGED" },
            if self.problems.is_empty() { "alive" } else { "DOWN" },
        );
        println!("cognate-fuzz: {}", if pass { "PASS" } else { "FAIL" });
        pass
    }
}
