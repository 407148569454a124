//! The server under test: either started here (`cognate serve --listen 127.0.0.1:0` with a
//! fresh temporary data dir, stderr watched for panics and internal errors) or an already
//! running one given by URL.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, bail, Context};

/// What the server wrote to stderr that matters.
#[derive(Default)]
pub struct StderrWatch {
    pub panics: Vec<String>,
    pub errors: Vec<String>,
    pub lines: u64,
}

pub struct Server {
    pub addr: SocketAddr,
    /// The data dir, when known (its outbox holds the codes the server sent).
    pub data_dir: Option<PathBuf>,
    child: Option<Child>,
    _temp: Option<tempfile::TempDir>,
    pub watch: Arc<Mutex<StderrWatch>>,
}

/// Keeps the first lines of a kind (a flood of one error must not eat memory).
const KEEP: usize = 50;

impl Server {
    pub fn attach(url: &str, data_dir: Option<PathBuf>) -> anyhow::Result<Self> {
        let hostport = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let addr = hostport
            .to_socket_addrs()
            .with_context(|| format!("resolving {hostport}"))?
            .next()
            .ok_or_else(|| anyhow!("{hostport} resolves to nothing"))?;
        Ok(Self {
            addr,
            data_dir,
            child: None,
            _temp: None,
            watch: Default::default(),
        })
    }

    pub fn start(bin: &Path) -> anyhow::Result<Self> {
        let temp = tempfile::Builder::new()
            .prefix("cognate-fuzz-")
            .tempdir()
            .context("creating a temporary data dir")?;
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(temp.path())
            // Panics and internal errors are written whatever the level; `warn` keeps a
            // million request lines out of the pipe.
            .env(
                "COGNATE_LOG",
                std::env::var("COGNATE_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
        let stderr = child.stderr.take().ok_or_else(|| anyhow!("no stderr"))?;
        let watch: Arc<Mutex<StderrWatch>> = Default::default();
        let w = watch.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let Ok(mut w) = w.lock() else { break };
                w.lines += 1;
                if line.contains("panicked") && w.panics.len() < KEEP {
                    w.panics.push(line);
                } else if line.contains("ERROR") && w.errors.len() < KEEP {
                    w.errors.push(line);
                }
            }
        });
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                let status = child.wait().ok();
                bail!("the server exited before listening ({status:?})");
            };
            if let Some(a) = line.strip_prefix("cognate listening on http://") {
                break a.trim().parse::<SocketAddr>()?;
            }
        };
        // Keep draining stdout so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Ok(Self {
            addr,
            data_dir: Some(temp.path().to_owned()),
            child: Some(child),
            _temp: Some(temp),
            watch,
        })
    }

    /// None if the server is up (its process running, `/health` answering), else why not.
    pub fn down(&mut self) -> Option<String> {
        if let Some(child) = self.child.as_mut() {
            match child.try_wait() {
                Ok(Some(status)) => return Some(format!("the server exited: {status}")),
                Ok(None) => {}
                Err(e) => return Some(format!("cannot wait for the server: {e}")),
            }
        }
        match crate::http::get(self.addr, "/health", Duration::from_secs(10)) {
            Ok(200) => None,
            Ok(s) => Some(format!("/health answered {s}")),
            Err(e) => Some(format!("/health: {e}")),
        }
    }

    pub fn watched(&self) -> bool {
        self.child.is_some()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `cognate` next to this executable (both are built into the same target dir).
pub fn default_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.join("cognate");
    bin.exists().then_some(bin)
}
