//! The master key and the installation's token-signing keys.
//!
//! The master key comes from configuration or from `<data-dir>/master.key` (created with mode
//! 0600 on first start). Signing keys are generated on first start, sealed under the master key
//! and stored; they are never written in the clear.

use std::path::Path;

use anyhow::{anyhow, Context};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_core::clock::Timestamp;
use cognate_core::crypto::keys::SigningKey256;
use cognate_core::crypto::secret_box::SecretBox;
use cognate_core::model::SigningKeyRecord;
use cognate_core::random::{Random, RandomExt};
use cognate_core::service::TokenKeys;
use cognate_core::store::Store;

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

fn context(kid: &str) -> String {
    format!("signing-key:{kid}")
}

/// Loads the id and access signing keys, generating and storing any that are missing.
pub async fn load_signing_keys(
    store: &dyn Store,
    sealer: &SecretBox,
    random: &dyn Random,
    now: Timestamp,
) -> anyhow::Result<TokenKeys> {
    let records = store.list_signing_keys().await?;
    let mut id = None;
    let mut access = None;
    for r in &records {
        let der = sealer
            .open(&context(&r.kid), &r.sealed_private_key)
            .ok_or_else(|| anyhow!("cannot unseal signing key {}: wrong master key?", r.kid))?;
        let key = SigningKey256::from_pkcs8_der(&der).map_err(|e| anyhow!(e))?;
        match r.purpose.as_str() {
            "id" => id = Some(key),
            "access" => access = Some(key),
            _ => {}
        }
    }
    let ensure =
        async |slot: Option<SigningKey256>, purpose: &str| -> anyhow::Result<SigningKey256> {
            if let Some(k) = slot {
                return Ok(k);
            }
            let key = SigningKey256::generate(random).map_err(|e| anyhow!(e))?;
            let der = key.to_pkcs8_der().map_err(|e| anyhow!(e))?;
            store
                .insert_signing_key(&SigningKeyRecord {
                    kid: key.kid.clone(),
                    purpose: purpose.to_owned(),
                    sealed_private_key: sealer.seal(random, &context(&key.kid), &der),
                    created: now,
                })
                .await?;
            tracing::info!(kid = %key.kid, purpose, "generated a token signing key");
            Ok(key)
        };
    let id = ensure(id, "id").await?;
    let access = ensure(access, "access").await?;
    Ok(TokenKeys { id, access })
}
