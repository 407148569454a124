//! Pieces several capabilities share. Nothing here imports from `sign_in`, `tokens`, `mfa`,
//! `users` or `pools`.

pub mod attribute_values;
pub mod attributes;
pub mod client_auth;
pub mod code_limits;
pub mod codes;
pub mod key_cache;
pub mod keys;
pub mod lockout;
pub mod messages;
pub mod password_policy;
pub mod passwords;
pub mod resources;
pub mod session;
pub mod standard_schema;
#[cfg(test)]
pub(crate) mod test_support;
pub mod verified_tokens;
