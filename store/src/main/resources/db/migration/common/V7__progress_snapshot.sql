-- The migration's progress over time, for the dashboard's "over time" line: one row per stage per
-- snapshot (the leading controller takes one now and then). The stage is a route stage, or
-- 'unclaimed' for the endpoints no route claims yet. Only appended (and pruned), never updated.
CREATE TABLE progress_snapshot (
    taken_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    stage     VARCHAR(16)              NOT NULL,
    routes    INTEGER                  NOT NULL,
    endpoints BIGINT                   NOT NULL,
    requests  BIGINT                   NOT NULL,
    bytes     BIGINT                   NOT NULL,
    PRIMARY KEY (taken_at, stage)
);
