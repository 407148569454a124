//! Paging over a pool's configuration resources of one kind (resource servers, identity
//! providers), shared by their List operations and the lookups that need all of them.

use crate::model::{Resource, ResourceKind};
use crate::service::Ctx;
use crate::Result;

/// Rows read per store call by [`all`].
const BATCH: usize = 100;

/// At most `max` resources after `after`, and the id to continue after when there are more.
pub async fn page(
    ctx: &Ctx<'_>,
    pool_id: &str,
    kind: ResourceKind,
    after: Option<&str>,
    max: usize,
) -> Result<(Vec<Resource>, Option<String>)> {
    let mut page = ctx
        .store
        .list_resources(pool_id, kind, after, max + 1)
        .await?;
    let next = if page.len() > max {
        page.truncate(max);
        page.last().map(|r| r.id.clone())
    } else {
        None
    };
    Ok((page, next))
}

/// Every resource of `kind` in the pool, by id.
pub async fn all(ctx: &Ctx<'_>, pool_id: &str, kind: ResourceKind) -> Result<Vec<Resource>> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let (batch, next) = page(ctx, pool_id, kind, after.as_deref(), BATCH).await?;
        out.extend(batch);
        match next {
            Some(id) => after = Some(id),
            None => return Ok(out),
        }
    }
}
