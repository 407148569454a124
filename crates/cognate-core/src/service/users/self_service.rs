//! Operations a signed-in user performs with an access token: GetUser, DeleteUser,
//! UpdateUserAttributes, DeleteUserAttributes, ChangePassword, GlobalSignOut.

use crate::model::{CodePurpose, MessageKind, User};
use crate::service::common::attributes::{self, Writer};
use crate::service::common::code_limits;
use crate::service::common::codes;
use crate::service::common::codes::CodeDeliveryDetails;
use crate::service::common::lockout;
use crate::service::common::passwords::{set_password, take_password};
use crate::service::tokens::revoke::sign_out_everywhere;
use crate::service::tokens::verify::{authenticate_access_token, Authenticated};
use crate::service::users::attribute_verification;
use crate::service::Ctx;
use crate::{CognitoError, Result};

/// GetUser: the user, with only the attributes the calling client may read (its
/// ReadAttributes, as in the ID token; `sub` always).
pub async fn get_user(ctx: &Ctx<'_>, access_token: &str) -> Result<User> {
    let Authenticated {
        mut user,
        client_id,
        ..
    } = authenticate_access_token(ctx, access_token).await?;
    let client = ctx.client(&client_id).await?;
    user.attributes
        .retain(|name, _| attributes::can_read(&client, name));
    Ok(user)
}

pub async fn delete_user(ctx: &Ctx<'_>, access_token: &str) -> Result<()> {
    let Authenticated { pool, user, .. } = authenticate_access_token(ctx, access_token).await?;
    ctx.store.delete_user(&pool.id, &user.username).await?;
    Ok(())
}

/// Returns where verification codes went: one per changed email or phone number the pool
/// verifies automatically. A blank value deletes the attribute.
pub async fn update_user_attributes(
    ctx: &Ctx<'_>,
    access_token: &str,
    attrs: &[(String, String)],
) -> Result<Vec<CodeDeliveryDetails>> {
    let Authenticated {
        pool,
        user,
        client_id,
        ..
    } = authenticate_access_token(ctx, access_token).await?;
    let client = ctx.client(&client_id).await?;
    attributes::check_client_writes(&client, attrs.iter().map(|(n, _)| n))?;
    attributes::check_writes(&pool, attrs, Writer::User, false)?;
    let now = ctx.now;
    let (user, planned) = ctx
        .modify_user(&pool, &user.username, |u| {
            let before = u.attributes.clone();
            attributes::apply_writes(u, attrs);
            attribute_verification::plan(ctx, &pool, &before, u, now)
        })
        .await?;
    attribute_verification::send(ctx, &pool, &user, planned).await
}

/// GetUserAttributeVerificationCode: sends a code that verifies the user's email or phone.
pub async fn get_user_attribute_verification_code(
    ctx: &Ctx<'_>,
    access_token: &str,
    attribute: &str,
) -> Result<CodeDeliveryDetails> {
    let Authenticated { pool, user, .. } = authenticate_access_token(ctx, access_token).await?;
    let Some(purpose) = CodePurpose::verify(attribute) else {
        return Err(CognitoError::invalid_parameter(
            "invalid attribute name. Only phone_number and email can be verified",
        ));
    };
    let channel = codes::Channel::of(&user, attribute).ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "Cannot send a verification code: the user has no {attribute}."
        ))
    })?;
    let kind = MessageKind::VerifyUserAttribute;
    codes::send_code(ctx, &pool, &user.username, purpose, kind, &channel).await
}

/// VerifyUserAttribute: checks the code and marks the attribute verified.
pub async fn verify_user_attribute(
    ctx: &Ctx<'_>,
    access_token: &str,
    attribute: &str,
    code: &str,
) -> Result<()> {
    let Authenticated { pool, user, .. } = authenticate_access_token(ctx, access_token).await?;
    let now = ctx.now;
    let Some(purpose) = CodePurpose::verify(attribute) else {
        // Nothing but email and phone number is ever sent a code.
        return codes::check_code(None, code, now);
    };
    let user = code_limits::reserve(ctx, &pool, &user.username, purpose).await?;
    codes::check_code(user.codes.verify_attribute.get(attribute), code, now)?;
    // Checked again inside the write: the code works once, even for concurrent requests.
    ctx.modify_user(&pool, &user.username, |u| {
        codes::check_code(u.codes.verify_attribute.get(attribute), code, now)?;
        u.codes.verify_attribute.remove(attribute);
        u.attributes
            .insert(format!("{attribute}_verified"), "true".into());
        code_limits::clear(u, purpose);
        Ok(())
    })
    .await?;
    Ok(())
}

/// DeleteUserAttributes: the same rules as the administrator's, plus the client's
/// WriteAttributes.
pub async fn delete_user_attributes(
    ctx: &Ctx<'_>,
    access_token: &str,
    names: &[String],
) -> Result<()> {
    let Authenticated {
        pool,
        user,
        client_id,
        ..
    } = authenticate_access_token(ctx, access_token).await?;
    let client = ctx.client(&client_id).await?;
    attributes::check_client_writes(&client, names)?;
    attributes::check_deletable(&pool, names)?;
    ctx.modify_user(&pool, &user.username, |u| {
        attributes::delete(u, names);
        Ok(())
    })
    .await?;
    Ok(())
}

pub async fn change_password(
    ctx: &Ctx<'_>,
    access_token: &str,
    previous: Option<&str>,
    proposed: &str,
) -> Result<()> {
    let Authenticated { pool, user, .. } = authenticate_access_token(ctx, access_token).await?;
    let mut user = lockout::reserve(ctx, &pool, &user.username).await?;
    let ok = match (user.password.clone(), previous) {
        (Some(p), Some(prev)) => {
            let checked = ctx.verify_password(prev, &p.phc).await;
            lockout::refund_on_error(ctx, &pool, &mut user, checked).await?
        }
        _ => false,
    };
    if !ok {
        return Err(CognitoError::incorrect_credentials());
    }
    lockout::refund(ctx, &pool, &mut user).await?;
    set_password(ctx, &pool, &mut user, proposed, false).await?;
    ctx.modify_user(&pool, &user.username, |u| {
        take_password(u, &user);
        u.lockout = Default::default();
        // A reset code sent before is no longer needed and must not reset the new password.
        u.codes.forgot_password = None;
        Ok(())
    })
    .await?;
    Ok(())
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
