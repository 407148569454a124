//! Use-cases, grouped by capability. Each function is named after the Cognito operation it
//! implements (`admin_create_user`, `initiate_auth`, ...), takes a [`Ctx`] (store, time,
//! randomness, keys) and typed arguments; the server translates wire JSON to and from them.
//!
//! - [`sign_in`]: InitiateAuth / RespondToAuthChallenge and their admin forms: the flow state
//!   machine, SRP, and the challenge answers.
//! - [`tokens`]: issuing, verifying, refreshing and revoking tokens.
//! - [`mfa`]: the pool's MFA configuration, software tokens, preferences, and the MFA step that
//!   follows a first factor.
//! - [`users`]: sign-up, passwords, admin user operations, self service, listing, groups.
//! - [`pools`]: user pools and app clients.
//! - [`federation`]: resource servers, identity providers, and app clients' OAuth settings.
//! - [`common`]: pieces the capabilities share (attributes, codes, lockout, password policy
//!   and storage, sessions, signing keys, client authentication).
//!
//! Files import each other in one direction only: `common` imports nothing from the
//! capabilities, and no two files import each other (checked by `tests/layout.rs`).

pub mod common;
pub mod ctx;
pub mod federation;
pub mod mfa;
pub mod oauth2;
pub mod offload;
pub mod pools;
pub mod sign_in;
pub mod tokens;
pub mod users;

pub use ctx::{Ctx, Settings};
pub use offload::{InlineOffload, Job, Offload};
