-- Shadow results per gateway and (route, service, service digest): each gateway upserts its own
-- cumulative summary of a key when it changed; readers add up every gateway's row of a key. A new
-- service, or a changed service definition, is a new key; old keys are pruned when not updated for
-- the retention (7 days). The summary (paths, noise evidence, redacted and bounded samples) is JSON.
CREATE TABLE shadow_result (
    gateway         VARCHAR(255)             NOT NULL,
    route           VARCHAR(255)             NOT NULL,
    service         VARCHAR(255)             NOT NULL,
    service_digest  VARCHAR(64)              NOT NULL,
    first_seen      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    comparisons     BIGINT                   NOT NULL,
    matches         BIGINT                   NOT NULL,
    summary         VARCHAR(1000000)         NOT NULL,
    PRIMARY KEY (gateway, route, service, service_digest)
);
CREATE INDEX shadow_result_route ON shadow_result (route);
CREATE INDEX shadow_result_updated ON shadow_result (updated_at);
