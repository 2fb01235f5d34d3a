-- One borrow and one return: statement for statement what the Book service runs for BorrowBook
-- and ReturnBook with a request_id (core/Circulation, db/LoanDao, db/BookDao, db/HoldDao,
-- db/EventDao, and the runtime's request_id ledger, runtime/grpc/IdempotentRequests and
-- runtime/db/RequestOutcomeDao), with the same locks, conditional updates and commits. Per call:
-- the ledger claim (its own transaction, committed without waiting for the WAL flush), the work's
-- transaction (which marks the claim applied), and the recorded answer (its own transaction).
-- Ids are CAST(md5(key) AS uuid), the same ids the bench's catalog and members have
-- (dev.library.bench.data.Ids); loan and request ids are made here, as the service makes them
-- before it sends any statement. The service's caller is the bench's librarian, the actor of
-- every event; here a fixed id stands for it.
--   :books5  number of books with 5 copies (every fifth book, index % 5 = 4)
--   :run     a number unique to this pgbench run, so its members are fresh
\set i 5 * random(0, :books5 - 1) + 4
\set member :run * 1000 + :client_id
\set r random(1, 9000000000000000)
INSERT INTO request_outcomes (caller, method, request_id, fingerprint, claimed_until) SELECT 'user:00000000-0000-0000-0000-00000000beef', 'library.book.v1.BookService/BorrowBook', CAST(md5('borrow-' || CAST(:r AS text)) AS uuid), sha256(CAST(CAST(:r AS text) AS bytea)), now() + 120000 * interval '1 millisecond' FROM (SELECT set_config('synchronous_commit', 'off', true)) unflushed ON CONFLICT DO NOTHING;
BEGIN;
SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended('loans:' || CAST(CAST(md5('member-' || CAST(:member AS text)) AS uuid) AS text), 0))) l;
SELECT b.*, a.* FROM books b, LATERAL (SELECT count(*) AS active_loans, coalesce(bool_or(l.book_id = b.id), false) AS loan_of_book, coalesce(bool_or(l.due_at < now() - interval '1 day'), false) AS loan_due_before FROM loans l WHERE l.user_id = CAST(md5('member-' || CAST(:member AS text)) AS uuid) AND l.returned_at IS NULL) a WHERE b.id = CAST(md5('book-' || CAST(:i AS text)) AS uuid);
SELECT * FROM books WHERE id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) FOR UPDATE;
UPDATE holds SET status = 'EXPIRED', closed_at = now(), pickup_deadline = NULL WHERE book_id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) AND status = 'READY' AND pickup_deadline <= now() RETURNING *, '' AS book_title, 0 AS queue_position;
SELECT h.*, b.title AS book_title, CASE WHEN h.status = 'WAITING' THEN (SELECT count(*) FROM holds w WHERE w.book_id = h.book_id AND w.status = 'WAITING' AND w.position <= h.position) ELSE 0 END AS queue_position FROM holds h JOIN books b ON b.id = h.book_id WHERE h.book_id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) AND h.user_id = CAST(md5('member-' || CAST(:member AS text)) AS uuid) AND h.status IN ('WAITING', 'READY');
WITH taken AS (UPDATE books SET available_copies = available_copies - 1 WHERE id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) AND available_copies > 0 RETURNING id, available_copies), counted AS (INSERT INTO book_popularity (book_id, times_borrowed) SELECT id, 1 FROM taken ON CONFLICT (book_id) DO UPDATE SET times_borrowed = book_popularity.times_borrowed + 1) SELECT available_copies FROM taken;
WITH loan AS (INSERT INTO loans (id, book_id, user_id, due_at) VALUES (CAST(md5('loan-' || CAST(:r AS text)) AS uuid), CAST(md5('book-' || CAST(:i AS text)) AS uuid), CAST(md5('member-' || CAST(:member AS text)) AS uuid), now() + interval '14 days') RETURNING id, book_id, user_id) INSERT INTO circulation_events (type, occurred_at, user_id, book_id, loan_id, hold_id, actor_id) SELECT CAST('LOAN_BORROWED' AS text), CAST(now() AS timestamptz), user_id, book_id, id, NULL, CAST('00000000-0000-0000-0000-00000000beef' AS uuid) FROM loan;
UPDATE request_outcomes SET applied = true WHERE caller = 'user:00000000-0000-0000-0000-00000000beef' AND method = 'library.book.v1.BookService/BorrowBook' AND request_id = CAST(md5('borrow-' || CAST(:r AS text)) AS uuid);
COMMIT;
UPDATE request_outcomes SET status = '\x', response = decode(repeat('0a2462', 44), 'hex') WHERE caller = 'user:00000000-0000-0000-0000-00000000beef' AND method = 'library.book.v1.BookService/BorrowBook' AND request_id = CAST(md5('borrow-' || CAST(:r AS text)) AS uuid);
INSERT INTO request_outcomes (caller, method, request_id, fingerprint, claimed_until) SELECT 'user:00000000-0000-0000-0000-00000000beef', 'library.book.v1.BookService/ReturnBook', CAST(md5('return-' || CAST(:r AS text)) AS uuid), sha256(CAST(CAST(:r AS text) AS bytea)), now() + 120000 * interval '1 millisecond' FROM (SELECT set_config('synchronous_commit', 'off', true)) unflushed ON CONFLICT DO NOTHING;
BEGIN;
SELECT EXISTS (SELECT 1 FROM books WHERE id = CAST(md5('book-' || CAST(:i AS text)) AS uuid)) AS book_exists, l.*, b.title AS book_title FROM (SELECT 1) one LEFT JOIN loans l ON l.id = CAST(md5('loan-' || CAST(:r AS text)) AS uuid) LEFT JOIN books b ON b.id = l.book_id;
WITH loan AS (UPDATE loans SET returned_at = now() WHERE id = CAST(md5('loan-' || CAST(:r AS text)) AS uuid) AND book_id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) AND returned_at IS NULL RETURNING *), recorded AS (INSERT INTO circulation_events (type, occurred_at, user_id, book_id, loan_id, hold_id, actor_id) SELECT CAST('LOAN_RETURNED' AS text), CAST(now() AS timestamptz), user_id, book_id, id, NULL, CAST('00000000-0000-0000-0000-00000000beef' AS uuid) FROM loan) SELECT *, '' AS book_title FROM loan;
SELECT * FROM books WHERE id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) FOR UPDATE;
UPDATE holds SET status = 'READY', ready_at = now(), pickup_deadline = now() + interval '3 days' WHERE id IN (SELECT id FROM holds WHERE book_id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) AND status = 'WAITING' ORDER BY position LIMIT 1) RETURNING *, '' AS book_title, 0 AS queue_position;
UPDATE books SET available_copies = available_copies + 1, held_copies = held_copies + 0 WHERE id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) RETURNING available_copies;
UPDATE request_outcomes SET applied = true WHERE caller = 'user:00000000-0000-0000-0000-00000000beef' AND method = 'library.book.v1.BookService/ReturnBook' AND request_id = CAST(md5('return-' || CAST(:r AS text)) AS uuid);
COMMIT;
UPDATE request_outcomes SET status = '\x', response = decode(repeat('0a2462', 44), 'hex') WHERE caller = 'user:00000000-0000-0000-0000-00000000beef' AND method = 'library.book.v1.BookService/ReturnBook' AND request_id = CAST(md5('return-' || CAST(:r AS text)) AS uuid);
