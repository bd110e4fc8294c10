-- Portable SQL: the same migration runs on H2 and PostgreSQL.

-- The service a route's current step gathers evidence about: its name and a digest of its definition
-- (URLs, timeouts, pool, trust). When a reload gives a route in shadow, canary or live another service,
-- or changes its definition, the step starts again (entered_at moves to the reload), so the metric
-- windows read since the step began, and the gates, judge only the new service. Rows written before
-- this migration have none; the next reconcile records the service of the file then, without a restart.
ALTER TABLE route_state ADD COLUMN step_service VARCHAR(255);
ALTER TABLE route_state ADD COLUMN step_service_digest VARCHAR(128);
