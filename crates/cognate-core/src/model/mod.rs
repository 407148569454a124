//! Entities the store persists. They serialise to versionless JSON blobs inside the store;
//! that encoding is internal and unrelated to Cognito's wire names.

mod client;
mod federation;
mod group;
mod pool;
mod protocol;
mod resource;
mod token;
mod user;
mod user_import;

pub use client::*;
pub use federation::*;
pub use group::*;
pub use pool::*;
pub use protocol::*;
pub use resource::*;
pub use token::*;
pub use user::*;
pub use user_import::*;
