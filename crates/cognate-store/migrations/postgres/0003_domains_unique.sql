-- Twin of sqlite/0003_domains_unique.sql.
CREATE UNIQUE INDEX resources_domain_key ON resources (id) WHERE kind = 'domain';
