//! AdminSetUserPassword, ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword.

use cognate_core::service::users::passwords;
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Value};

use super::output::code_delivery_details;
use super::Input;

pub async fn admin_set_user_password(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    passwords::admin_set_user_password(
        ctx,
        i.str("UserPoolId")?,
        i.str("Username")?,
        i.str("Password")?,
        i.opt_bool("Permanent").unwrap_or(false),
    )
    .await?;
    Ok(json!({}))
}

pub async fn forgot_password(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let d = passwords::forgot_password(
        ctx,
        i.str("ClientId")?,
        i.opt_str("SecretHash"),
        i.str("Username")?,
    )
    .await?;
    Ok(json!({"CodeDeliveryDetails": code_delivery_details(&d)}))
}

pub async fn confirm_forgot_password(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    passwords::confirm_forgot_password(
        ctx,
        i.str("ClientId")?,
        i.opt_str("SecretHash"),
        i.str("Username")?,
        i.str("ConfirmationCode")?,
        i.str("Password")?,
    )
    .await?;
    Ok(json!({}))
}

pub async fn admin_reset_user_password(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    passwords::admin_reset_user_password(ctx, i.str("UserPoolId")?, i.str("Username")?).await?;
    Ok(json!({}))
}
