//! AdminGetUser, AdminDeleteUser, AdminDisableUser, AdminEnableUser, AdminUpdateUserAttributes,
//! AdminDeleteUserAttributes.

use cognate_core::service::users::admin_users;
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Value};

use super::output::{ts, user_attributes};
use super::Input;

pub async fn admin_get_user(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let user = admin_users::admin_get_user(ctx, i.str("UserPoolId")?, i.str("Username")?).await?;
    let mut out = json!({
        "Username": user.username,
        "UserAttributes": user_attributes(&user, None),
        "UserCreateDate": ts(user.created),
        "UserLastModifiedDate": ts(user.modified),
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    });
    super::mfa::put_user_mfa(&mut out, &user);
    Ok(out)
}

pub async fn admin_delete_user(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    admin_users::admin_delete_user(ctx, i.str("UserPoolId")?, i.str("Username")?).await?;
    Ok(json!({}))
}

pub async fn admin_disable_user(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    admin_users::admin_disable_user(ctx, i.str("UserPoolId")?, i.str("Username")?).await?;
    Ok(json!({}))
}

pub async fn admin_enable_user(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    admin_users::admin_enable_user(ctx, i.str("UserPoolId")?, i.str("Username")?).await?;
    Ok(json!({}))
}

pub async fn admin_update_user_attributes(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    admin_users::admin_update_user_attributes(
        ctx,
        i.str("UserPoolId")?,
        i.str("Username")?,
        &i.attributes("UserAttributes"),
    )
    .await?;
    Ok(json!({}))
}

pub async fn admin_delete_user_attributes(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    admin_users::admin_delete_user_attributes(
        ctx,
        i.str("UserPoolId")?,
        i.str("Username")?,
        &i.str_list("UserAttributeNames"),
    )
    .await?;
    Ok(json!({}))
}
