//! cognate-bench: throughput and latency of a Cognito-compatible server (Cognate, moto,
//! cognito-local, ...) over plain AWS JSON 1.1, with its own pool, client and users.

mod clock;
mod crypto;
mod fill;
mod hello;
mod http;
mod ops;
mod report;
mod runner;
mod setup;
mod spawn;
mod srp;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};

use crate::clock::{ServerClock, Tickets};
use crate::http::{host_port, Conn};
use crate::ops::{Ctx, Op};

#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measure one server.
    Run(Box<RunArgs>),
    /// Serve `{}` to every request (the machine's ceiling).
    Hello {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
    },
    /// Micro-benchmarks of the crypto primitives (RS256, SRP exponentiation, argon2id), each
    /// next to its alternative, as a Markdown table.
    Crypto {
        /// Seconds per primitive.
        #[arg(long, default_value_t = 2.0)]
        seconds: f64,
    },
    /// Side-by-side Markdown table of several `run --json` files (the first is the one compared).
    Compare { files: Vec<String> },
}

#[derive(Args)]
struct RunArgs {
    /// The server, e.g. http://127.0.0.1:9229
    #[arg(long, required_unless_present = "spawn")]
    url: Option<String>,
    /// Start the server with this shell command; `{port}` and `{dir}` are filled in.
    #[arg(long)]
    spawn: Option<String>,
    /// The server's process id, for its RSS (implied by --spawn).
    #[arg(long)]
    pid: Option<u32>,
    /// Name in reports.
    #[arg(long, default_value = "server")]
    name: String,
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    #[arg(long, value_delimiter = ',', default_value = "1,8,32")]
    concurrency: Vec<usize>,
    /// Operations (keys: get-user, list-users-filter, associate-software-token, srp-sign-in,
    /// password-sign-in, refresh-token, admin-create-user, verify-software-token,
    /// totp-sign-in, hello); all but hello by default.
    #[arg(long, value_delimiter = ',')]
    ops: Vec<String>,
    /// Signed-in users without MFA.
    #[arg(long, default_value_t = 32)]
    users: usize,
    /// Users with TOTP; each sends one code per 30 s step.
    #[arg(long, default_value_t = 200)]
    totp_users: usize,
    /// Use this pool (one an earlier run created, e.g. filled with --fill-users) instead of
    /// creating one; needs --client-id.
    #[arg(long, requires = "client_id")]
    pool_id: Option<String>,
    /// The app client of --pool-id (the earlier run prints both).
    #[arg(long, requires = "pool_id")]
    client_id: Option<String>,
    /// A load kept up while each point runs, as OP:CONCURRENCY (e.g. password-sign-in:16): the
    /// points then show the measured operations under that load, and the load's own rate is
    /// added as a point of its own.
    #[arg(long, value_parser = parse_background)]
    background: Option<(Op, usize)>,
    /// Users imported into the pool before the run (Cognate's user import jobs), to measure
    /// the operations on a pool of that size.
    #[arg(long, default_value_t = 0)]
    fill_users: usize,
    #[arg(long)]
    json: Option<String>,
    /// Created once setup is done (for a profiler to start after it).
    #[arg(long)]
    ready_file: Option<String>,
    /// Exit with 1 when any call failed.
    #[arg(long)]
    fail_on_error: bool,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.command {
        Command::Hello { listen } => rt.block_on(hello::serve(&listen)),
        Command::Compare { files } => {
            let mut runs = Vec::new();
            for f in files {
                let text = std::fs::read_to_string(&f).with_context(|| format!("reading {f}"))?;
                runs.push(serde_json::from_str(&text).with_context(|| format!("parsing {f}"))?);
            }
            print!("{}", report::compare(&runs));
            Ok(())
        }
        Command::Run(args) => rt.block_on(run(*args)),
        Command::Crypto { seconds } => crypto::run(seconds),
    }
}

fn parse_background(s: &str) -> Result<(Op, usize), String> {
    let (op, c) = s.split_once(':').ok_or("expected OP:CONCURRENCY")?;
    let op = Op::parse(op).ok_or_else(|| format!("unknown operation {op}"))?;
    let c = c.parse::<usize>().map_err(|e| e.to_string())?;
    Ok((op, c.max(1)))
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    let ops: Vec<Op> = if args.ops.is_empty() {
        ops::ALL.to_vec()
    } else {
        args.ops
            .iter()
            .map(|k| Op::parse(k).with_context(|| format!("unknown operation {k}")))
            .collect::<anyhow::Result<_>>()?
    };
    let mut spawned = match &args.spawn {
        Some(cmd) => Some(spawn::spawn(cmd).await?),
        None => None,
    };
    let url = match (&spawned, &args.url) {
        (Some(s), _) => s.url.clone(),
        (None, Some(u)) => u.clone(),
        (None, None) => bail!("--url or --spawn"),
    };
    let pid = args.pid.or(spawned.as_ref().and_then(|s| s.child.id()));
    let addr = host_port(&url);
    let setup_start = Instant::now();
    let ctx = Arc::new(build_ctx(&addr, &ops, &args).await?);
    let mut run = report::Run {
        target: args.name.clone(),
        url: url.clone(),
        test_clock: ctx.clock.is_test_clock(),
        clock_advances: 0,
        startup_ms: spawned.as_ref().map(|s| s.startup.as_secs_f64() * 1000.0),
        rss: Vec::new(),
        setup_seconds: setup_start.elapsed().as_secs_f64(),
        points: Vec::new(),
    };
    let record_rss = |run: &mut report::Run, when: &str| {
        if let Some((rss, hwm)) = pid.and_then(spawn::rss_kb) {
            run.rss.push((when.to_owned(), rss, hwm));
        }
    };
    record_rss(&mut run, "after setup");
    if let Some(path) = &args.ready_file {
        std::fs::write(path, b"ready\n")?;
    }
    for &op in &ops {
        let unsupported = probe(&ctx, &addr, op).await;
        for &c in &args.concurrency {
            let point = match &unsupported {
                Some(why) => runner::unsupported(op, c, why),
                None => {
                    if op.needs_totp() {
                        ctx.fresh_step().await;
                    }
                    let background = args.background.map(|(bg_op, bg_c)| {
                        let (ctx, addr, secs) = (ctx.clone(), addr.clone(), args.seconds);
                        tokio::spawn(async move {
                            runner::run_point(ctx, &addr, bg_op, bg_c, secs).await
                        })
                    });
                    let mut point =
                        runner::run_point(ctx.clone(), &addr, op, c, args.seconds).await;
                    if let Some(task) = background {
                        let mut bg = task.await.context("background load")?;
                        point.label = format!("{} (under load)", point.label);
                        point.note = Some(format!(
                            "while {} ran at concurrency {}: {:.0}/s",
                            bg.label, bg.concurrency, bg.rps
                        ));
                        bg.label = format!("{} (the load)", bg.label);
                        bg.note = Some(format!("beside {} at concurrency {c}", op.label()));
                        run.points.push(bg);
                    }
                    point
                }
            };
            eprintln!(
                "{:<32} c={:<3} {:>8.0}/s p50 {:>7.1} ms p99 {:>7.1} ms errors {:?} {}",
                point.label,
                c,
                point.rps,
                point.p50_ms,
                point.p99_ms,
                point
                    .errors
                    .iter()
                    .map(|(k, (n, _))| (k, n))
                    .collect::<Vec<_>>(),
                point.note.as_deref().unwrap_or("")
            );
            run.points.push(point);
        }
    }
    run.clock_advances = ctx.clock.advances.load(Ordering::Relaxed);
    record_rss(&mut run, "after the run");
    println!("{}", report::markdown(&run));
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report::to_json(&run))?)?;
    }
    if let Some(s) = spawned.as_mut() {
        let _ = s.child.kill().await;
    }
    let errors: u64 = run
        .points
        .iter()
        .flat_map(|p| p.errors.values().map(|e| e.0))
        .sum();
    let unsupported = run
        .points
        .iter()
        .filter(|p| {
            p.note
                .as_deref()
                .is_some_and(|n| n.starts_with("not supported"))
        })
        .count();
    if args.fail_on_error && (errors > 0 || unsupported > 0) {
        bail!("{errors} calls failed, {unsupported} points not supported");
    }
    Ok(())
}

/// Why `op` cannot be measured here (its setup failed, or one call of it failed), if so.
async fn probe(ctx: &Arc<Ctx>, addr: &str, op: Op) -> Option<String> {
    if op == Op::Hello {
        return None;
    }
    if op.needs_totp() {
        if let Some(why) = &ctx.pool.totp_unsupported {
            return Some(why.clone());
        }
        if ctx.tickets.as_ref().is_none_or(|t| t.users.is_empty()) {
            return Some("no TOTP users could be set up".into());
        }
        // A probe would spend a code; the measurement counts failures itself.
        return None;
    }
    let mut conn = Conn::new(addr);
    match ctx.run_once(op, &mut conn, 63, u64::MAX / 128).await {
        ops::Outcome::Err(e) => Some(e.to_string().chars().take(200).collect()),
        _ => None,
    }
}

async fn build_ctx(addr: &str, ops: &[Op], args: &RunArgs) -> anyhow::Result<Ctx> {
    let mut conn = Conn::new(addr);
    let clock = ServerClock::detect(addr).await;
    let tag = format!(
        "{:x}",
        std::process::id() ^ (Instant::now().elapsed().as_nanos() as u32)
    );
    if ops.iter().all(|o| *o == Op::Hello) {
        let pool = setup::Pool {
            pool_id: String::new(),
            client_id: String::new(),
            totp_unsupported: None,
        };
        return Ok(Ctx {
            pool,
            users: Vec::new(),
            tickets: None,
            clock,
            tag,
            created: Default::default(),
        });
    }
    let tag = format!(
        "{tag}{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() % 100_000)
            .unwrap_or(0)
    );
    let pool = Arc::new(match (&args.pool_id, &args.client_id) {
        (Some(pool_id), Some(client_id)) => setup::Pool {
            pool_id: pool_id.clone(),
            client_id: client_id.clone(),
            totp_unsupported: None,
        },
        _ => setup::create_pool(&mut conn, &tag)
            .await
            .map_err(|e| anyhow::anyhow!("setting up the pool: {e}"))?,
    });
    eprintln!("pool {} client {}", pool.pool_id, pool.client_id);
    if args.fill_users > 0 {
        let secs = fill::fill(addr, &pool, args.fill_users)
            .await
            .map_err(|e| anyhow::anyhow!("filling the pool: {e}"))?;
        eprintln!(
            "imported {} users in {secs:.1} s ({:.0}/s)",
            args.fill_users,
            args.fill_users as f64 / secs
        );
    }
    // Names carry the run's tag, so that runs can share a pool (--pool-id).
    let (p, t) = (pool.clone(), tag.clone());
    let users = setup::create_many(addr, args.users, 8, move |mut c: Conn, i| {
        let (p, name) = (p.clone(), format!("u{i}-{t}"));
        async move {
            let r = setup::create_user(&mut c, &p, &name).await;
            (c, r)
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("creating users: {e}"))?;
    let clock = Arc::new(clock);
    let mut tickets = None;
    let mut totp_unsupported = pool.totp_unsupported.clone();
    if ops.iter().any(|o| o.needs_totp()) && totp_unsupported.is_none() {
        let (p, ck, t) = (pool.clone(), clock.clone(), tag.clone());
        match setup::create_many(addr, args.totp_users, 8, move |mut c: Conn, i| {
            let (p, ck, name) = (p.clone(), ck.clone(), format!("t{i}-{t}"));
            async move {
                let r = setup::create_totp_user(&mut c, &p, &ck, &name).await;
                (c, r)
            }
        })
        .await
        {
            Ok(u) => tickets = Some(Tickets::new(u)),
            Err(e) => totp_unsupported = Some(format!("setting up TOTP users: {e}")),
        }
    }
    let clock = Arc::try_unwrap(clock).map_err(|_| anyhow::anyhow!("clock still shared"))?;
    let pool = Arc::try_unwrap(pool).map_err(|_| anyhow::anyhow!("pool still shared"))?;
    let pool = setup::Pool {
        totp_unsupported,
        ..pool
    };
    Ok(Ctx {
        pool,
        users,
        tickets,
        clock,
        tag,
        created: Default::default(),
    })
}
