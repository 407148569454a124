-- User import jobs (CreateUserImportJob ...) and the CSV file uploaded to each.
CREATE TABLE user_import_jobs (
    job_id  TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    status  TEXT NOT NULL,
    created INTEGER NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX user_import_jobs_by_pool ON user_import_jobs (pool_id, created, job_id);
CREATE INDEX user_import_jobs_by_status ON user_import_jobs (status, created);

CREATE TABLE user_import_files (
    job_id TEXT PRIMARY KEY REFERENCES user_import_jobs(job_id) ON DELETE CASCADE,
    data   BLOB NOT NULL
);
