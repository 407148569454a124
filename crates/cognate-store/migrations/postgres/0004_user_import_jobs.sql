-- Twin of sqlite/0004_user_import_jobs.sql.
CREATE TABLE user_import_jobs (
    job_id  TEXT COLLATE "C" NOT NULL,
    pool_id TEXT COLLATE "C" NOT NULL,
    status  TEXT COLLATE "C" NOT NULL,
    created BIGINT NOT NULL,
    data    TEXT NOT NULL,
    CONSTRAINT user_import_jobs_pkey PRIMARY KEY (job_id),
    CONSTRAINT user_import_jobs_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools(id) ON DELETE CASCADE
);
CREATE INDEX user_import_jobs_by_pool ON user_import_jobs (pool_id, created, job_id);
CREATE INDEX user_import_jobs_by_status ON user_import_jobs (status, created);

CREATE TABLE user_import_files (
    job_id TEXT COLLATE "C" NOT NULL,
    data   BYTEA NOT NULL,
    CONSTRAINT user_import_files_pkey PRIMARY KEY (job_id),
    CONSTRAINT user_import_files_job_fkey FOREIGN KEY (job_id) REFERENCES user_import_jobs(job_id) ON DELETE CASCADE
);
