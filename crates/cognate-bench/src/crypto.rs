//! `cognate-bench crypto`: micro-benchmarks of the primitives on the sign-in paths, each next to
//! its alternative, one thread, in-process:
//! - RS256 (every token issued, every token checked): ring, in use, against the pure-Rust `rsa`
//!   crate with blinding, used before;
//! - SRP's 3072-bit exponentiation with a 256-bit exponent: constant-time Montgomery
//!   (crypto-bigint, in use) against variable-time (num-bigint-dig's `modpow`), and the whole
//!   server side of one USER_SRP_AUTH sign-in as Cognate runs it;
//! - argon2id at both password-hash profiles (the raw rate the sign-in targets compare with).

use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use base64::Engine;
use cognate_core::crypto::password::{self, HashProfile};
use cognate_core::crypto::srp::{self, client};
use cognate_core::crypto::{jwt, keys::SigningKey256};
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use num_bigint_dig::BigUint;
use rand_core::{OsRng, RngCore};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};

struct Item {
    name: &'static str,
    per_op: Duration,
    iterations: u64,
}

/// Runs `f` repeatedly for about `budget` (at least 3 times) and returns the mean time per call.
fn measure(name: &'static str, budget: Duration, mut f: impl FnMut()) -> Item {
    f(); // warm-up
    let start = Instant::now();
    let mut iterations = 0u64;
    while iterations < 3 || start.elapsed() < budget {
        f();
        iterations += 1;
    }
    let item = Item {
        name,
        per_op: start.elapsed() / u32::try_from(iterations).unwrap_or(u32::MAX),
        iterations,
    };
    eprintln!(
        "{:<60} {:>10.1} µs",
        item.name,
        item.per_op.as_secs_f64() * 1e6
    );
    item
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    OsRng.fill_bytes(&mut b);
    b
}

pub fn run(seconds: f64) -> anyhow::Result<()> {
    let budget = Duration::from_secs_f64(seconds);
    let mut items = Vec::new();

    // RS256: the same 2048-bit key in both libraries.
    let key = SigningKey256::generate_from_seed(random()).map_err(anyhow::Error::msg)?;
    let der = key.to_pkcs8_der().map_err(anyhow::Error::msg)?;
    let private = rsa::RsaPrivateKey::from_pkcs8_der(&der).context("PKCS#8")?;
    let rsa_signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(private.clone());
    let rsa_verifier = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(private.to_public_key());
    let claims = serde_json::json!({"sub": "3f6c3d1e-2b5a-4c1d-9e8f-0a1b2c3d4e5f", "token_use": "access",
        "scope": "aws.cognito.signin.user.admin", "iat": 1_700_000_000, "exp": 1_700_003_600});
    let token = jwt::sign(&key, &claims).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let (input, sig_b64) = token.rsplit_once('.').context("token")?;
    let sig_bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig_b64)?;
    let rsa_sig = rsa::pkcs1v15::Signature::try_from(sig_bytes.as_slice())?;
    ensure!(rsa_verifier.verify(input.as_bytes(), &rsa_sig).is_ok());
    items.push(measure("RS256 sign, ring (in use)", budget, || {
        let _ = jwt::sign(&key, &claims);
    }));
    let mut chacha = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::from_seed(random());
    items.push(measure(
        "RS256 sign, rsa 0.9 with blinding (before)",
        budget,
        || {
            let s = rsa_signer.sign_with_rng(&mut chacha, input.as_bytes());
            let _ = s.to_bytes();
        },
    ));
    items.push(measure("RS256 verify, ring (in use)", budget, || {
        let _ = jwt::verify(&token, &[&key]);
    }));
    items.push(measure("RS256 verify, rsa 0.9 (before)", budget, || {
        let _ = rsa_verifier.verify(input.as_bytes(), &rsa_sig);
    }));

    // SRP: g^b mod N, N the 3072-bit group, b 256 bits (what the server draws).
    let n_bytes = hex::decode(srp::N_HEX)?;
    let b = random::<32>();
    let n_ct = BoxedUint::from_be_slice(&n_bytes, 3072)?;
    let params = BoxedMontyParams::new(Option::from(Odd::new(n_ct)).context("N is odd")?);
    let g_ct = BoxedMontyForm::new(BoxedUint::from(2u64).widen(3072), params);
    let b_ct = BoxedUint::from_be_slice(&b, 256)?;
    let n_vt = BigUint::from_bytes_be(&n_bytes);
    let g_vt = BigUint::from(2u32);
    let b_vt = BigUint::from_bytes_be(&b);
    let ct = g_ct.pow(&b_ct).retrieve().to_be_bytes();
    let vt = g_vt.modpow(&b_vt, &n_vt).to_bytes_be();
    ensure!(trim(&ct) == trim(&vt), "the two exponentiations disagree");
    // A base that is not the generator, for S = (A·v^u)^b.
    let base = BigUint::from_bytes_be(&random::<384>()) % &n_vt;
    let base_ct = BoxedMontyForm::new(
        BoxedUint::from_be_slice(&pad384(&base.to_bytes_be()), 3072)?,
        g_ct.params().clone(),
    );
    items.push(measure(
        "SRP x^b mod N, 3072/256 bits, constant-time crypto-bigint (in use)",
        budget,
        || {
            let _ = base_ct.pow(&b_ct);
        },
    ));
    items.push(measure(
        "SRP x^b mod N, 3072/256 bits, variable-time num-bigint-dig",
        budget,
        || {
            let _ = base.modpow(&b_vt, &n_vt);
        },
    ));

    // The server side of one USER_SRP_AUTH sign-in, as Cognate runs it (B, then the claim).
    let (pool, user, pw) = ("AbC123xyz", "bench-user", "Passw0rd!Passw0rd!");
    let salt = random::<16>();
    let v = srp::verifier(pool, user, pw, &salt);
    let eph = srp::server_ephemeral(&v, &random::<32>()).context("B")?;
    let a = random::<32>();
    let a_hex = client::a_pub_hex(&a);
    let block = random::<64>();
    let ts = "Tue Jan 2 03:04:05 UTC 2024";
    let claim = client::signature(
        pool,
        user,
        pw,
        &srp::salt_hex(&salt),
        &a,
        &eph.b_pub_hex,
        &block,
        ts,
    );
    ensure!(srp::verify_password_claim(pool, user, &v, &eph, &a_hex, &block, ts, &claim).is_ok());
    items.push(measure(
        "SRP server side of one sign-in (B; then A·v^u, S, claim), in use",
        budget,
        || {
            let _ = srp::server_ephemeral(&v, &b);
            let _ = srp::verify_password_claim(pool, user, &v, &eph, &a_hex, &block, ts, &claim);
        },
    ));

    for (name, profile) in [
        ("argon2id hash, production profile", HashProfile::PRODUCTION),
        ("argon2id hash, test profile", HashProfile::TEST),
    ] {
        let salt = random::<16>();
        items.push(measure(name, budget, || {
            let _ = password::hash(pw, &salt, profile);
        }));
    }

    println!("| primitive | µs per call (one thread) | calls/s per core | iterations |");
    println!("|---|---:|---:|---:|");
    for i in &items {
        let us = i.per_op.as_secs_f64() * 1e6;
        println!(
            "| {} | {:.1} | {:.0} | {} |",
            i.name,
            us,
            1e6 / us,
            i.iterations
        );
    }
    Ok(())
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[start..]
}

fn pad384(b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 384usize.saturating_sub(b.len())];
    out.extend_from_slice(b);
    out
}
