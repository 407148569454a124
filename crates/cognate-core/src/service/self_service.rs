//! Operations a signed-in user performs with an access token: GetUser, DeleteUser,
//! UpdateUserAttributes, DeleteUserAttributes, ChangePassword, GlobalSignOut.

use crate::model::{User, UserPool};
use crate::service::attributes::{self, Writer};
use crate::service::tokens::{self, Authenticated};
use crate::service::{lockout, password_policy, Ctx};
use crate::{CognitoError, Result};

pub async fn get_user(ctx: &Ctx<'_>, access_token: &str) -> Result<User> {
    Ok(tokens::authenticate_access_token(ctx, access_token)
        .await?
        .user)
}

pub async fn delete_user(ctx: &Ctx<'_>, access_token: &str) -> Result<()> {
    let Authenticated { pool, user, .. } =
        tokens::authenticate_access_token(ctx, access_token).await?;
    ctx.store.delete_user(&pool.id, &user.username).await?;
    Ok(())
}

fn unauthorized_attribute() -> CognitoError {
    CognitoError::not_authorized("A client attempted to write unauthorized attribute")
}

/// Returns the user as saved.
pub async fn update_user_attributes(
    ctx: &Ctx<'_>,
    access_token: &str,
    attrs: &[(String, String)],
) -> Result<(UserPool, User)> {
    let Authenticated {
        pool,
        mut user,
        client_id,
        ..
    } = tokens::authenticate_access_token(ctx, access_token).await?;
    let client = ctx.client(&client_id).await?;
    for (name, _) in attrs {
        let listed =
            client.write_attributes.is_empty() || client.write_attributes.iter().any(|a| a == name);
        if name.ends_with("_verified") || !listed {
            return Err(unauthorized_attribute());
        }
    }
    attributes::check_writes(&pool, attrs, Writer::User, false)?;
    attributes::apply_writes(&mut user, attrs);
    ctx.save_user(&pool, &mut user).await?;
    Ok((pool, user))
}

pub async fn delete_user_attributes(
    ctx: &Ctx<'_>,
    access_token: &str,
    names: &[String],
) -> Result<()> {
    let Authenticated { pool, mut user, .. } =
        tokens::authenticate_access_token(ctx, access_token).await?;
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
    let Authenticated { pool, mut user, .. } =
        tokens::authenticate_access_token(ctx, access_token).await?;
    lockout::check(ctx, &user)?;
    let ok = match (&user.password, previous) {
        (Some(p), Some(prev)) => ctx.hasher.verify(prev.to_owned(), p.phc.clone()).await,
        _ => false,
    };
    if !ok {
        lockout::record_failure(ctx, &pool, &mut user).await?;
        return Err(CognitoError::incorrect_credentials());
    }
    password_policy::check(&pool.password_policy, proposed)?;
    user.password = Some(crate::model::PasswordCredential {
        phc: ctx.hash_password(proposed).await?,
        set_at: ctx.now,
        temporary: false,
    });
    user.lockout = Default::default();
    ctx.save_user(&pool, &mut user).await
}

pub async fn global_sign_out(ctx: &Ctx<'_>, access_token: &str) -> Result<()> {
    let Authenticated { pool, user, .. } =
        tokens::authenticate_access_token(ctx, access_token).await?;
    tokens::sign_out_everywhere(ctx, &pool, user).await
}

pub async fn admin_user_global_sign_out(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    tokens::sign_out_everywhere(ctx, &pool, user).await
}
