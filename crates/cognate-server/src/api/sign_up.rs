//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use cognate_core::service::users::sign_up::{self, SignUpRequest};
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Map, Value};

use super::output::code_delivery_details;
use super::Input;

pub async fn sign_up(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let r = sign_up::sign_up(
        ctx,
        SignUpRequest {
            client_id: i.str("ClientId")?.to_owned(),
            secret_hash: i.opt_str("SecretHash").map(String::from),
            username: i.str("Username")?.to_owned(),
            password: i.str("Password")?.to_owned(),
            attributes: i.attributes("UserAttributes"),
        },
    )
    .await?;
    let mut out = Map::new();
    out.insert("UserConfirmed".into(), json!(r.confirmed));
    out.insert("UserSub".into(), json!(r.user_sub));
    if let Some(d) = &r.delivery {
        out.insert("CodeDeliveryDetails".into(), code_delivery_details(d));
    }
    Ok(Value::Object(out))
}

pub async fn confirm_sign_up(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    sign_up::confirm_sign_up(
        ctx,
        i.str("ClientId")?,
        i.opt_str("SecretHash"),
        i.str("Username")?,
        i.str("ConfirmationCode")?,
        i.opt_bool("ForceAliasCreation").unwrap_or(false),
    )
    .await?;
    Ok(json!({}))
}

pub async fn resend_confirmation_code(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let d = sign_up::resend_confirmation_code(
        ctx,
        i.str("ClientId")?,
        i.opt_str("SecretHash"),
        i.str("Username")?,
    )
    .await?;
    Ok(json!({"CodeDeliveryDetails": code_delivery_details(&d)}))
}

pub async fn admin_confirm_sign_up(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    sign_up::admin_confirm_sign_up(ctx, i.str("UserPoolId")?, i.str("Username")?).await?;
    Ok(json!({}))
}
