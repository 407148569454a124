//! Operations a signed-in user performs with an access token: GetUser, DeleteUser,
//! UpdateUserAttributes, DeleteUserAttributes, ChangePassword, GlobalSignOut.

use crate::model::{MessageKind, User};
use crate::service::common::attributes::{self, Writer};
use crate::service::common::codes;
use crate::service::common::codes::CodeDeliveryDetails;
use crate::service::common::lockout;
use crate::service::common::passwords::set_password;
use crate::service::tokens::revoke::sign_out_everywhere;
use crate::service::tokens::verify::{authenticate_access_token, Authenticated};
use crate::service::Ctx;
use crate::{CognitoError, Result};

pub async fn get_user(ctx: &Ctx<'_>, access_token: &str) -> Result<User> {
    Ok(authenticate_access_token(ctx, access_token).await?.user)
}

pub async fn delete_user(ctx: &Ctx<'_>, access_token: &str) -> Result<()> {
    let Authenticated { pool, user, .. } = authenticate_access_token(ctx, access_token).await?;
    ctx.store.delete_user(&pool.id, &user.username).await?;
    Ok(())
}

fn unauthorized_attribute() -> CognitoError {
    CognitoError::not_authorized("A client attempted to write unauthorized attribute")
}

/// Returns where verification codes went: one per changed email or phone number the pool
/// verifies automatically.
pub async fn update_user_attributes(
    ctx: &Ctx<'_>,
    access_token: &str,
    attrs: &[(String, String)],
) -> Result<Vec<CodeDeliveryDetails>> {
    let Authenticated {
        pool,
        mut user,
        client_id,
        ..
    } = authenticate_access_token(ctx, access_token).await?;
    let client = ctx.client(&client_id).await?;
    for (name, _) in attrs {
        let listed =
            client.write_attributes.is_empty() || client.write_attributes.iter().any(|a| a == name);
        if name.ends_with("_verified") || !listed {
            return Err(unauthorized_attribute());
        }
    }
    attributes::check_writes(&pool, attrs, Writer::User, false)?;
    let before = user.attributes.clone();
    attributes::apply_writes(&mut user, attrs);
    let mut pending = Vec::new();
    for attr in ["email", "phone_number"] {
        let changed = before.get(attr) != user.attributes.get(attr);
        if changed && pool.auto_verified_attributes.iter().any(|a| a == attr) {
            if let Some(channel) = codes::Channel::of(&user, attr) {
                let (code, record) = codes::issue_code(ctx, codes::CONFIRM_SIGN_UP_VALIDITY_SECS);
                user.codes.verify_attribute.insert(attr.to_owned(), record);
                pending.push((channel, code));
            }
        }
    }
    ctx.save_user(&pool, &mut user).await?;
    let mut details = Vec::new();
    for (channel, code) in pending {
        details.push(
            codes::deliver(
                ctx,
                &pool,
                &user,
                MessageKind::VerifyUserAttribute,
                &channel,
                &code,
            )
            .await?,
        );
    }
    Ok(details)
}

/// GetUserAttributeVerificationCode: sends a code that verifies the user's email or phone.
pub async fn get_user_attribute_verification_code(
    ctx: &Ctx<'_>,
    access_token: &str,
    attribute: &str,
) -> Result<CodeDeliveryDetails> {
    let Authenticated { pool, mut user, .. } = authenticate_access_token(ctx, access_token).await?;
    let channel = codes::Channel::of(&user, attribute).ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "Cannot send a verification code: the user has no {attribute}."
        ))
    })?;
    let (code, record) = codes::issue_code(ctx, codes::CONFIRM_SIGN_UP_VALIDITY_SECS);
    user.codes
        .verify_attribute
        .insert(attribute.to_owned(), record);
    ctx.save_user(&pool, &mut user).await?;
    codes::deliver(
        ctx,
        &pool,
        &user,
        MessageKind::VerifyUserAttribute,
        &channel,
        &code,
    )
    .await
}

/// VerifyUserAttribute: checks the code and marks the attribute verified.
pub async fn verify_user_attribute(
    ctx: &Ctx<'_>,
    access_token: &str,
    attribute: &str,
    code: &str,
) -> Result<()> {
    let Authenticated { pool, mut user, .. } = authenticate_access_token(ctx, access_token).await?;
    let checked = codes::check_code(
        user.codes.verify_attribute.get_mut(attribute),
        code,
        ctx.now,
    );
    if checked.is_ok() {
        user.codes.verify_attribute.remove(attribute);
        user.attributes
            .insert(format!("{attribute}_verified"), "true".into());
    }
    // Saved either way: a failure is counted.
    ctx.save_user(&pool, &mut user).await?;
    checked
}

pub async fn delete_user_attributes(
    ctx: &Ctx<'_>,
    access_token: &str,
    names: &[String],
) -> Result<()> {
    let Authenticated { pool, mut user, .. } = authenticate_access_token(ctx, access_token).await?;
    for name in names {
        let required = pool.schema_attribute(name).is_some_and(|a| a.required);
        if name == "sub" || required {
            return Err(CognitoError::invalid_parameter(format!(
                "Cannot delete required or immutable attribute {name}."
            )));
        }
        if pool.schema_attribute(name).is_none() {
            return Err(CognitoError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: Attribute does not exist in the schema."
            )));
        }
    }
    for name in names {
        user.attributes.remove(name);
        if name == "email" || name == "phone_number" {
            user.attributes.remove(&format!("{name}_verified"));
        }
    }
    ctx.save_user(&pool, &mut user).await
}

pub async fn change_password(
    ctx: &Ctx<'_>,
    access_token: &str,
    previous: Option<&str>,
    proposed: &str,
) -> Result<()> {
    let Authenticated { pool, mut user, .. } = authenticate_access_token(ctx, access_token).await?;
    lockout::check(ctx, &user)?;
    let ok = match (&user.password, previous) {
        (Some(p), Some(prev)) => ctx.verify_password(prev, &p.phc).await?,
        _ => false,
    };
    if !ok {
        lockout::record_failure(ctx, &pool, &mut user).await?;
        return Err(CognitoError::incorrect_credentials());
    }
    set_password(ctx, &pool, &mut user, proposed, false).await?;
    user.lockout = Default::default();
    ctx.save_user(&pool, &mut user).await
}

pub async fn global_sign_out(ctx: &Ctx<'_>, access_token: &str) -> Result<()> {
    let Authenticated { pool, user, .. } = authenticate_access_token(ctx, access_token).await?;
    sign_out_everywhere(ctx, &pool, user).await
}

pub async fn admin_user_global_sign_out(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    sign_out_everywhere(ctx, &pool, user).await
}
