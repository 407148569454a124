//! The in-memory cache of unsealed signing keys, and of the access tokens they have verified:
//! the only state Cognate keeps in process memory. Keys never change once created, so the
//! cache cannot go stale; a deleted pool's keys are forgotten.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::crypto::keys::SigningKey256;
use crate::service::common::verified_tokens::VerifiedTokens;

/// A pool's two token-signing keys.
#[derive(Debug, Clone)]
pub struct TokenKeys {
    pub id: SigningKey256,
    pub access: SigningKey256,
}

/// Unsealed keys by pool id, and the tokens whose signatures they have verified.
#[derive(Default)]
pub struct KeyCache {
    keys: Mutex<HashMap<String, Arc<TokenKeys>>>,
    pub verified: VerifiedTokens,
}

impl KeyCache {
    pub fn get(&self, pool_id: &str) -> Option<Arc<TokenKeys>> {
        self.keys.lock().ok()?.get(pool_id).cloned()
    }
    pub fn put(&self, pool_id: &str, keys: Arc<TokenKeys>) {
        if let Ok(mut m) = self.keys.lock() {
            m.insert(pool_id.to_owned(), keys);
        }
    }
    /// Forgets a deleted pool's keys and every verified token (the pool's among them).
    pub fn remove(&self, pool_id: &str) {
        if let Ok(mut m) = self.keys.lock() {
            m.remove(pool_id);
        }
        self.verified.clear();
    }
}
