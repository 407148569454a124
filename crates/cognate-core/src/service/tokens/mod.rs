//! Tokens: issue (sign-in, refresh), verify (access tokens), revoke (RevokeToken, sign-out).
//!
//! ID and access tokens are RS256 JWTs signed with the pool's two keys (`common::keys`).
//! Refresh tokens are opaque random strings stored only as SHA-256; every access and ID token
//! carries the `origin_jti` of the refresh token it descends from, which revocation keys on.

pub mod issue;
pub mod revoke;
pub mod verify;
