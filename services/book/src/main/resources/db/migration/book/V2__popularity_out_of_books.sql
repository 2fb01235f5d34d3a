-- Borrowing used to bump books.times_borrowed, which books_popularity_idx covers, so no borrow
-- could be a heap-only (HOT) update: every borrow wrote a new entry into every index of books
-- (twelve, four of them GIN). The count moves to a narrow table of its own; a borrow then
-- changes only available_copies in books, which no index covers, and books keeps free room on
-- its pages so that those updates can stay on the page.
CREATE TABLE book_popularity (
    book_id        uuid   PRIMARY KEY REFERENCES books (id) ON DELETE CASCADE,
    times_borrowed bigint NOT NULL
);
INSERT INTO book_popularity (book_id, times_borrowed)
    SELECT id, times_borrowed FROM books WHERE times_borrowed > 0;
-- Recommendations' "most borrowed" reads this index from the top.
CREATE INDEX book_popularity_idx ON book_popularity (times_borrowed DESC, book_id);

DROP INDEX books_popularity_idx;
ALTER TABLE books DROP COLUMN times_borrowed;
ALTER TABLE books SET (fillfactor = 85);
