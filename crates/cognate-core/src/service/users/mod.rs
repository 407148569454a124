//! Users: sign-up and confirmation, passwords and recovery, AdminCreateUser, the other admin
//! user operations, token-authorised self service, ListUsers and its filter, and groups.

pub mod admin_create_user;
pub mod admin_users;
pub mod attribute_verification;
pub mod groups;
pub mod import_csv;
pub mod list_users;
pub mod passwords;
pub mod self_service;
pub mod sign_up;
pub mod user_filter;
pub mod user_import_jobs;
