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

/// OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn params() -> Params {
    Params::new(M_COST_KIB, T_COST, P_COST, None).unwrap_or_default()
}

thread_local! {
    /// This thread's argon2 working memory, grown on first use to what [`params`] needs.
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
    if needed > params().block_count() {
        // Costlier parameters than ours (not a hash this code wrote): a one-off allocation,
        // so such a hash cannot make a thread hold more memory for good.
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

/// Hashes `password` with a 16-byte `salt`.
pub fn hash(password: &str, salt: &[u8; 16]) -> Result<String, String> {
    let params = params();
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

/// Runs a full verification against a fixed hash of a random password (computed once, with
/// the same parameters as every other hash), for answers that must cost what a real check
/// costs.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| {
        hash("cognate: no user has this password", &[0x5a; 16]).unwrap_or_default()
    });
    let _ = verify(password, phc);
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
        let h = super::hash("Passw0rd!", &[7u8; 16]).expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!h.contains("Passw0rd!"));
        assert!(super::verify("Passw0rd!", &h));
        assert!(!super::verify("Passw0rd?", &h));
        assert!(!super::verify("Passw0rd!", "not a phc"));
    }

    #[test]
    fn same_strings_as_the_argon2_crate_and_reusable_memory() {
        let salt = [9u8; 16];
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, super::params())
            .hash_password(b"Passw0rd!", &SaltString::encode_b64(&salt).expect("salt"))
            .expect("reference hash")
            .to_string();
        // The first hash on this thread fills the working memory; the second reuses it.
        assert_eq!(super::hash("Passw0rd!", &salt).expect("hash"), reference);
        assert_eq!(super::hash("Passw0rd!", &salt).expect("hash"), reference);
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
}
