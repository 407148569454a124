//! ListUsers.

use cognate_core::service::users::list_users;
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{Map, Value};

use super::output::{decode_token, next_token, put, user_type};
use super::Input;

pub async fn list_users(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let after = decode_token(i.opt_str("PaginationToken"))?;
    let only = i.opt_str_list("AttributesToGet");
    let page = list_users::list_users(
        ctx,
        i.str("UserPoolId")?,
        i.opt_str("Filter"),
        only.as_deref(),
        i.opt_i64("Limit"),
        after.as_deref(),
    )
    .await?;
    let mut out = Map::new();
    out.insert(
        "Users".into(),
        Value::Array(
            page.users
                .iter()
                .map(|u| user_type(u, only.as_deref()))
                .collect(),
        ),
    );
    put(&mut out, "PaginationToken", next_token(page.next));
    Ok(Value::Object(out))
}
