-- Revocation: every access token carries the user's token generation (`gen` claim). Raising it
-- (role change, password change, logout everywhere, refresh-token reuse) makes every service
-- refuse the older tokens once it has polled ListRevocations, which reads tokens_revoked_at.
ALTER TABLE users ADD COLUMN token_generation bigint NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN tokens_revoked_at timestamptz;
CREATE INDEX users_tokens_revoked_idx ON users (tokens_revoked_at)
    WHERE tokens_revoked_at IS NOT NULL;

-- Login throttling, one row per account ('account:<name>') and per client address
-- ('address:<ip>'). `consecutive` failures set the backoff; `hour_failures` counts failures in
-- the hour since `hour_started_at` (ASVS V2.2.1 caps them per account). Rows decide under a row
-- lock, so concurrent attempts count exactly.
CREATE TABLE login_throttle (
    throttle_key    text        PRIMARY KEY,
    consecutive     integer     NOT NULL DEFAULT 0,
    last_failure_at timestamptz NOT NULL DEFAULT now(),
    blocked_until   timestamptz NOT NULL DEFAULT now(),
    hour_started_at timestamptz NOT NULL DEFAULT now(),
    hour_failures   integer     NOT NULL DEFAULT 0
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);

-- The security audit trail. Append-only: the triggers below refuse UPDATE, DELETE and TRUNCATE,
-- whoever asks, so not even a bug in this service can rewrite history.
CREATE TABLE audit_events (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type           text        NOT NULL,
    occurred_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    user_id        uuid,
    actor_user_id  uuid,
    username       text        NOT NULL DEFAULT '',
    client_address text        NOT NULL DEFAULT '',
    details        jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_user_idx ON audit_events (user_id, id);
CREATE INDEX audit_events_type_idx ON audit_events (type, id);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END
$$;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
