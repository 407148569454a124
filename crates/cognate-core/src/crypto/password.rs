//! argon2id password hashing (PHC strings). Expensive by design: callers run it off the async
//! runtime (see `service::Ctx::hash_password`).
//!
//! argon2id needs 19 MiB of working memory per hash. Allocating and freeing that for every
//! hash leaves it with the allocator, which keeps freed blocks of this size in its arenas: a
//! burst of concurrent sign-ins used to leave gigabytes resident. Instead each thread keeps one
//! working area and reuses it for every hash it computes; on the server, hashes run on a fixed
//! set of worker threads, so the memory is bounded by their number.

use std::cell::RefCell;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// The argon2id cost of new hashes. Every hash carries its own parameters (PHC string), so a
/// change of profile never breaks existing hashes; [`needs_rehash`] tells a sign-in to store a
/// hash at the current profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HashProfile {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl HashProfile {
    /// OWASP's argon2id minimum recommendation: 19 MiB, 2 iterations, 1 lane. The default.
    pub const PRODUCTION: Self = Self {
        m_cost_kib: 19 * 1024,
        t_cost: 2,
        p_cost: 1,
    };
    /// For development and test suites only: argon2id at its smallest cost (8 KiB, one pass),
    /// thousands of times cheaper than [`Self::PRODUCTION`]. Offers no protection to a stolen
    /// database.
    pub const TEST: Self = Self {
        m_cost_kib: 8,
        t_cost: 1,
        p_cost: 1,
    };

    fn params(self) -> Params {
        Params::new(self.m_cost_kib, self.t_cost, self.p_cost, None).unwrap_or_default()
    }
}

/// The most working memory a thread keeps for reuse: what the production profile needs.
fn scratch_blocks() -> usize {
    HashProfile::PRODUCTION.params().block_count()
}

thread_local! {
    /// This thread's argon2 working memory, grown on first use to what a hash needs (at most
    /// [`scratch_blocks`]).
    static SCRATCH: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs `argon2` into `out`, in this thread's reusable working memory.
fn compute(
    argon2: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    let needed = argon2.params().block_count();
    if needed > scratch_blocks() {
        // Costlier parameters than the production profile's: a one-off allocation, so such a
        // hash cannot make a thread hold more memory for good.
        return argon2.hash_password_into(password, salt, out);
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut blocks) => {
            if blocks.len() < needed {
                blocks.resize(needed, Block::default());
            }
            argon2.hash_password_into_with_memory(password, salt, out, &mut blocks[..needed])
        }
        // Only if a hash could run inside another on one thread; never the case, but not a panic.
        Err(_) => argon2.hash_password_into(password, salt, out),
    })
}

/// Hashes `password` with a 16-byte `salt` at `profile`'s cost.
pub fn hash(password: &str, salt: &[u8; 16], profile: HashProfile) -> Result<String, String> {
    let params = profile.params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(&argon2, password.as_bytes(), salt, &mut out).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(salt).map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(phc.to_string())
}

/// Runs a full verification against a fixed hash of a random password at `profile`'s cost
/// (computed once per profile), for answers that must cost what a real check costs.
pub fn verify_dummy(password: &str, profile: HashProfile) {
    static DUMMIES: std::sync::Mutex<Vec<(HashProfile, String)>> =
        std::sync::Mutex::new(Vec::new());
    let phc = {
        let mut dummies = DUMMIES.lock().unwrap_or_else(|e| e.into_inner());
        match dummies.iter().find(|(p, _)| *p == profile) {
            Some((_, phc)) => phc.clone(),
            None => {
                let phc = hash("cognate: no user has this password", &[0x5a; 16], profile)
                    .unwrap_or_default();
                dummies.push((profile, phc.clone()));
                phc
            }
        }
    };
    let _ = verify(password, &phc);
}

/// Whether a PHC string was made at another cost than `profile` (or is not argon2id v19): the
/// next successful sign-in stores a new hash.
pub fn needs_rehash(phc: &str, profile: HashProfile) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    let current = Params::try_from(&parsed).ok().map(|p| HashProfile {
        m_cost_kib: p.m_cost(),
        t_cost: p.t_cost(),
        p_cost: p.p_cost(),
    });
    parsed.algorithm != Algorithm::Argon2id.ident()
        || parsed.version != Some(Version::V0x13.into())
        || current != Some(profile)
}

/// Checks `password` against a PHC string (constant-time comparison of the outputs).
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = [0u8; Output::MAX_LENGTH];
    let Some(out) = out.get_mut(..expected.len()) else {
        return false;
    };
    let argon2 = Argon2::new(algorithm, version, params);
    if compute(&argon2, password.as_bytes(), salt, out).is_err() {
        return false;
    }
    // `Output`'s equality is constant-time.
    Output::new(out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher as _, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};

    #[test]
    fn hash_then_verify() {
        let h = super::hash("Passw0rd!", &[7u8; 16], super::HashProfile::PRODUCTION).expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!h.contains("Passw0rd!"));
        assert!(super::verify("Passw0rd!", &h));
        assert!(!super::verify("Passw0rd?", &h));
        assert!(!super::verify("Passw0rd!", "not a phc"));
    }

    #[test]
    fn same_strings_as_the_argon2_crate_and_reusable_memory() {
        let salt = [9u8; 16];
        let reference = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            super::HashProfile::PRODUCTION.params(),
        )
        .hash_password(b"Passw0rd!", &SaltString::encode_b64(&salt).expect("salt"))
        .expect("reference hash")
        .to_string();
        // The first hash on this thread fills the working memory; the second reuses it.
        let hash = || super::hash("Passw0rd!", &salt, super::HashProfile::PRODUCTION);
        assert_eq!(hash().expect("hash"), reference);
        assert_eq!(hash().expect("hash"), reference);
        assert!(super::verify("Passw0rd!", &reference));
        assert!(!super::verify("passw0rd!", &reference));
    }

    #[test]
    fn verifies_hashes_with_other_parameters() {
        let salt = SaltString::encode_b64(&[3u8; 16]).expect("salt");
        for (m, t, p) in [(1024, 1, 1), (8 * 1024, 3, 2), (32 * 1024, 1, 1)] {
            let params = Params::new(m, t, p, None).expect("params");
            for algorithm in [Algorithm::Argon2id, Algorithm::Argon2i] {
                let phc = Argon2::new(algorithm, Version::V0x13, params.clone())
                    .hash_password(b"s3cret", &salt)
                    .expect("hash")
                    .to_string();
                assert!(super::verify("s3cret", &phc), "{phc}");
                assert!(!super::verify("s3cret!", &phc), "{phc}");
            }
        }
    }

    #[test]
    fn profiles_are_stored_with_the_hash_and_upgraded() {
        use super::{hash, needs_rehash, verify, HashProfile};
        let test = hash("Passw0rd!", &[1u8; 16], HashProfile::TEST).expect("hash");
        assert!(test.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{test}");
        // a hash made under one profile verifies under any: its parameters travel with it
        assert!(verify("Passw0rd!", &test));
        assert!(!verify("Passw0rd?", &test));
        assert!(needs_rehash(&test, HashProfile::PRODUCTION));
        assert!(!needs_rehash(&test, HashProfile::TEST));
        let prod = hash("Passw0rd!", &[1u8; 16], HashProfile::PRODUCTION).expect("hash");
        assert!(!needs_rehash(&prod, HashProfile::PRODUCTION));
        assert!(needs_rehash(&prod, HashProfile::TEST));
        assert!(needs_rehash("not a phc", HashProfile::TEST));
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            HashProfile::TEST.params(),
        )
        .hash_password(b"x", &SaltString::encode_b64(&[2u8; 16]).expect("salt"))
        .expect("hash")
        .to_string();
        assert!(needs_rehash(&argon2i, HashProfile::TEST));
    }

    #[test]
    fn the_test_profile_is_far_cheaper() {
        use super::HashProfile;
        // Work, not time (timings belong to the benchmark): memory blocks times passes.
        let work = |p: HashProfile| p.params().block_count() as u32 * p.t_cost;
        assert!(work(HashProfile::TEST) * 1000 < work(HashProfile::PRODUCTION));
        const {
            assert!(
                HashProfile::PRODUCTION.m_cost_kib >= 19 * 1024
                    && HashProfile::PRODUCTION.t_cost >= 2
            )
        };
    }
}
