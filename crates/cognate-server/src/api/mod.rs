//! The Cognito operations: one `match` from the operation name to its handler. Handlers are
//! thin: read the validated JSON input, call a `cognate_core::service` use-case, write JSON.

mod admin_create_user;
mod clients;
mod input;
pub mod model;
mod output;
mod passwords;
mod pools;
mod sign_up;

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
        // sign-up and confirmation
        "SignUp" => sign_up::sign_up(ctx, i).await,
        "ConfirmSignUp" => sign_up::confirm_sign_up(ctx, i).await,
        "ResendConfirmationCode" => sign_up::resend_confirmation_code(ctx, i).await,
        "AdminConfirmSignUp" => sign_up::admin_confirm_sign_up(ctx, i).await,
        // admin-created users
        "AdminCreateUser" => admin_create_user::admin_create_user(ctx, i).await,
        // passwords
        "AdminSetUserPassword" => passwords::admin_set_user_password(ctx, i).await,
        "ForgotPassword" => passwords::forgot_password(ctx, i).await,
        "ConfirmForgotPassword" => passwords::confirm_forgot_password(ctx, i).await,
        "AdminResetUserPassword" => passwords::admin_reset_user_password(ctx, i).await,
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
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "AdminConfirmSignUp",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "AdminResetUserPassword",
];

fn not_implemented(op: &str) -> CognitoError {
    CognitoError::new(
        ErrorKind::UnsupportedOperation,
        format!("Cognate does not implement {op} yet."),
    )
}
