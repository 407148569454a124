-- A refresh token's revocation is updated in place: a real column, not a JSON path.
ALTER TABLE refresh_tokens ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
UPDATE refresh_tokens SET revoked = 1 WHERE json_extract(data, '$.revoked') = 1;

-- Users are compare-and-set part by part on versions inside the document; this was unused.
ALTER TABLE users DROP COLUMN version;

-- Configuration-only resources of a pool (domains, resource servers, identity providers,
-- branding), one collection keyed by kind and id.
CREATE TABLE resources (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (pool_id, kind, id)
);
