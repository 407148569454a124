//! Randomness is passed in, like time. Production uses the OS generator; tests may seed one.

use rand_core::{CryptoRng, RngCore};

pub trait Random: Send + Sync {
    fn fill(&self, buf: &mut [u8]);
}

/// Helpers every use-case needs, built on [`Random::fill`].
pub trait RandomExt: Random {
    fn bytes<const N: usize>(&self) -> [u8; N] {
        let mut b = [0u8; N];
        self.fill(&mut b);
        b
    }

    /// A string of `len` characters drawn uniformly from `alphabet` (rejection sampling).
    fn string_from(&self, alphabet: &[u8], len: usize) -> String {
        let mut out = String::with_capacity(len);
        let limit = 256 - (256 % alphabet.len().max(1));
        while out.len() < len {
            let mut b = [0u8; 32];
            self.fill(&mut b);
            for x in b {
                if (x as usize) < limit && out.len() < len {
                    out.push(alphabet[x as usize % alphabet.len()] as char);
                }
            }
        }
        out
    }

    fn lower_alnum(&self, len: usize) -> String {
        self.string_from(b"abcdefghijklmnopqrstuvwxyz0123456789", len)
    }

    fn alnum(&self, len: usize) -> String {
        self.string_from(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            len,
        )
    }

    fn digits(&self, len: usize) -> String {
        self.string_from(b"0123456789", len)
    }

    fn uuid(&self) -> String {
        uuid::Builder::from_random_bytes(self.bytes::<16>())
            .into_uuid()
            .to_string()
    }
}

impl<T: Random + ?Sized> RandomExt for T {}

/// Adapts a [`Random`] to the `rand_core` traits that RSA key generation wants.
pub struct RngAdapter<'a>(pub &'a dyn Random);

impl RngCore for RngAdapter<'_> {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.0.fill(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.0.fill(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.fill(dest);
        Ok(())
    }
}

impl CryptoRng for RngAdapter<'_> {}

/// The operating system's generator.
pub struct OsRandom;

impl Random for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        rand_core::OsRng.fill_bytes(buf)
    }
}

/// A deterministic generator for tests (SplitMix64; not for production use).
pub struct SeededRandom(std::sync::Mutex<u64>);

impl SeededRandom {
    pub fn new(seed: u64) -> Self {
        Self(std::sync::Mutex::new(seed))
    }
}

impl Random for SeededRandom {
    fn fill(&self, buf: &mut [u8]) {
        let mut state = match self.0.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        for chunk in buf.chunks_mut(8) {
            *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = *state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}
