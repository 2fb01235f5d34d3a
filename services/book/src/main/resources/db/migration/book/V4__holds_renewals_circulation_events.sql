-- Circulation as a desk runs it: holds, renewals, and an append-only history.
--
-- A book's copies are now in one of three places: on loan (active loans), held for pickup by the
-- first member in its hold queue (held_copies, one per READY hold), or on the shelf for anyone
-- (available_copies). Every change of the last two happens under the book row's lock (borrow,
-- return, update, hold placement/cancellation, expiry), so the counts and the hold states move
-- together.
ALTER TABLE books ADD COLUMN held_copies integer NOT NULL DEFAULT 0;
ALTER TABLE books DROP CONSTRAINT books_available_in_range;
ALTER TABLE books ADD CONSTRAINT books_copies_in_range
    CHECK (available_copies >= 0 AND held_copies >= 0
           AND available_copies + held_copies <= total_copies);

ALTER TABLE loans ADD COLUMN renewals_used integer NOT NULL DEFAULT 0 CHECK (renewals_used >= 0);
-- The overdue block asks "does this member have an active loan due before X".
CREATE INDEX loans_user_active_due_idx ON loans (user_id, due_at) WHERE returned_at IS NULL;

-- A member waiting for a book. WAITING holds form the book's queue in `position` order (an
-- identity: assigned at insert, under the book row lock, so it is the order of placement).
-- READY: a copy is kept for this member until pickup_deadline. The other states are final.
CREATE TABLE holds (
    id              uuid        PRIMARY KEY,
    position        bigint      GENERATED ALWAYS AS IDENTITY,
    book_id         uuid        NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL,
    status          text        NOT NULL
        CHECK (status IN ('WAITING', 'READY', 'FULFILLED', 'EXPIRED', 'CANCELLED')),
    placed_at       timestamptz NOT NULL,
    ready_at        timestamptz,
    pickup_deadline timestamptz,
    closed_at       timestamptz,
    CONSTRAINT holds_ready_has_deadline CHECK ((status = 'READY') = (pickup_deadline IS NOT NULL AND closed_at IS NULL))
);
-- At most one open hold per member and book.
CREATE UNIQUE INDEX holds_one_open_per_member_idx ON holds (book_id, user_id)
    WHERE status IN ('WAITING', 'READY');
CREATE INDEX holds_queue_idx ON holds (book_id, position) WHERE status = 'WAITING';
CREATE INDEX holds_ready_deadline_idx ON holds (pickup_deadline) WHERE status = 'READY';
CREATE INDEX holds_user_idx ON holds (user_id, placed_at DESC, position DESC);
CREATE INDEX holds_user_open_idx ON holds (user_id) WHERE status IN ('WAITING', 'READY');

-- Who did what with which copy, when. No foreign keys: history outlives deleted books. user_id is
-- the member the event concerns, set to NULL once the event is older than the retention setting
-- (anonymization); actor_id is the librarian who acted for the member (NULL when the member
-- acted, or the system did: an expiry).
CREATE TABLE circulation_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    user_id     uuid,
    book_id     uuid        NOT NULL,
    loan_id     uuid,
    hold_id     uuid,
    actor_id    uuid
);
CREATE INDEX circulation_events_time_idx ON circulation_events (occurred_at DESC, id DESC);
CREATE INDEX circulation_events_user_idx ON circulation_events (user_id, occurred_at DESC, id DESC);
CREATE INDEX circulation_events_book_idx ON circulation_events (book_id, occurred_at DESC, id DESC);
-- The anonymizer's work list: events that still name a member, oldest first.
CREATE INDEX circulation_events_named_idx ON circulation_events (occurred_at) WHERE user_id IS NOT NULL;

-- Append-only: the only change allowed is forgetting the member (anonymization).
CREATE FUNCTION circulation_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND (NEW.id, NEW.type, NEW.occurred_at, NEW.book_id, NEW.loan_id, NEW.hold_id, NEW.actor_id)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.type, OLD.occurred_at, OLD.book_id, OLD.loan_id, OLD.hold_id, OLD.actor_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'circulation_events is append-only';
END $$;
CREATE TRIGGER circulation_events_append_only
    BEFORE UPDATE OR DELETE ON circulation_events
    FOR EACH ROW EXECUTE FUNCTION circulation_events_append_only();
