-- Categories, and the links between items (books, owned by the Book service) and categories.
--
-- The index notes below come from EXPLAIN ANALYZE on the embedded PostgreSQL 17.6 with 2,000
-- categories and 652,901 links of 220,000 items (10% of type 'dvd'), skewed the way genres are:
-- the largest category holds 47,154 items, a typical one a few hundred, the smallest 77.

-- pg_trgm serves the case-insensitive substring search on names (ILIKE '%…%'); it is a trusted
-- extension, so the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE categories (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Names are unique case-insensitively. The index, not a check-then-insert, decides: two creates
-- (or a create and a rename) racing for one name cannot both commit, and the loser's unique
-- violation on this index becomes ALREADY_EXISTS.
-- ListCategories (ORDER BY lower(name), id LIMIT 20): the first page is an Index Scan on this
-- index under an Incremental Sort (presorted key lower(name); as lower(name) is unique every
-- sort group holds one row, so the id tiebreak costs nothing): 0.2 ms. Deep pages switch to a
-- Seq Scan + Sort of the whole table, 3.6 ms at 2,000 rows. GetCategory, BatchGetCategories,
-- and the FOR KEY SHARE lock of the categories named in an item update use categories_pkey.
CREATE UNIQUE INDEX categories_lower_name_key ON categories (lower(name));
-- ListCategories with name_query (name ILIKE '%abc%'), page and count: Bitmap Index Scan on this
-- index, 0.1 ms (a Seq Scan of the table without it). Queries under 3 characters have no
-- trigram and read the table.
CREATE INDEX categories_name_trgm_idx ON categories USING gin (name gin_trgm_ops);

-- An item (a pair of type and id, owned by another service) belongs to a category. Deleting a
-- category removes its links.
CREATE TABLE item_categories (
    item_type   text        NOT NULL CHECK (char_length(item_type) BETWEEN 1 AND 50),
    item_id     uuid        NOT NULL,
    category_id uuid        NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Per-item lookups, all Index Only Scans on this key:
    -- * the links read under the item lock by UpdateItemCategories / BulkAddItemToCategories;
    -- * GetItemCategories and BatchGetItemCategories (item_type = $1 AND item_id = ANY($2)),
    --   joined to categories by categories_pkey (one item: Nested Loop, 0.2 ms; 100 items,
    --   374 links: Hash Join over the categories, 1.7 ms);
    -- * the ON CONFLICT of the link insert.
    PRIMARY KEY (item_type, item_id, category_id)
);

-- By-category lookups:
-- * GetItemsByCategories (category_id = ANY($1) [AND item_type = $2], grouped per item):
--   Index Only Scan on this index, reading exactly the links of the requested categories. For
--   the 47,154-item category, page and total together take 50 ms; for a typical one 0.5 ms.
--   Without MATERIALIZED (see ItemLinkDao.items) the planner preferred, for LIMIT 20, to walk
--   item_categories_pkey in item order with category_id tested on every entry: 0.1 ms for the
--   first page of a popular category, but 200 ms for match_all of the largest and the smallest
--   category (41,491 entries walked for 20 rows), and up to the whole table when few items
--   match, so the query collects through this index first.
-- * The ON DELETE CASCADE of a category (DELETE ... WHERE category_id = $1): Bitmap Index Scan
--   here, 2.5 ms for 589 links; a Seq Scan of all links without it (69 ms).
CREATE INDEX item_categories_category_idx ON item_categories (category_id, item_type, item_id);
