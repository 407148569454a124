//! AdminCreateUser.

use cognate_core::service::users::admin_create_user::{
    self, AdminCreateUserRequest, MessageAction,
};
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Value};

use super::output::user_type;
use super::Input;

pub async fn admin_create_user(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let message_action = match i.opt_str("MessageAction") {
        Some("SUPPRESS") => MessageAction::Suppress,
        Some("RESEND") => MessageAction::Resend,
        _ => MessageAction::Send,
    };
    let user = admin_create_user::admin_create_user(
        ctx,
        AdminCreateUserRequest {
            pool_id: i.str("UserPoolId")?.to_owned(),
            username: i.str("Username")?.to_owned(),
            attributes: i.attributes("UserAttributes"),
            temporary_password: i.opt_str("TemporaryPassword").map(String::from),
            message_action,
            desired_delivery_mediums: i.str_list("DesiredDeliveryMediums"),
            force_alias_creation: i.opt_bool("ForceAliasCreation").unwrap_or(false),
        },
    )
    .await?;
    Ok(json!({"User": user_type(&user, None)}))
}
