-- A domain (prefix or custom domain) names one pool across the whole installation: requests
-- to the domain's endpoints find their pool by it.
CREATE UNIQUE INDEX resources_domain_key ON resources (id) WHERE kind = 'domain';
