//! GetUser, DeleteUser, UpdateUserAttributes, DeleteUserAttributes, ChangePassword,
//! GlobalSignOut, AdminUserGlobalSignOut, RevokeToken, GetUserAttributeVerificationCode,
//! VerifyUserAttribute.

use cognate_core::service::tokens::revoke;
use cognate_core::service::users::self_service;
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Value};

use super::output::{code_delivery_details, user_attributes};
use super::Input;

pub async fn get_user(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let user = self_service::get_user(ctx, i.str("AccessToken")?).await?;
    let mut out =
        json!({"Username": user.username, "UserAttributes": user_attributes(&user, None)});
    super::mfa::put_user_mfa(&mut out, &user);
    Ok(out)
}

pub async fn delete_user(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    self_service::delete_user(ctx, i.str("AccessToken")?).await?;
    Ok(json!({}))
}

pub async fn update_user_attributes(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let details = self_service::update_user_attributes(
        ctx,
        i.str("AccessToken")?,
        &i.attributes("UserAttributes"),
    )
    .await?;
    let list: Vec<Value> = details.iter().map(code_delivery_details).collect();
    Ok(json!({"CodeDeliveryDetailsList": list}))
}

pub async fn get_user_attribute_verification_code(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let d = self_service::get_user_attribute_verification_code(
        ctx,
        i.str("AccessToken")?,
        i.str("AttributeName")?,
    )
    .await?;
    Ok(json!({"CodeDeliveryDetails": code_delivery_details(&d)}))
}

pub async fn verify_user_attribute(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    self_service::verify_user_attribute(
        ctx,
        i.str("AccessToken")?,
        i.str("AttributeName")?,
        i.str("Code")?,
    )
    .await?;
    Ok(json!({}))
}

pub async fn delete_user_attributes(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    self_service::delete_user_attributes(
        ctx,
        i.str("AccessToken")?,
        &i.str_list("UserAttributeNames"),
    )
    .await?;
    Ok(json!({}))
}

pub async fn change_password(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    self_service::change_password(
        ctx,
        i.str("AccessToken")?,
        i.opt_str("PreviousPassword"),
        i.str("ProposedPassword")?,
    )
    .await?;
    Ok(json!({}))
}

pub async fn global_sign_out(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    self_service::global_sign_out(ctx, i.str("AccessToken")?).await?;
    Ok(json!({}))
}

pub async fn admin_user_global_sign_out(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    self_service::admin_user_global_sign_out(ctx, i.str("UserPoolId")?, i.str("Username")?).await?;
    Ok(json!({}))
}

pub async fn revoke_token(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    revoke::revoke_token(
        ctx,
        i.str("Token")?,
        i.str("ClientId")?,
        i.opt_str("ClientSecret"),
    )
    .await?;
    Ok(json!({}))
}
