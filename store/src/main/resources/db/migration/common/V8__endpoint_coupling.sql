-- Portable SQL: the same migration runs on H2 and PostgreSQL.

-- Which endpoint groups the same client sessions use together (strangler analyze --coupling),
-- cumulative since each gateway first ran: a gateway replaces all of its rows on every flush and
-- readers sum the gateways. One row per counter: group_a = group_b = '' holds the sessions seen,
-- group_b = '' the sessions that used group_a, otherwise the sessions that used both (group_a < group_b).
CREATE TABLE endpoint_coupling (
    gateway  VARCHAR(255)  NOT NULL,
    group_a  VARCHAR(2048) NOT NULL,
    group_b  VARCHAR(2048) NOT NULL,
    sessions BIGINT        NOT NULL,
    PRIMARY KEY (gateway, group_a, group_b)
);
