CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- A title and its copies. available_copies is kept equal to total_copies minus the active loans
-- by the only statements that change either (borrow, return, update); the CHECKs make any slip
-- fail loudly instead of overselling.
CREATE TABLE books (
    id               uuid        PRIMARY KEY,
    title            text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
    author_id        uuid        NOT NULL,
    -- The author's name as the Author service gave it at the last write or read of this book:
    -- a sort key only (ListBooks sort_by=AUTHOR). Filtering by author asks the Author service.
    author_name      text        NOT NULL DEFAULT '',
    isbn             text        NOT NULL,
    publication_year integer     NOT NULL DEFAULT 0,
    publisher        text        NOT NULL DEFAULT '',
    description      text        NOT NULL DEFAULT '',
    total_copies     integer     NOT NULL CHECK (total_copies BETWEEN 1 AND 10000),
    available_copies integer     NOT NULL,
    -- The categories this book should be in. The Book service owns this assignment; the
    -- Category service's item links follow it through the outbox.
    category_ids     uuid[]      NOT NULL DEFAULT '{}',
    times_borrowed   bigint      NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT books_available_in_range CHECK (available_copies BETWEEN 0 AND total_copies)
);
CREATE UNIQUE INDEX books_isbn_key ON books (isbn);

-- Sort orders of ListBooks, each with id as the tie-breaker so pages are stable.
CREATE INDEX books_created_idx ON books (created_at, id);
CREATE INDEX books_title_idx ON books (lower(title), id);
CREATE INDEX books_author_name_idx ON books (lower(author_name), id);
CREATE INDEX books_year_idx ON books (publication_year, id);
-- Filters: substring searches (ILIKE '%…%') through trigrams, author ids, category overlap.
CREATE INDEX books_title_trgm_idx ON books USING gin (title gin_trgm_ops);
CREATE INDEX books_publisher_trgm_idx ON books USING gin (publisher gin_trgm_ops);
CREATE INDEX books_isbn_trgm_idx ON books USING gin (isbn gin_trgm_ops);
CREATE INDEX books_author_idx ON books (author_id);
CREATE INDEX books_categories_idx ON books USING gin (category_ids);
-- Recommendations: the most borrowed books.
CREATE INDEX books_popularity_idx ON books (times_borrowed DESC, id);

-- One copy lent to one member. A member holds at most one active loan of a book (partial unique
-- index); the loan row and the copy count change in the same transaction.
CREATE TABLE loans (
    id          uuid        PRIMARY KEY,
    book_id     uuid        NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL,
    borrowed_at timestamptz NOT NULL DEFAULT now(),
    due_at      timestamptz NOT NULL,
    returned_at timestamptz
);
CREATE UNIQUE INDEX loans_one_active_per_member_idx ON loans (book_id, user_id) WHERE returned_at IS NULL;
CREATE INDEX loans_book_active_idx ON loans (book_id) WHERE returned_at IS NULL;
CREATE INDEX loans_user_idx ON loans (user_id, borrowed_at DESC, id DESC);

-- Transactional outbox: written in the same transaction as the book change it reports, then
-- delivered to the Category service by the relay, which retries until the idempotent call
-- succeeds. One row per change; the relay applies a book's rows in order.
CREATE TABLE category_link_outbox (
    id              bigserial   PRIMARY KEY,
    book_id         uuid        NOT NULL,
    category_ids    uuid[]      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text
);
CREATE INDEX category_link_outbox_due_idx ON category_link_outbox (next_attempt_at, id);
CREATE INDEX category_link_outbox_book_idx ON category_link_outbox (book_id, id);
