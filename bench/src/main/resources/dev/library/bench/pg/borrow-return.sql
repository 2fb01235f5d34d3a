-- One borrow and one return, as two transactions: statement for statement what the Book
-- service's Circulation runs for BorrowBook and ReturnBook (core/Circulation, db/LoanDao,
-- db/BookDao), with the same locks and conditional updates. Ids are CAST(md5(key) AS uuid), the
-- same ids the bench's catalog and members have (dev.library.bench.data.Ids).
--   :books5  number of books with 5 copies (every fifth book, index % 5 = 4)
--   :run     a number unique to this pgbench run, so its members are fresh
\set i 5 * random(0, :books5 - 1) + 4
\set member :run * 1000 + :client_id
BEGIN;
SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended('loans:' || CAST(CAST(md5('member-' || CAST(:member AS text)) AS uuid) AS text), 0))) l;
SELECT count(*) FROM loans WHERE user_id = CAST(md5('member-' || CAST(:member AS text)) AS uuid) AND returned_at IS NULL;
WITH taken AS (UPDATE books SET available_copies = available_copies - 1 WHERE id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) AND available_copies > 0 RETURNING id, available_copies), counted AS (INSERT INTO book_popularity (book_id, times_borrowed) SELECT id, 1 FROM taken ON CONFLICT (book_id) DO UPDATE SET times_borrowed = book_popularity.times_borrowed + 1) SELECT available_copies FROM taken;
INSERT INTO loans (id, book_id, user_id, due_at) VALUES (gen_random_uuid(), CAST(md5('book-' || CAST(:i AS text)) AS uuid), CAST(md5('member-' || CAST(:member AS text)) AS uuid), now() + interval '14 days') RETURNING id AS loan \gset
COMMIT;
BEGIN;
SELECT * FROM books WHERE id = CAST(md5('book-' || CAST(:i AS text)) AS uuid);
SELECT l.*, b.title AS book_title FROM loans l JOIN books b ON b.id = l.book_id WHERE l.id = CAST(:loan AS uuid);
UPDATE loans SET returned_at = now() WHERE id = CAST(:loan AS uuid) AND book_id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) AND returned_at IS NULL RETURNING *;
UPDATE books SET available_copies = available_copies + 1 WHERE id = CAST(md5('book-' || CAST(:i AS text)) AS uuid) RETURNING available_copies;
COMMIT;
