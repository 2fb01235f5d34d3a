-- Outcomes of mutating requests that carried a request_id (AIP-155), kept 24 hours so that a
-- client may retry after a timeout without the work being done twice. Lives in every service's
-- own database, beside the rows the request changed: the business transaction marks its row
-- `applied` before it commits, so "done" and "recorded as done" cannot disagree.
CREATE TABLE request_outcomes (
    caller         text        NOT NULL,
    method         text        NOT NULL,
    request_id     uuid        NOT NULL,
    -- SHA-256 of the request without its request_id: the same id with another request is refused.
    fingerprint    bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- While the first attempt runs; a claim past this instant belongs to an attempt that died.
    claimed_until  timestamptz NOT NULL,
    applied        boolean     NOT NULL DEFAULT false,
    -- NULL while the first attempt runs; then the google.rpc.Status and, when OK, the response.
    status         bytea,
    response       bytea,
    PRIMARY KEY (caller, method, request_id)
);
CREATE INDEX request_outcomes_created_idx ON request_outcomes (created_at);
