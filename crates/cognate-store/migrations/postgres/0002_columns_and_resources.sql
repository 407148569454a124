-- Twin of sqlite/0002_columns_and_resources.sql.
-- A refresh token's revocation is updated in place: a real column. No backfill from the JSON
-- document is needed here (no PostgreSQL database predates this migration), and CockroachDB
-- does not let a transaction use a column it has just added.
ALTER TABLE refresh_tokens ADD COLUMN revoked BOOLEAN NOT NULL DEFAULT FALSE;

-- Users are compare-and-set part by part on versions inside the document; this was unused.
ALTER TABLE users DROP COLUMN version;

-- Configuration-only resources of a pool (domains, resource servers, identity providers,
-- branding), one collection keyed by kind and id.
CREATE TABLE resources (
    pool_id TEXT COLLATE "C" NOT NULL,
    kind    TEXT COLLATE "C" NOT NULL,
    id      TEXT COLLATE "C" NOT NULL,
    data    TEXT NOT NULL,
    CONSTRAINT resources_pkey PRIMARY KEY (pool_id, kind, id),
    CONSTRAINT resources_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools(id) ON DELETE CASCADE
);
