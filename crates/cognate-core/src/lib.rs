//! Cognate's domain: user pools, app clients, users, groups, sign-in and tokens.
//!
//! This crate knows nothing of HTTP, SQL, Cognito's JSON wire names or the wall clock.
//! Every use-case in [`service`] receives a [`service::Ctx`] carrying the store, the
//! current time and the randomness source, so tests can fix both.
#![forbid(unsafe_code)]

pub mod clock;
pub mod crypto;
pub mod delivery;
pub mod error;
pub mod model;
pub mod random;
pub mod service;
pub mod store;

pub use error::{CognitoError, ErrorKind, Result};
