-- pg_trgm serves the case-insensitive substring searches on names (ILIKE '%…%'); it is a
-- trusted extension, so the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE authors (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    biography  text        NOT NULL DEFAULT '' CHECK (char_length(biography) <= 2000),
    birth_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- ListAuthors and SearchAuthorIds order by lower(name), id: this index returns a page in
-- order without sorting the table.
CREATE INDEX authors_name_order_idx ON authors (lower(name), id);
-- name_query: substring match anywhere in the name.
CREATE INDEX authors_name_trgm_idx ON authors USING gin (name gin_trgm_ops);
