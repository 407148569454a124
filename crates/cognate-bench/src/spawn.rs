//! `--spawn <command>`: start the server, time until its port answers; RSS from /proc.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tokio::process::{Child, Command};

pub struct Spawned {
    pub child: Child,
    pub url: String,
    pub startup: Duration,
    _dir: tempfile::TempDir,
}

/// Runs `command` with `sh -c 'exec ...'` after replacing `{port}` with a free port and `{dir}`
/// with a fresh temporary directory; waits (up to 60 s) until the port accepts a connection.
pub async fn spawn(command: &str) -> anyhow::Result<Spawned> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let dir = tempfile::Builder::new()
        .prefix("cognate-bench-")
        .tempdir()?;
    let cmd = command
        .replace("{port}", &port.to_string())
        .replace("{dir}", &dir.path().display().to_string());
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec {cmd}"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        // Request logs (moto writes a line per call) would cost the server and flood the report.
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {cmd}"))?;
    let addr = format!("127.0.0.1:{port}");
    loop {
        if tokio::net::TcpStream::connect(&addr).await.is_ok() {
            break;
        }
        if let Some(status) = child.try_wait()? {
            bail!("{cmd} exited with {status} before its port answered");
        }
        if start.elapsed() > Duration::from_secs(60) {
            bail!("{cmd}: port {port} did not answer in 60 s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(Spawned {
        child,
        url: format!("http://{addr}"),
        startup: start.elapsed(),
        _dir: dir,
    })
}

/// (VmRSS, VmHWM) in kB of a process.
pub fn rss_kb(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
