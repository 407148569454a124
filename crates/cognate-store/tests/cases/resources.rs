//! The pool-scoped collection of configuration resources.

use cognate_core::model::{Resource, ResourceKind};
use cognate_core::store::{Constraint, Store, StoreError};
use serde_json::json;

use super::{conflict, pool};

fn resource(pool_id: &str, kind: ResourceKind, id: &str, n: i64) -> Resource {
    Resource {
        pool_id: pool_id.into(),
        kind,
        id: id.into(),
        data: json!({ "n": n, "name": id }),
    }
}

pub async fn resources(s: &dyn Store) {
    let (p, q) = ("us-east-1_R", "us-east-1_S");
    s.insert_pool(&pool(p)).await.expect("pool");
    s.insert_pool(&pool(q)).await.expect("pool");
    let api = resource(p, ResourceKind::ResourceServer, "https://api", 1);
    s.insert_resource(&api).await.expect("insert");
    // unique per (pool, kind, id)...
    assert_eq!(
        s.insert_resource(&api).await,
        Err(conflict(Constraint::Resource))
    );
    // ...but the same id is fine in another kind or pool
    s.insert_resource(&resource(
        p,
        ResourceKind::IdentityProvider,
        "https://api",
        2,
    ))
    .await
    .expect("other kind");
    s.insert_resource(&resource(q, ResourceKind::ResourceServer, "https://api", 3))
        .await
        .expect("other pool");
    // a resource of a pool that does not exist is refused
    assert_eq!(
        s.insert_resource(&resource("us-east-1_none", ResourceKind::Domain, "d", 0))
            .await,
        Err(StoreError::Conflict {
            constraint: Constraint::Reference
        })
    );
    assert_eq!(
        s.get_resource(p, ResourceKind::ResourceServer, "https://api")
            .await
            .expect("get"),
        Some(api.clone())
    );
    assert_eq!(
        s.get_resource(p, ResourceKind::Domain, "https://api")
            .await
            .expect("get"),
        None
    );

    // put inserts or replaces
    let branding = resource(p, ResourceKind::Branding, "default", 1);
    s.put_resource(&branding).await.expect("put new");
    let replaced = resource(p, ResourceKind::Branding, "default", 2);
    s.put_resource(&replaced).await.expect("put again");
    assert_eq!(
        s.get_resource(p, ResourceKind::Branding, "default")
            .await
            .expect("get"),
        Some(replaced)
    );

    // listing is per kind, ordered bytewise by id, paged with `after`
    for id in ["b", "Z", "a", "c"] {
        s.insert_resource(&resource(p, ResourceKind::Domain, id, 0))
            .await
            .expect("domain");
    }
    let ids = |page: Vec<Resource>| page.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s
            .list_resources(p, ResourceKind::Domain, None, 3)
            .await
            .expect("list")),
        ["Z", "a", "b"]
    );
    assert_eq!(
        ids(s
            .list_resources(p, ResourceKind::Domain, Some("b"), 3)
            .await
            .expect("list")),
        ["c"]
    );

    // a domain names one pool across the installation, and is found without it
    assert_eq!(
        s.insert_resource(&resource(q, ResourceKind::Domain, "b", 0))
            .await,
        Err(conflict(Constraint::Resource))
    );
    s.insert_resource(&resource(q, ResourceKind::ResourceServer, "b", 0))
        .await
        .expect("only domains are unique across pools");
    let found = s.find_domain("b").await.expect("find").expect("found");
    assert_eq!((found.pool_id.as_str(), found.id.as_str()), (p, "b"));
    assert_eq!(s.find_domain("B").await.expect("find"), None);
    assert!(s
        .delete_resource(q, ResourceKind::ResourceServer, "b")
        .await
        .expect("delete"));

    assert!(s
        .delete_resource(p, ResourceKind::Domain, "a")
        .await
        .expect("delete"));
    assert!(!s
        .delete_resource(p, ResourceKind::Domain, "a")
        .await
        .expect("again"));

    // deleting the pool deletes its resources, and only its own
    assert!(s.delete_pool(p).await.expect("delete pool"));
    for kind in ResourceKind::ALL {
        assert!(s
            .list_resources(p, kind, None, 10)
            .await
            .expect("list")
            .is_empty());
    }
    assert_eq!(
        s.list_resources(q, ResourceKind::ResourceServer, None, 10)
            .await
            .expect("list")
            .len(),
        1
    );
    assert!(s.delete_pool(q).await.expect("delete pool"));
}
