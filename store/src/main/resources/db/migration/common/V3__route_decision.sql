-- The controller's latest judgement of each route (hold, promote or rollback, with its evidence), so
-- every gateway of a fleet can show it, not only the one that runs the controller. Replaced, not
-- appended: the moves themselves are in audit_log.
CREATE TABLE route_decision (
    route      VARCHAR(255)             NOT NULL PRIMARY KEY,
    decided_at TIMESTAMP WITH TIME ZONE NOT NULL,
    action     VARCHAR(16)              NOT NULL,
    summary    VARCHAR(4000)            NOT NULL,
    evidence   VARCHAR(100000)
);
