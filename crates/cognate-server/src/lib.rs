//! Cognate's server: the AWS JSON 1.1 wire protocol, HTTP routes, configuration and wiring.
//! Only this crate knows Cognito's JSON; see ARCHITECTURE.md.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod config;
pub mod cpu_pool;
pub mod credentials;
pub mod database;
pub mod delivery;
pub mod domain_urls;
pub mod http;
pub mod import_cli;
pub mod import_runner;
pub mod keys;
pub mod offload;
pub mod private_files;
pub mod start_rules;
pub mod state;
pub mod totp_uri;
