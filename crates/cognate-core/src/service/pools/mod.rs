//! User pools and their app clients.

pub mod clients;
pub mod domains;
pub mod schema;
pub mod user_pools;
