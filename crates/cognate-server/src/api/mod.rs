//! The Cognito operations: one table from the operation name to its handler, which generates
//! both [`dispatch`] and [`IMPLEMENTED`]. Handlers are thin: read the validated JSON input, call
//! a `cognate_core::service` use-case, write JSON.

mod admin_create_user;
mod admin_users;
mod auth;
mod clients;
mod domains;
mod groups;
mod identity_providers;
mod input;
mod list_users;
mod mfa;
pub mod model;
mod output;
mod passwords;
mod pool_input;
mod pool_output;
mod pools;
mod resource_servers;
mod self_service;
mod sign_up;
mod user_import;

use cognate_core::service::Ctx;
use cognate_core::{CognitoError, ErrorKind, Result};
use serde_json::Value;

pub use input::Input;

/// Declares the operation table once: `"OpName" => module::handler` pairs. It generates both
/// [`dispatch`] and [`IMPLEMENTED`], so an operation cannot be dispatched without being listed
/// or listed without being dispatched. Every handler has the signature
/// `async fn(&Ctx<'_>, &Input<'_>) -> Result<Value>`.
macro_rules! operations {
    ($($op:literal => $module:ident :: $handler:ident),* $(,)?) => {
        /// Runs operation `op` (already known to the model and validated against it). An
        /// operation of the model that is not in the table is an `UnsupportedOperationException`.
        pub async fn dispatch(ctx: &Ctx<'_>, op: &str, body: &Value) -> Result<Value> {
            let input = Input::new(body);
            match op {
                $($op => $module::$handler(ctx, &input).await,)*
                _ => Err(not_implemented(op)),
            }
        }

        /// The operations [`dispatch`] implements, in table order (checked against
        /// docs/compatibility.md and against [`dispatch`] itself by a test).
        pub const IMPLEMENTED: &[&str] = &[$($op),*];
    };
}

operations! {
    // user pools
    "CreateUserPool" => pools::create_user_pool,
    "DescribeUserPool" => pools::describe_user_pool,
    "UpdateUserPool" => pools::update_user_pool,
    "DeleteUserPool" => pools::delete_user_pool,
    "ListUserPools" => pools::list_user_pools,
    "AddCustomAttributes" => pools::add_custom_attributes,
    // app clients
    "CreateUserPoolClient" => clients::create_user_pool_client,
    "DescribeUserPoolClient" => clients::describe_user_pool_client,
    "UpdateUserPoolClient" => clients::update_user_pool_client,
    "DeleteUserPoolClient" => clients::delete_user_pool_client,
    "ListUserPoolClients" => clients::list_user_pool_clients,
    // user-pool domains
    "CreateUserPoolDomain" => domains::create_user_pool_domain,
    "DescribeUserPoolDomain" => domains::describe_user_pool_domain,
    "UpdateUserPoolDomain" => domains::update_user_pool_domain,
    "DeleteUserPoolDomain" => domains::delete_user_pool_domain,
    // resource servers (custom OAuth scopes)
    "CreateResourceServer" => resource_servers::create_resource_server,
    "DescribeResourceServer" => resource_servers::describe_resource_server,
    "UpdateResourceServer" => resource_servers::update_resource_server,
    "DeleteResourceServer" => resource_servers::delete_resource_server,
    "ListResourceServers" => resource_servers::list_resource_servers,
    // identity providers (stored and checked; federated sign-in is not implemented)
    "CreateIdentityProvider" => identity_providers::create_identity_provider,
    "DescribeIdentityProvider" => identity_providers::describe_identity_provider,
    "UpdateIdentityProvider" => identity_providers::update_identity_provider,
    "DeleteIdentityProvider" => identity_providers::delete_identity_provider,
    "ListIdentityProviders" => identity_providers::list_identity_providers,
    "GetIdentityProviderByIdentifier" => identity_providers::get_identity_provider_by_identifier,
    // sign-in
    "InitiateAuth" => auth::initiate_auth,
    "AdminInitiateAuth" => auth::admin_initiate_auth,
    "RespondToAuthChallenge" => auth::respond_to_auth_challenge,
    "AdminRespondToAuthChallenge" => auth::admin_respond_to_auth_challenge,
    // token-authorised self service and sign-out
    "GetUser" => self_service::get_user,
    "DeleteUser" => self_service::delete_user,
    "UpdateUserAttributes" => self_service::update_user_attributes,
    "DeleteUserAttributes" => self_service::delete_user_attributes,
    "ChangePassword" => self_service::change_password,
    "GlobalSignOut" => self_service::global_sign_out,
    "AdminUserGlobalSignOut" => self_service::admin_user_global_sign_out,
    "RevokeToken" => self_service::revoke_token,
    "GetUserAttributeVerificationCode" => self_service::get_user_attribute_verification_code,
    "VerifyUserAttribute" => self_service::verify_user_attribute,
    // users (admin)
    "AdminGetUser" => admin_users::admin_get_user,
    "AdminDeleteUser" => admin_users::admin_delete_user,
    "AdminDisableUser" => admin_users::admin_disable_user,
    "AdminEnableUser" => admin_users::admin_enable_user,
    "AdminUpdateUserAttributes" => admin_users::admin_update_user_attributes,
    "AdminDeleteUserAttributes" => admin_users::admin_delete_user_attributes,
    "ListUsers" => list_users::list_users,
    // groups
    "CreateGroup" => groups::create_group,
    "GetGroup" => groups::get_group,
    "UpdateGroup" => groups::update_group,
    "DeleteGroup" => groups::delete_group,
    "ListGroups" => groups::list_groups,
    "AdminAddUserToGroup" => groups::admin_add_user_to_group,
    "AdminRemoveUserFromGroup" => groups::admin_remove_user_from_group,
    "AdminListGroupsForUser" => groups::admin_list_groups_for_user,
    "ListUsersInGroup" => groups::list_users_in_group,
    // sign-up and confirmation
    "SignUp" => sign_up::sign_up,
    "ConfirmSignUp" => sign_up::confirm_sign_up,
    "ResendConfirmationCode" => sign_up::resend_confirmation_code,
    "AdminConfirmSignUp" => sign_up::admin_confirm_sign_up,
    // admin-created users
    "AdminCreateUser" => admin_create_user::admin_create_user,
    // passwords
    "AdminSetUserPassword" => passwords::admin_set_user_password,
    "ForgotPassword" => passwords::forgot_password,
    "ConfirmForgotPassword" => passwords::confirm_forgot_password,
    "AdminResetUserPassword" => passwords::admin_reset_user_password,
    // TOTP software-token MFA
    "SetUserPoolMfaConfig" => mfa::set_user_pool_mfa_config,
    "GetUserPoolMfaConfig" => mfa::get_user_pool_mfa_config,
    "AssociateSoftwareToken" => mfa::associate_software_token,
    "VerifySoftwareToken" => mfa::verify_software_token,
    "SetUserMFAPreference" => mfa::set_user_mfa_preference,
    "AdminSetUserMFAPreference" => mfa::admin_set_user_mfa_preference,
    "SetUserSettings" => mfa::set_user_settings,
    "AdminSetUserSettings" => mfa::admin_set_user_settings,
    "AdminDeleteSoftwareToken" => mfa::admin_delete_software_token,
    "GetUserAuthFactors" => mfa::get_user_auth_factors,
    "AdminGetUserAuthFactors" => mfa::admin_get_user_auth_factors,
    // bulk user import (the CSV is PUT to the job's URL, see http::import_upload)
    "GetCSVHeader" => user_import::get_csv_header,
    "CreateUserImportJob" => user_import::create_user_import_job,
    "DescribeUserImportJob" => user_import::describe_user_import_job,
    "ListUserImportJobs" => user_import::list_user_import_jobs,
    "StartUserImportJob" => user_import::start_user_import_job,
    "StopUserImportJob" => user_import::stop_user_import_job,
}

// A name listed twice would leave its second handler unreachable: refuse to compile.
const _: () = assert!(all_distinct(IMPLEMENTED), "an operation is listed twice");

const fn all_distinct(names: &[&str]) -> bool {
    let mut a = 0;
    while a < names.len() {
        let mut b = a + 1;
        while b < names.len() {
            if str_eq(names[a], names[b]) {
                return false;
            }
            b += 1;
        }
        a += 1;
    }
    true
}

const fn str_eq(x: &str, y: &str) -> bool {
    let (x, y) = (x.as_bytes(), y.as_bytes());
    if x.len() != y.len() {
        return false;
    }
    let mut k = 0;
    while k < x.len() {
        if x[k] != y[k] {
            return false;
        }
        k += 1;
    }
    true
}

fn not_implemented(op: &str) -> CognitoError {
    CognitoError::new(
        ErrorKind::UnsupportedOperation,
        format!("Cognate does not implement {op} yet."),
    )
}
