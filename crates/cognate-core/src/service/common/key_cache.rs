//! The in-memory cache of unsealed signing keys: the only state Cognate keeps in process
//! memory. Keys never change once created, so the cache cannot go stale.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::crypto::keys::SigningKey256;

/// A pool's two token-signing keys.
#[derive(Debug, Clone)]
pub struct TokenKeys {
    pub id: SigningKey256,
    pub access: SigningKey256,
}

/// Unsealed keys by pool id.
#[derive(Default)]
pub struct KeyCache(Mutex<HashMap<String, Arc<TokenKeys>>>);

impl KeyCache {
    pub fn get(&self, pool_id: &str) -> Option<Arc<TokenKeys>> {
        self.0.lock().ok()?.get(pool_id).cloned()
    }
    pub fn put(&self, pool_id: &str, keys: Arc<TokenKeys>) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(pool_id.to_owned(), keys);
        }
    }
    /// Forgets a deleted pool's keys.
    pub fn remove(&self, pool_id: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(pool_id);
        }
    }
}
