-- Portable SQL: the same migration runs on H2 and PostgreSQL.

-- Which sticky bucket function a route's canary draws users with (issue 15). New canaries use 'nginx'
-- (MurmurHash2, as NGINX's split_clients). A route in canary when this migration runs keeps 'legacy'
-- (the function before it) until it leaves canary, so no user already on the service is moved back.
ALTER TABLE route_state ADD COLUMN sticky_hash VARCHAR(16) DEFAULT 'nginx' NOT NULL;
UPDATE route_state SET sticky_hash = 'legacy' WHERE stage = 'canary';
