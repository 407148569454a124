//! The master key, which seals secrets at rest (the pools' signing keys among them).
//!
//! It comes from configuration or from `<data-dir>/master.key` (created with mode 0600 on first
//! start).

use std::path::Path;

use anyhow::{anyhow, Context};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_core::crypto::secret_box::SecretBox;
use cognate_core::random::{Random, RandomExt};

pub fn load_master_key(
    configured: Option<&str>,
    data_dir: &Path,
    random: &dyn Random,
) -> anyhow::Result<SecretBox> {
    let encoded = match configured {
        Some(k) => k.trim().to_owned(),
        None => {
            let path = data_dir.join("master.key");
            if path.exists() {
                if crate::private_files::readable_by_others(&path).unwrap_or(false) {
                    tracing::warn!(
                        path = %path.display(),
                        "the master key file can be read by other users: chmod 600 it"
                    );
                }
                std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?
            } else {
                let key = STANDARD.encode(random.bytes::<32>());
                write_private_file(&path, key.as_bytes())?;
                key
            }
        }
    };
    let bytes = STANDARD
        .decode(encoded.trim())
        .map_err(|_| anyhow!("the master key must be base64 of 32 bytes"))?;
    let key: [u8; 32] = bytes
        .try_into()
        .map_err(|_| anyhow!("the master key must be base64 of 32 bytes"))?;
    Ok(SecretBox::new(key))
}

fn write_private_file(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(contents)?;
    f.sync_all()?;
    Ok(())
}
