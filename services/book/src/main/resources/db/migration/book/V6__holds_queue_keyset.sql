-- ListHolds pages a book's queue by keyset: READY holds first, then WAITING ones, then closed ones
-- (the status as a rank), each in queue order. The expression must stay the one in
-- HoldDao.QUEUE_ORDER, or the planner cannot use the index to seek to a page token's position.
CREATE INDEX holds_book_queue_idx ON holds
    (book_id, (CASE status WHEN 'READY' THEN 0 WHEN 'WAITING' THEN 1 ELSE 2 END), position);
