-- The relay no longer holds a transaction (and row locks) open while it calls the Category
-- service: it claims entries in one short statement, calls, and records the outcome in another.
-- A claim is a lease: a relay that dies mid-call leaves an entry claimed until claimed_until,
-- after which any relay may take it again (delivery is idempotent). Kept apart from
-- next_attempt_at so that waking deferred entries early (the Category service is back) never
-- hands out an entry another relay is delivering right now.
ALTER TABLE category_link_outbox ADD COLUMN claimed_until timestamptz;
