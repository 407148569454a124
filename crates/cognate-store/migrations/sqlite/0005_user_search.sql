-- The ListUsers filter index: one row per user and filterable field (username, status,
-- cognito:user_status, sub, and the searchable standard attributes), written with the user.
-- Its rows for existing users are written by the migration runner in Rust, in the same
-- transaction (the keys are computed by the same function that writes them later).
CREATE TABLE user_search (
    pool_id   TEXT NOT NULL,
    attribute TEXT NOT NULL,
    value_key TEXT NOT NULL,
    username  TEXT NOT NULL,
    PRIMARY KEY (pool_id, attribute, value_key, username),
    FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX user_search_by_user ON user_search(pool_id, username);
