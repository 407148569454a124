-- The ListUsers filter index: one row per user and filterable field (username, status,
-- cognito:user_status, sub, and the searchable standard attributes), written with the user.
-- Its rows for existing users are written by the migration runner in Rust, in the same
-- transaction (the keys are computed by the same function that writes them later).
CREATE TABLE user_search (
    pool_id   TEXT COLLATE "C" NOT NULL,
    attribute TEXT COLLATE "C" NOT NULL,
    value_key TEXT COLLATE "C" NOT NULL,
    username  TEXT COLLATE "C" NOT NULL,
    CONSTRAINT user_search_pkey PRIMARY KEY (pool_id, attribute, value_key, username),
    CONSTRAINT user_search_user_fkey FOREIGN KEY (pool_id, username)
        REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX user_search_by_user ON user_search(pool_id, username);
