//! Codes the server delivered, read from `<data-dir>/outbox.jsonl` as it grows, so that
//! ConfirmSignUp, ConfirmForgotPassword and VerifyUserAttribute can be sent the right code.

use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::state::{Code, Known};

/// Polls the outbox until `stop` is set.
pub fn follow(data_dir: PathBuf, known: Arc<Mutex<Known>>, stop: Arc<AtomicBool>) {
    let path = data_dir.join("outbox.jsonl");
    let mut offset = 0u64;
    let mut pending = String::new();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        let Ok(mut f) = std::fs::File::open(&path) else {
            continue;
        };
        if f.seek(SeekFrom::Start(offset)).is_err() {
            continue;
        }
        let mut buf = String::new();
        let Ok(n) = f.read_to_string(&mut buf) else {
            continue;
        };
        offset += n as u64;
        pending.push_str(&buf);
        let Some(end) = pending.rfind('\n') else {
            continue;
        };
        let complete: String = pending.drain(..=end).collect();
        let Ok(mut known) = known.lock() else {
            return;
        };
        for line in complete.lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
            if let (Some(pool), Some(username), Some(code)) =
                (field("pool_id"), field("username"), field("code"))
            {
                // Codes of pools the fuzzer does not know (the canary's) are skipped.
                known.add_code(Code {
                    pool,
                    username,
                    code,
                    kind: field("kind").unwrap_or_default(),
                });
            }
        }
    }
}
