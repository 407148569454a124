//! CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

use cognate_core::model::Group;
use cognate_core::service::users::groups::{self, page_size, GroupConfig};
use cognate_core::service::Ctx;
use cognate_core::Result;
use serde_json::{json, Map, Value};

use super::output::{decode_token, next_token, put, ts, user_type};
use super::Input;

fn config(i: &Input) -> GroupConfig {
    GroupConfig {
        description: i.opt_str("Description").map(String::from),
        role_arn: i.opt_str("RoleArn").map(String::from),
        precedence: i.opt_i64("Precedence"),
    }
}

/// The `GroupType` shape.
fn group_type(g: &Group) -> Value {
    let mut m = Map::new();
    m.insert("GroupName".into(), json!(g.name));
    m.insert("UserPoolId".into(), json!(g.pool_id));
    put(&mut m, "Description", json!(g.description));
    put(&mut m, "RoleArn", json!(g.role_arn));
    put(&mut m, "Precedence", json!(g.precedence));
    m.insert("LastModifiedDate".into(), ts(g.modified));
    m.insert("CreationDate".into(), ts(g.created));
    Value::Object(m)
}

fn group_page(list: &[Group], next: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert(
        "Groups".into(),
        Value::Array(list.iter().map(group_type).collect()),
    );
    put(&mut out, "NextToken", next_token(next));
    Value::Object(out)
}

pub async fn create_group(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let g = groups::create_group(ctx, i.str("UserPoolId")?, i.str("GroupName")?, config(i)).await?;
    Ok(json!({"Group": group_type(&g)}))
}

pub async fn get_group(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let g = groups::get_group(ctx, i.str("UserPoolId")?, i.str("GroupName")?).await?;
    Ok(json!({"Group": group_type(&g)}))
}

pub async fn update_group(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let g = groups::update_group(ctx, i.str("UserPoolId")?, i.str("GroupName")?, config(i)).await?;
    Ok(json!({"Group": group_type(&g)}))
}

pub async fn delete_group(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    groups::delete_group(ctx, i.str("UserPoolId")?, i.str("GroupName")?).await?;
    Ok(json!({}))
}

pub async fn list_groups(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let after = decode_token(i.opt_str("NextToken"))?;
    let (list, next) = groups::list_groups(
        ctx,
        i.str("UserPoolId")?,
        after.as_deref(),
        page_size(i.opt_i64("Limit")),
    )
    .await?;
    Ok(group_page(&list, next))
}

pub async fn admin_add_user_to_group(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    groups::admin_add_user_to_group(
        ctx,
        i.str("UserPoolId")?,
        i.str("Username")?,
        i.str("GroupName")?,
    )
    .await?;
    Ok(json!({}))
}

pub async fn admin_remove_user_from_group(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    groups::admin_remove_user_from_group(
        ctx,
        i.str("UserPoolId")?,
        i.str("Username")?,
        i.str("GroupName")?,
    )
    .await?;
    Ok(json!({}))
}

pub async fn admin_list_groups_for_user(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let after = decode_token(i.opt_str("NextToken"))?;
    let (list, next) = groups::admin_list_groups_for_user(
        ctx,
        i.str("UserPoolId")?,
        i.str("Username")?,
        after.as_deref(),
        page_size(i.opt_i64("Limit")),
    )
    .await?;
    Ok(group_page(&list, next))
}

pub async fn list_users_in_group(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Value> {
    let after = decode_token(i.opt_str("NextToken"))?;
    let (users, next) = groups::list_users_in_group(
        ctx,
        i.str("UserPoolId")?,
        i.str("GroupName")?,
        after.as_deref(),
        page_size(i.opt_i64("Limit")),
    )
    .await?;
    let mut out = Map::new();
    out.insert(
        "Users".into(),
        Value::Array(users.iter().map(|u| user_type(u, None)).collect()),
    );
    put(&mut out, "NextToken", next_token(next));
    Ok(Value::Object(out))
}
