-- Portable SQL: the same migration runs on H2 and PostgreSQL (BYTEA is a synonym of VARBINARY on H2).

-- The endpoint catalog each gateway learned from traffic (and from an imported OpenAPI document),
-- cumulative since the gateway first ran: a gateway replaces all of its rows on every flush, and
-- readers sum the gateways per endpoint. Status codes are text, "200:120,404:3" (code:count by code);
-- latency is an encoded LatencySketch (compressed HdrHistogram). An endpoint only declared and never
-- called has no first/last seen; one no route claimed has no route and stage.
CREATE TABLE endpoint_catalog (
    gateway        VARCHAR(255)             NOT NULL,
    method         VARCHAR(16)              NOT NULL,
    template       VARCHAR(2048)            NOT NULL,
    request_count  BIGINT                   NOT NULL,
    status_codes   VARCHAR(100000)          NOT NULL,
    latency        BYTEA                    NOT NULL,
    request_bytes  BIGINT                   NOT NULL,
    response_bytes BIGINT                   NOT NULL,
    first_seen     TIMESTAMP WITH TIME ZONE,
    last_seen      TIMESTAMP WITH TIME ZONE,
    route          VARCHAR(255),
    stage          VARCHAR(16),
    declared       BOOLEAN                  NOT NULL,
    PRIMARY KEY (gateway, method, template)
);
