-- PostgreSQL (and CockroachDB) twin of sqlite/0001_init.sql. Keys are COLLATE "C" so that they
-- order bytewise, as in SQLite (pagination). Entities are JSON documents (the
-- core's serde encoding); columns exist only for lookups, ordering and constraints. Every
-- constraint is named: a violation is mapped to a typed Constraint by its name
-- (postgres/error.rs).
CREATE TABLE pools (
    id   TEXT COLLATE "C" NOT NULL,
    data TEXT NOT NULL,
    CONSTRAINT pools_pkey PRIMARY KEY (id)
);

CREATE TABLE clients (
    client_id TEXT COLLATE "C" NOT NULL,
    pool_id   TEXT COLLATE "C" NOT NULL,
    data      TEXT NOT NULL,
    CONSTRAINT clients_pkey PRIMARY KEY (client_id),
    CONSTRAINT clients_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools(id) ON DELETE CASCADE
);
CREATE INDEX clients_by_pool ON clients(pool_id, client_id);

CREATE TABLE users (
    pool_id      TEXT COLLATE "C" NOT NULL,
    username     TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    sub          TEXT COLLATE "C" NOT NULL,
    version      BIGINT NOT NULL,
    data         TEXT NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (pool_id, username),
    CONSTRAINT users_by_key UNIQUE (pool_id, username_key),
    CONSTRAINT users_by_sub UNIQUE (pool_id, sub),
    CONSTRAINT users_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools(id) ON DELETE CASCADE
);

CREATE TABLE user_aliases (
    pool_id   TEXT COLLATE "C" NOT NULL,
    attribute TEXT COLLATE "C" NOT NULL,
    value_key TEXT COLLATE "C" NOT NULL,
    username  TEXT COLLATE "C" NOT NULL,
    CONSTRAINT user_aliases_pkey PRIMARY KEY (pool_id, attribute, value_key),
    CONSTRAINT user_aliases_user_fkey FOREIGN KEY (pool_id, username)
        REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX user_aliases_by_user ON user_aliases(pool_id, username);

CREATE TABLE groups (
    pool_id TEXT COLLATE "C" NOT NULL,
    name    TEXT COLLATE "C" NOT NULL,
    data    TEXT NOT NULL,
    CONSTRAINT groups_pkey PRIMARY KEY (pool_id, name),
    CONSTRAINT groups_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools(id) ON DELETE CASCADE
);

CREATE TABLE group_members (
    pool_id    TEXT COLLATE "C" NOT NULL,
    group_name TEXT COLLATE "C" NOT NULL,
    username   TEXT COLLATE "C" NOT NULL,
    CONSTRAINT group_members_pkey PRIMARY KEY (pool_id, group_name, username),
    CONSTRAINT group_members_group_fkey FOREIGN KEY (pool_id, group_name)
        REFERENCES groups(pool_id, name) ON DELETE CASCADE,
    CONSTRAINT group_members_user_fkey FOREIGN KEY (pool_id, username)
        REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX group_members_by_user ON group_members(pool_id, username);

CREATE TABLE refresh_tokens (
    token_hash TEXT COLLATE "C" NOT NULL,
    origin_jti TEXT COLLATE "C" NOT NULL,
    pool_id    TEXT COLLATE "C" NOT NULL,
    username   TEXT COLLATE "C" NOT NULL,
    data       TEXT NOT NULL,
    CONSTRAINT refresh_tokens_pkey PRIMARY KEY (token_hash),
    CONSTRAINT refresh_tokens_origin_key UNIQUE (origin_jti),
    CONSTRAINT refresh_tokens_user_fkey FOREIGN KEY (pool_id, username)
        REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens(pool_id, username);

CREATE TABLE signing_keys (
    pool_id TEXT COLLATE "C" NOT NULL,
    purpose TEXT COLLATE "C" NOT NULL,
    kid     TEXT COLLATE "C" NOT NULL,
    data    TEXT NOT NULL,
    CONSTRAINT signing_keys_pkey PRIMARY KEY (pool_id, purpose),
    CONSTRAINT signing_keys_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools(id) ON DELETE CASCADE
);

CREATE TABLE auth_sessions (
    id_hash  TEXT COLLATE "C" NOT NULL,
    pool_id  TEXT COLLATE "C" NOT NULL,
    consumed BOOLEAN NOT NULL DEFAULT FALSE,
    expires  BIGINT NOT NULL,
    data     TEXT NOT NULL,
    CONSTRAINT auth_sessions_pkey PRIMARY KEY (id_hash),
    CONSTRAINT auth_sessions_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools(id) ON DELETE CASCADE
);
CREATE INDEX auth_sessions_by_pool ON auth_sessions(pool_id);
CREATE INDEX auth_sessions_by_expiry ON auth_sessions(expires);
