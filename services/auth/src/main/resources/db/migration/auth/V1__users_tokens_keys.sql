-- Accounts. Usernames and e-mails are unique regardless of case; the unique indexes, not a
-- check-then-insert, decide which of two racing registrations wins.
CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL CHECK (char_length(username) BETWEEN 3 AND 50),
    email         text        NOT NULL CHECK (char_length(email) <= 254),
    password_hash text        NOT NULL,
    roles         text[]      NOT NULL DEFAULT ARRAY['member'],
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Refresh tokens are stored as SHA-256 hashes only: a copy of this table signs nobody in.
-- A token is spent by setting used_at, in the same statement that checks it is unspent.
CREATE TABLE refresh_tokens (
    token_hash bytea       PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- The development signing key, generated on first start when no key file is configured, so
-- tokens stay valid across restarts. Every row is published in the JWKS; the oldest signs.
CREATE TABLE signing_keys (
    kid         text        PRIMARY KEY,
    private_key bytea       NOT NULL,
    public_key  bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
