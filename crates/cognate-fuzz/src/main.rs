//! `cognate-fuzz`: sends random and mutated requests built from the service model's shapes to
//! a Cognate server and checks that none is answered with a 5xx or an internal error, every
//! error carries the AWS envelope, the server never drops a connection or panics, and a
//! canary pool the generator never names is unchanged at the end.
//!
//! By default it starts the `cognate` binary next to itself on a free port with a fresh
//! temporary data dir (`--server-bin` to choose another); `--url` fuzzes a running server
//! instead (then panics are noticed only as dropped connections and a failing `/health`).

mod actions;
mod api;
mod canary;
mod checker;
mod context;
mod fixup;
mod generator;
mod harvest;
mod headers;
mod heal;
mod http;
mod model;
mod mutate_bytes;
mod mutate_json;
mod outbox;
mod report;
mod request;
mod rng;
mod runner;
mod semantic;
mod server;
mod setup;
mod state;
#[cfg(test)]
mod tests;
mod values;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use clap::Parser;

use crate::server::Server;

#[derive(Parser)]
#[command(
    name = "cognate-fuzz",
    about = "Fuzz a Cognate server with requests from its service model"
)]
struct Args {
    /// Fuzz an already running server (e.g. http://127.0.0.1:9229) instead of starting one.
    #[arg(long)]
    url: Option<String>,
    /// With --url: the server's data dir, to read delivered codes from its outbox.
    #[arg(long, requires = "url")]
    data_dir: Option<PathBuf>,
    /// The `cognate` binary to start (default: the one next to this executable).
    #[arg(long, conflicts_with = "url")]
    server_bin: Option<PathBuf>,
    /// Seed of the request generator (default: from the clock; printed either way).
    #[arg(long)]
    seed: Option<u64>,
    /// Number of fuzz requests.
    #[arg(long, default_value_t = 20_000)]
    requests: u64,
    /// Parallel connections.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Seconds to wait for one answer before counting it as a dropped request.
    #[arg(long, default_value_t = 60)]
    timeout_secs: u64,
    /// Where findings' full requests are written (default: a temp dir named after the seed).
    #[arg(long)]
    findings_dir: Option<PathBuf>,
    /// Print the valid-looking requests of this operation and their answers (tuning aid).
    #[arg(long)]
    trace: Option<String>,
}

fn main() {
    match run() {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("cognate-fuzz: error: {e:#}");
            println!("cognate-fuzz: FAIL (could not run: {e})");
            std::process::exit(2);
        }
    }
}

fn run() -> anyhow::Result<bool> {
    let args = Args::parse();
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    });
    let model = model::Model::load()?;
    let mut server = match &args.url {
        Some(url) => Server::attach(url, args.data_dir.clone())?,
        None => {
            let bin = args
                .server_bin
                .clone()
                .or_else(server::default_binary)
                .ok_or_else(|| {
                    anyhow!("no `cognate` binary next to cognate-fuzz; pass --server-bin or --url")
                })?;
            Server::start(&bin)?
        }
    };
    eprintln!(
        "[cognate-fuzz] seed {seed}, {} requests, concurrency {}, server http://{}",
        args.requests, args.concurrency, server.addr
    );

    let mut api = api::Api::new(server.addr);
    let mut known = state::Known::default();
    let mut setup_rng = rng::Rng::new(seed);
    let setup_started = Instant::now();
    let canary = canary::Canary::create(&mut api, &mut known, &mut setup_rng)?;
    let core_pools = setup::run(&mut api, &mut known)?;
    eprintln!(
        "[cognate-fuzz] setup done in {:.1}s",
        setup_started.elapsed().as_secs_f64()
    );

    let known = Arc::new(Mutex::new(known));
    let stop = Arc::new(AtomicBool::new(false));
    let follower = server.data_dir.clone().map(|dir| {
        let (k, s) = (known.clone(), stop.clone());
        std::thread::spawn(move || outbox::follow(dir, k, s))
    });
    let gen = generator::Generator::new(&model);
    let started = Instant::now();
    let run = runner::Run {
        gen: &gen,
        known: known.clone(),
        addr: server.addr,
        seed,
        requests: args.requests,
        concurrency: args.concurrency,
        timeout: Duration::from_secs(args.timeout_secs),
        healer: Mutex::new(heal::Healer {
            api: api::Api::new(server.addr),
            pools: core_pools,
            heals: 0,
        }),
        trace: args.trace.clone(),
    };
    let (stats, dead) = run.go();
    let heals = run.healer.lock().map(|h| h.heals).unwrap_or(0);
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    if let Some(f) = follower {
        let _ = f.join();
    }

    let mut problems = Vec::new();
    if dead {
        problems.push("the server stopped answering".to_owned());
    }
    if let Some(why) = server.down() {
        problems.push(format!("server not alive at the end: {why}"));
    }
    let canary_problems = if problems.is_empty() {
        canary.verify(&mut api)
    } else {
        vec!["not checked (server down)".to_owned()]
    };
    // Let the stderr reader catch up with the last lines.
    std::thread::sleep(Duration::from_millis(300));
    let outcome = report::Outcome {
        seed,
        requests: args.requests,
        elapsed,
        stats,
        problems,
        canary_problems,
        heals,
        watched: server.watched(),
        watch: server.watch.clone(),
        findings_dir: args
            .findings_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join(format!("cognate-fuzz-findings-{seed}"))),
    };
    Ok(outcome.print())
}
