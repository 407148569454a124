-- Entities are JSON documents (the core's serde encoding); columns exist only for lookups,
-- ordering and the constraints the store enforces.
CREATE TABLE pools (
    id   TEXT PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    pool_id   TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    data      TEXT NOT NULL
);
CREATE INDEX clients_by_pool ON clients(pool_id, client_id);

CREATE TABLE users (
    pool_id      TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    username     TEXT NOT NULL,
    username_key TEXT NOT NULL,
    sub          TEXT NOT NULL,
    version      INTEGER NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (pool_id, username)
);
CREATE UNIQUE INDEX users_by_key ON users(pool_id, username_key);
CREATE UNIQUE INDEX users_by_sub ON users(pool_id, sub);

CREATE TABLE user_aliases (
    pool_id   TEXT NOT NULL,
    attribute TEXT NOT NULL,
    value_key TEXT NOT NULL,
    username  TEXT NOT NULL,
    PRIMARY KEY (pool_id, attribute, value_key),
    FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX user_aliases_by_user ON user_aliases(pool_id, username);

CREATE TABLE groups (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id    TEXT NOT NULL,
    group_name TEXT NOT NULL,
    username   TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, username),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups(pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX group_members_by_user ON group_members(pool_id, username);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    origin_jti TEXT NOT NULL UNIQUE,
    pool_id    TEXT NOT NULL,
    username   TEXT NOT NULL,
    data       TEXT NOT NULL,
    FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens(pool_id, username);

CREATE TABLE signing_keys (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    kid     TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (pool_id, purpose)
);

CREATE TABLE auth_sessions (
    id_hash  TEXT PRIMARY KEY,
    pool_id  TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    consumed INTEGER NOT NULL DEFAULT 0,
    expires  INTEGER NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX auth_sessions_by_pool ON auth_sessions(pool_id);
CREATE INDEX auth_sessions_by_expiry ON auth_sessions(expires);
