//! The access keys signed operations are verified against: one pair from the environment and
//! any number from an AWS shared-credentials file, which is reloaded when it changes (its
//! metadata is looked at, at most once a second, when a signed request arrives). A file that
//! fails to load keeps the previous keys. Secrets never reach a log line or a `Debug` output.

mod ini;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use zeroize::Zeroizing;

/// How often, at most, the credentials file's metadata is looked at.
pub const RELOAD_INTERVAL: Duration = Duration::from_secs(1);

/// An access key id and its secret access key.
#[derive(Clone)]
pub struct AccessKey {
    pub id: String,
    secret: Zeroizing<Vec<u8>>,
}

impl AccessKey {
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> anyhow::Result<Self> {
        let id = id.into();
        let secret = Zeroizing::new(secret.into().into_bytes());
        let id_ok = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b',' | b'=' | b';'));
        if !id_ok {
            anyhow::bail!(
                "the access key id must be printable ASCII without spaces, '/', ',', ';' or '='"
            );
        }
        if secret.is_empty() {
            anyhow::bail!("the secret access key of {id} is empty");
        }
        Ok(Self { id, secret })
    }

    pub fn secret(&self) -> &[u8] {
        &self.secret
    }
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Access key id -> secret, as of one moment.
#[derive(Default)]
pub struct KeySet(HashMap<String, AccessKey>);

impl KeySet {
    pub fn secret(&self, id: &str) -> Option<&[u8]> {
        self.0.get(id).map(AccessKey::secret)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The file's keys and then the environment's pair, which wins over a file entry with the
    /// same id.
    fn merge(fixed: Option<&AccessKey>, from_file: Vec<AccessKey>) -> Self {
        let mut map: HashMap<String, AccessKey> =
            from_file.into_iter().map(|k| (k.id.clone(), k)).collect();
        if let Some(k) = fixed {
            map.insert(k.id.clone(), k.clone());
        }
        Self(map)
    }
}

pub struct Credentials {
    fixed: Option<AccessKey>,
    file: Option<FileSource>,
    keys: RwLock<Arc<KeySet>>,
}

struct FileSource {
    path: PathBuf,
    watch: Mutex<Watch>,
}

struct Watch {
    last_check: Instant,
    seen: Seen,
}

/// What the file looked like when last read (or failed to be).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    File {
        modified: Option<SystemTime>,
        len: u64,
    },
    Unreadable,
}

impl Seen {
    fn of(meta: std::io::Result<std::fs::Metadata>) -> Self {
        match meta {
            Ok(m) => Self::File {
                modified: m.modified().ok(),
                len: m.len(),
            },
            Err(_) => Self::Unreadable,
        }
    }
}

impl Credentials {
    /// `None` when no credentials are configured at all. A file that cannot be read or parsed
    /// is an error here, at start.
    pub fn load(fixed: Option<AccessKey>, file: Option<&Path>) -> anyhow::Result<Option<Self>> {
        if fixed.is_none() && file.is_none() {
            return Ok(None);
        }
        let mut from_file = Vec::new();
        let file = match file {
            None => None,
            Some(path) => {
                let seen = Seen::of(std::fs::metadata(path));
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading the credentials file {}", path.display()))?;
                from_file = ini::parse(&text)
                    .map_err(|e| anyhow::anyhow!("credentials file {}: {e}", path.display()))?;
                warn_if_readable_by_others(path);
                Some(FileSource {
                    path: path.to_owned(),
                    watch: Mutex::new(Watch {
                        last_check: Instant::now(),
                        seen,
                    }),
                })
            }
        };
        let keys = KeySet::merge(fixed.as_ref(), from_file);
        Ok(Some(Self {
            fixed,
            file,
            keys: RwLock::new(Arc::new(keys)),
        }))
    }

    /// How many access keys are in force.
    pub fn key_count(&self) -> usize {
        self.current().len()
    }

    /// The keys now; the credentials file is reloaded first if it changed and was last looked at
    /// more than [`RELOAD_INTERVAL`] ago.
    pub async fn keys(&self) -> Arc<KeySet> {
        if let Some(file) = &self.file {
            self.reload_if_changed(file).await;
        }
        self.current()
    }

    fn current(&self) -> Arc<KeySet> {
        match self.keys.read() {
            Ok(k) => k.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    async fn reload_if_changed(&self, file: &FileSource) {
        {
            let mut watch = lock(&file.watch);
            if watch.last_check.elapsed() < RELOAD_INTERVAL {
                return;
            }
            watch.last_check = Instant::now();
        }
        let seen = Seen::of(tokio::fs::metadata(&file.path).await);
        if lock(&file.watch).seen == seen {
            return;
        }
        let loaded = match seen {
            Seen::Unreadable => Err("cannot be read".to_owned()),
            Seen::File { .. } => match tokio::fs::read_to_string(&file.path).await {
                Ok(text) => ini::parse(&text),
                Err(e) => Err(format!("cannot be read: {}", e.kind())),
            },
        };
        lock(&file.watch).seen = seen;
        let path = file.path.display();
        match loaded {
            Ok(from_file) => {
                let keys = KeySet::merge(self.fixed.as_ref(), from_file);
                let count = keys.len();
                match self.keys.write() {
                    Ok(mut k) => *k = Arc::new(keys),
                    Err(poisoned) => *poisoned.into_inner() = Arc::new(keys),
                }
                tracing::info!(path = %path, keys = count, "credentials file reloaded");
            }
            Err(error) => tracing::error!(
                path = %path,
                error = %error,
                "credentials file not reloaded; the previous keys stay in force"
            ),
        }
    }
}

fn lock(m: &Mutex<Watch>) -> MutexGuard<'_, Watch> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                "the credentials file is readable by other users; chmod 600 it"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests;
