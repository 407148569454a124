//! CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

use crate::model::{Group, User};
use crate::service::Ctx;
use crate::store::{Constraint, StoreError};
use crate::{CognitoError, ErrorKind, Result};

pub const DEFAULT_LIMIT: usize = 60;

/// Optional group properties. On update, `None` leaves the current value.
#[derive(Debug, Clone, Default)]
pub struct GroupConfig {
    pub description: Option<String>,
    pub role_arn: Option<String>,
    pub precedence: Option<i64>,
}

pub fn group_not_found() -> CognitoError {
    CognitoError::resource_not_found("Group not found.")
}

fn group_exists() -> CognitoError {
    CognitoError::new(
        ErrorKind::GroupExists,
        "A group with the name already exists.",
    )
}

/// `None` or 0 means the default page size; the rest is capped at 60.
pub fn page_size(limit: Option<i64>) -> usize {
    match limit {
        None | Some(0) => DEFAULT_LIMIT,
        Some(n) => n.clamp(1, DEFAULT_LIMIT as i64) as usize,
    }
}

/// Trims a `limit + 1` read to `limit` and names the key to continue after.
fn paged<T>(
    mut items: Vec<T>,
    limit: usize,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    if items.len() > limit {
        items.truncate(limit);
        let next = items.last().map(key);
        (items, next)
    } else {
        (items, None)
    }
}

pub async fn create_group(
    ctx: &Ctx<'_>,
    pool_id: &str,
    name: &str,
    config: GroupConfig,
) -> Result<Group> {
    ctx.pool(pool_id).await?;
    let group = Group {
        pool_id: pool_id.to_owned(),
        name: name.to_owned(),
        description: config.description,
        role_arn: config.role_arn,
        precedence: config.precedence,
        created: ctx.now,
        modified: ctx.now,
    };
    ctx.store.insert_group(&group).await.map_err(|e| match e {
        StoreError::Conflict {
            constraint: Constraint::Group,
        } => group_exists(),
        e => e.into(),
    })?;
    Ok(group)
}

async fn group(ctx: &Ctx<'_>, pool_id: &str, name: &str) -> Result<Group> {
    ctx.store
        .get_group(pool_id, name)
        .await?
        .ok_or_else(group_not_found)
}

pub async fn get_group(ctx: &Ctx<'_>, pool_id: &str, name: &str) -> Result<Group> {
    ctx.pool(pool_id).await?;
    group(ctx, pool_id, name).await
}

pub async fn update_group(
    ctx: &Ctx<'_>,
    pool_id: &str,
    name: &str,
    config: GroupConfig,
) -> Result<Group> {
    ctx.pool(pool_id).await?;
    let mut g = group(ctx, pool_id, name).await?;
    if let Some(d) = config.description {
        g.description = Some(d);
    }
    if let Some(r) = config.role_arn {
        g.role_arn = Some(r);
    }
    if let Some(p) = config.precedence {
        g.precedence = Some(p);
    }
    g.modified = ctx.now;
    ctx.store.update_group(&g).await.map_err(|e| match e {
        StoreError::NotFound => group_not_found(),
        e => e.into(),
    })?;
    Ok(g)
}

pub async fn delete_group(ctx: &Ctx<'_>, pool_id: &str, name: &str) -> Result<()> {
    ctx.pool(pool_id).await?;
    if !ctx.store.delete_group(pool_id, name).await? {
        return Err(group_not_found());
    }
    Ok(())
}

pub async fn list_groups(
    ctx: &Ctx<'_>,
    pool_id: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<(Vec<Group>, Option<String>)> {
    ctx.pool(pool_id).await?;
    let groups = ctx.store.list_groups(pool_id, after, limit + 1).await?;
    Ok(paged(groups, limit, |g| g.name.clone()))
}

pub async fn admin_add_user_to_group(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    group_name: &str,
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let g = group(ctx, pool_id, group_name).await?;
    let user = ctx.user(&pool, username).await?;
    ctx.store
        .add_user_to_group(pool_id, &g.name, &user.username)
        .await?;
    Ok(())
}

pub async fn admin_remove_user_from_group(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    group_name: &str,
) -> Result<()> {
    let pool = ctx.pool(pool_id).await?;
    let g = group(ctx, pool_id, group_name).await?;
    let user = ctx.user(&pool, username).await?;
    ctx.store
        .remove_user_from_group(pool_id, &g.name, &user.username)
        .await?;
    Ok(())
}

/// The user's groups by name, paginated in memory (a user is in few groups).
pub async fn admin_list_groups_for_user(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<(Vec<Group>, Option<String>)> {
    let pool = ctx.pool(pool_id).await?;
    let user = ctx.user(&pool, username).await?;
    let mut groups = ctx
        .store
        .list_groups_for_user(pool_id, &user.username)
        .await?;
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    let rest: Vec<Group> = groups
        .into_iter()
        .filter(|g| after.is_none_or(|a| g.name.as_str() > a))
        .take(limit + 1)
        .collect();
    Ok(paged(rest, limit, |g| g.name.clone()))
}

pub async fn list_users_in_group(
    ctx: &Ctx<'_>,
    pool_id: &str,
    group_name: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<(Vec<User>, Option<String>)> {
    ctx.pool(pool_id).await?;
    group(ctx, pool_id, group_name).await?;
    let users = ctx
        .store
        .list_users_in_group(pool_id, group_name, after, limit + 1)
        .await?;
    Ok(paged(users, limit, |u| u.username.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes() {
        assert_eq!(page_size(None), 60);
        assert_eq!(page_size(Some(0)), 60);
        assert_eq!(page_size(Some(5)), 5);
        assert_eq!(page_size(Some(600)), 60);
    }

    #[test]
    fn paging() {
        let (items, next) = paged(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!((items, next.as_deref()), (vec![1, 2], Some("2")));
        let (items, next) = paged(vec![1, 2], 2, |n| n.to_string());
        assert_eq!((items, next), (vec![1, 2], None));
    }
}
