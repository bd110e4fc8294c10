-- A service that failed without an answer (refused, timed out, reset) counts against the service
-- even when the monolith then answered by fallback: each side's hard failures (a subset of its
-- errors) and the window's fallbacks. Existing rows predate the distinction and read as 0.
ALTER TABLE metric_window ADD COLUMN monolith_hard_failures BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE metric_window ADD COLUMN service_hard_failures BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE metric_window ADD COLUMN fallbacks BIGINT DEFAULT 0 NOT NULL;
