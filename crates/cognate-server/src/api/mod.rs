//! The Cognito operations: one `match` from the operation name to its handler. Handlers are
//! thin: read the validated JSON input, call a `cognate_core::service` use-case, write JSON.

mod clients;
mod input;
pub mod model;
mod output;
mod pools;

use cognate_core::service::Ctx;
use cognate_core::{CognitoError, ErrorKind, Result};
use serde_json::Value;

pub use input::Input;

/// Runs operation `op` (already known to the model and validated against it).
pub async fn dispatch(ctx: &Ctx<'_>, op: &str, body: &Value) -> Result<Value> {
    let input = Input::new(body);
    let i = &input;
    match op {
        // user pools
        "CreateUserPool" => pools::create_user_pool(ctx, i).await,
        "DescribeUserPool" => pools::describe_user_pool(ctx, i).await,
        "UpdateUserPool" => pools::update_user_pool(ctx, i).await,
        "DeleteUserPool" => pools::delete_user_pool(ctx, i).await,
        "ListUserPools" => pools::list_user_pools(ctx, i).await,
        "AddCustomAttributes" => pools::add_custom_attributes(ctx, i).await,
        // app clients
        "CreateUserPoolClient" => clients::create_user_pool_client(ctx, i).await,
        "DescribeUserPoolClient" => clients::describe_user_pool_client(ctx, i).await,
        "UpdateUserPoolClient" => clients::update_user_pool_client(ctx, i).await,
        "DeleteUserPoolClient" => clients::delete_user_pool_client(ctx, i).await,
        "ListUserPoolClients" => clients::list_user_pool_clients(ctx, i).await,
        _ => Err(not_implemented(op)),
    }
}

/// The operations [`dispatch`] implements (checked against docs/compatibility.md by a test).
pub const IMPLEMENTED: &[&str] = &[
    "CreateUserPool",
    "DescribeUserPool",
    "UpdateUserPool",
    "DeleteUserPool",
    "ListUserPools",
    "AddCustomAttributes",
    "CreateUserPoolClient",
    "DescribeUserPoolClient",
    "UpdateUserPoolClient",
    "DeleteUserPoolClient",
    "ListUserPoolClients",
];

fn not_implemented(op: &str) -> CognitoError {
    CognitoError::new(
        ErrorKind::UnsupportedOperation,
        format!("Cognate does not implement {op} yet."),
    )
}
