//! Whether the server may start: without credentials it runs open (any signature, or none, is
//! accepted on signed operations), which is allowed only on a loopback address. Checked before
//! anything binds.

use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    /// Credentials are configured: signed operations are verified.
    Verified,
    /// No credentials, loopback only: for local development.
    OpenOnLoopback,
}

pub const OPEN_WARNING: &str =
    "no credentials configured: signed operations accept any signature; listening on loopback only";

pub fn check(listen: SocketAddr, credentials_configured: bool) -> anyhow::Result<Exposure> {
    if credentials_configured {
        return Ok(Exposure::Verified);
    }
    if listen.ip().is_loopback() {
        return Ok(Exposure::OpenOnLoopback);
    }
    anyhow::bail!(
        "refusing to listen on {listen} without credentials: anyone who reaches it could \
         administer every user pool. Set COGNATE_ACCESS_KEY_ID and COGNATE_SECRET_ACCESS_KEY, or \
         --credentials-file (COGNATE_CREDENTIALS_FILE), or listen on a loopback address such as \
         127.0.0.1"
    )
}

/// The settable test clock lets anyone who reaches the port move time (expiring signatures,
/// stretching tokens): it is for tests on loopback only.
pub fn check_test_clock(listen: SocketAddr, test_clock: bool) -> anyhow::Result<()> {
    if test_clock && !listen.ip().is_loopback() {
        anyhow::bail!(
            "refusing to listen on {listen} with --test-clock: anyone who reaches it could move              the server's clock. Use --test-clock on a loopback address only"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> SocketAddr {
        s.parse().expect("socket address")
    }

    #[test]
    fn test_clock_only_on_loopback() {
        assert!(check_test_clock(addr("127.0.0.1:0"), true).is_ok());
        assert!(check_test_clock(addr("0.0.0.0:9229"), false).is_ok());
        let err = check_test_clock(addr("0.0.0.0:9229"), true)
            .expect_err("refused")
            .to_string();
        assert!(err.contains("--test-clock"), "{err}");
    }

    #[test]
    fn open_only_on_loopback() {
        for open in ["127.0.0.1:9229", "127.0.0.2:0", "[::1]:9229"] {
            assert_eq!(
                check(addr(open), false).ok(),
                Some(Exposure::OpenOnLoopback),
                "{open}"
            );
        }
        for public in [
            "0.0.0.0:9229",
            "[::]:0",
            "192.0.2.1:9229",
            "[2001:db8::1]:80",
        ] {
            let err = check(addr(public), false).expect_err(public).to_string();
            assert!(err.contains("COGNATE_ACCESS_KEY_ID"), "{err}");
            assert!(err.contains("COGNATE_CREDENTIALS_FILE"), "{err}");
            assert_eq!(check(addr(public), true).ok(), Some(Exposure::Verified));
        }
        assert_eq!(
            check(addr("127.0.0.1:1"), true).ok(),
            Some(Exposure::Verified)
        );
    }
}
