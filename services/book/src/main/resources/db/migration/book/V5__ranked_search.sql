-- Ranked full-text search (ListBooks query): one document per book, weighted A (title, ISBN),
-- B (author's name), C (publisher), D (description), with English stemming. A stored generated
-- column, so ranking reads it instead of parsing every match's text again; a borrow or return
-- changes none of its inputs, so PostgreSQL does not recompute it and those updates stay HOT.
ALTER TABLE books ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('simple', isbn), 'A')
    || setweight(to_tsvector('english', author_name), 'B')
    || setweight(to_tsvector('english', publisher), 'C')
    || setweight(to_tsvector('english', description), 'D')) STORED;
CREATE INDEX books_search_idx ON books USING gin (search_document);
-- Misspelled queries match titles by trigram word similarity (books_title_trgm_idx, V1).
