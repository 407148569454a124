//! The Cognito operations: one `match` from the operation name to its handler. Handlers are
//! thin: read the validated JSON input, call a `cognate_core::service` use-case, write JSON.

mod admin_create_user;
mod admin_users;
mod auth;
mod clients;
mod groups;
mod input;
mod list_users;
mod mfa;
pub mod model;
mod output;
mod passwords;
mod pools;
mod self_service;
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
        // sign-in
        "InitiateAuth" => auth::initiate_auth(ctx, i).await,
        "AdminInitiateAuth" => auth::admin_initiate_auth(ctx, i).await,
        "RespondToAuthChallenge" => auth::respond_to_auth_challenge(ctx, i).await,
        "AdminRespondToAuthChallenge" => auth::admin_respond_to_auth_challenge(ctx, i).await,
        // token-authorised self service and sign-out
        "GetUser" => self_service::get_user(ctx, i).await,
        "DeleteUser" => self_service::delete_user(ctx, i).await,
        "UpdateUserAttributes" => self_service::update_user_attributes(ctx, i).await,
        "DeleteUserAttributes" => self_service::delete_user_attributes(ctx, i).await,
        "ChangePassword" => self_service::change_password(ctx, i).await,
        "GlobalSignOut" => self_service::global_sign_out(ctx, i).await,
        "AdminUserGlobalSignOut" => self_service::admin_user_global_sign_out(ctx, i).await,
        "RevokeToken" => self_service::revoke_token(ctx, i).await,
        "GetUserAttributeVerificationCode" => {
            self_service::get_user_attribute_verification_code(ctx, i).await
        }
        "VerifyUserAttribute" => self_service::verify_user_attribute(ctx, i).await,
        // users (admin)
        "AdminGetUser" => admin_users::admin_get_user(ctx, i).await,
        "AdminDeleteUser" => admin_users::admin_delete_user(ctx, i).await,
        "AdminDisableUser" => admin_users::admin_disable_user(ctx, i).await,
        "AdminEnableUser" => admin_users::admin_enable_user(ctx, i).await,
        "AdminUpdateUserAttributes" => admin_users::admin_update_user_attributes(ctx, i).await,
        "AdminDeleteUserAttributes" => admin_users::admin_delete_user_attributes(ctx, i).await,
        "ListUsers" => list_users::list_users(ctx, i).await,
        // groups
        "CreateGroup" => groups::create_group(ctx, i).await,
        "GetGroup" => groups::get_group(ctx, i).await,
        "UpdateGroup" => groups::update_group(ctx, i).await,
        "DeleteGroup" => groups::delete_group(ctx, i).await,
        "ListGroups" => groups::list_groups(ctx, i).await,
        "AdminAddUserToGroup" => groups::admin_add_user_to_group(ctx, i).await,
        "AdminRemoveUserFromGroup" => groups::admin_remove_user_from_group(ctx, i).await,
        "AdminListGroupsForUser" => groups::admin_list_groups_for_user(ctx, i).await,
        "ListUsersInGroup" => groups::list_users_in_group(ctx, i).await,
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
        // TOTP software-token MFA
        "SetUserPoolMfaConfig" => mfa::set_user_pool_mfa_config(ctx, i).await,
        "GetUserPoolMfaConfig" => mfa::get_user_pool_mfa_config(ctx, i).await,
        "AssociateSoftwareToken" => mfa::associate_software_token(ctx, i).await,
        "VerifySoftwareToken" => mfa::verify_software_token(ctx, i).await,
        "SetUserMFAPreference" => mfa::set_user_mfa_preference(ctx, i).await,
        "AdminSetUserMFAPreference" => mfa::admin_set_user_mfa_preference(ctx, i).await,
        "AdminDeleteSoftwareToken" => mfa::admin_delete_software_token(ctx, i).await,
        "GetUserAuthFactors" => mfa::get_user_auth_factors(ctx, i).await,
        "AdminGetUserAuthFactors" => mfa::admin_get_user_auth_factors(ctx, i).await,
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
    "InitiateAuth",
    "AdminInitiateAuth",
    "RespondToAuthChallenge",
    "AdminRespondToAuthChallenge",
    "GetUser",
    "DeleteUser",
    "UpdateUserAttributes",
    "DeleteUserAttributes",
    "ChangePassword",
    "GlobalSignOut",
    "AdminUserGlobalSignOut",
    "RevokeToken",
    "GetUserAttributeVerificationCode",
    "VerifyUserAttribute",
    "SetUserPoolMfaConfig",
    "GetUserPoolMfaConfig",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserMFAPreference",
    "AdminSetUserMFAPreference",
    "AdminDeleteSoftwareToken",
    "GetUserAuthFactors",
    "AdminGetUserAuthFactors",
    "AdminGetUser",
    "AdminDeleteUser",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminUpdateUserAttributes",
    "AdminDeleteUserAttributes",
    "ListUsers",
    "CreateGroup",
    "GetGroup",
    "UpdateGroup",
    "DeleteGroup",
    "ListGroups",
    "AdminAddUserToGroup",
    "AdminRemoveUserFromGroup",
    "AdminListGroupsForUser",
    "ListUsersInGroup",
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
