-- Portable SQL: the same migration runs on H2 and PostgreSQL.

-- No flapping (issue 9): after an automatic rollback the controller does not promote the route on
-- its own until held_until has passed, a person resumes it, or the service's definition changes
-- (held_service is a digest of that definition when the hold began). automatic_rollbacks counts the
-- consecutive automatic rollbacks: each one doubles the next hold. removed_at is set once the route
-- was audited as removed from the config file, so the removal is audited once, not on every reload.
ALTER TABLE route_state ADD COLUMN held_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE route_state ADD COLUMN held_service VARCHAR(128);
ALTER TABLE route_state ADD COLUMN automatic_rollbacks INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE route_state ADD COLUMN removed_at TIMESTAMP WITH TIME ZONE;
