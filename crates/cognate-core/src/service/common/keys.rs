//! Each user pool has two RS256 signing keys (ID tokens, access tokens), generated when the
//! pool is created, sealed under the master key in the store, and cached (`key_cache`) once
//! unsealed.
//! Keys never change, so the cache cannot go stale; any instance can load them.

use std::sync::Arc;

use crate::crypto::keys::SigningKey256;
use crate::model::SigningKeyRecord;
use crate::random::RandomExt;
use crate::service::common::key_cache::TokenKeys;
use crate::service::Ctx;
use crate::store::StoreError;
use crate::{CognitoError, Result};

fn seal_context(pool_id: &str, purpose: &str) -> String {
    format!("signing-key:{pool_id}:{purpose}")
}

async fn load(
    ctx: &Ctx<'_>,
    pool_id: &str,
) -> Result<(Option<SigningKey256>, Option<SigningKey256>)> {
    let (mut id, mut access) = (None, None);
    for r in ctx.store.list_signing_keys(pool_id).await? {
        let der = ctx
            .sealer
            .open(&seal_context(pool_id, &r.purpose), &r.sealed_private_key)
            .ok_or_else(|| {
                CognitoError::internal(format!("cannot unseal key {} (wrong master key?)", r.kid))
            })?;
        let key = SigningKey256::from_pkcs8_der(&der).map_err(CognitoError::internal)?;
        match r.purpose.as_str() {
            "id" => id = Some(key),
            "access" => access = Some(key),
            _ => {}
        }
    }
    Ok((id, access))
}

async fn create(ctx: &Ctx<'_>, pool_id: &str, purpose: &str) -> Result<()> {
    // RSA key generation takes ~100 ms: off the runtime, seeded from the injected randomness.
    let seed = ctx.random.bytes::<32>();
    let key = ctx
        .offload(move || SigningKey256::generate_from_seed(seed))
        .await?
        .map_err(CognitoError::internal)?;
    let der = key.to_pkcs8_der().map_err(CognitoError::internal)?;
    let record = SigningKeyRecord {
        pool_id: pool_id.to_owned(),
        kid: key.kid.clone(),
        purpose: purpose.to_owned(),
        sealed_private_key: ctx
            .sealer
            .seal(ctx.random, &seal_context(pool_id, purpose), &der),
        created: ctx.now,
    };
    match ctx.store.insert_signing_key(&record).await {
        // Another instance created it first: theirs wins, we reload.
        Ok(()) | Err(StoreError::Conflict { .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The pool's keys, generating any that are missing.
pub async fn pool_keys(ctx: &Ctx<'_>, pool_id: &str) -> Result<Arc<TokenKeys>> {
    if let Some(k) = ctx.keys.get(pool_id) {
        return Ok(k);
    }
    let (mut id, mut access) = load(ctx, pool_id).await?;
    if id.is_none() || access.is_none() {
        if id.is_none() {
            create(ctx, pool_id, "id").await?;
        }
        if access.is_none() {
            create(ctx, pool_id, "access").await?;
        }
        (id, access) = load(ctx, pool_id).await?;
    }
    let (Some(id), Some(access)) = (id, access) else {
        return Err(CognitoError::internal(format!(
            "signing keys of {pool_id} missing"
        )));
    };
    let keys = Arc::new(TokenKeys { id, access });
    ctx.keys.put(pool_id, keys.clone());
    Ok(keys)
}
