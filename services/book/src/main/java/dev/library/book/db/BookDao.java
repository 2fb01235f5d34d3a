package dev.library.book.db;

import dev.library.runtime.api.Keyed;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.db.Keyset;
import dev.library.runtime.db.Where;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/** The books table, inside the caller's transaction. */
public final class BookDao {
  private final Handle handle;

  public BookDao(Handle handle) {
    this.handle = handle;
  }

  public BookRow insert(UUID id, BookValues values) {
    return handle
        .createQuery(
            "INSERT INTO books (id, title, author_id, author_name, isbn, publication_year, "
                + "publisher, description, total_copies, available_copies, category_ids) "
                + "VALUES (:id, :title, :authorId, :authorName, :isbn, :year, :publisher, "
                + ":description, :copies, :copies, :categories) RETURNING *")
        .bind("id", id)
        .bindMap(columns(values))
        .map(BookDao::map)
        .one();
  }

  /** Full replacement of the mutable fields; the caller computed the available copies. */
  public BookRow update(UUID id, BookValues values, int availableCopies) {
    return handle
        .createQuery(
            "UPDATE books SET title = :title, author_id = :authorId, author_name = :authorName, "
                + "isbn = :isbn, publication_year = :year, publisher = :publisher, "
                + "description = :description, total_copies = :copies, "
                + "available_copies = :available, category_ids = :categories, updated_at = now() "
                + "WHERE id = :id RETURNING *")
        .bind("id", id)
        .bind("available", availableCopies)
        .bindMap(columns(values))
        .map(BookDao::map)
        .one();
  }

  public Optional<BookRow> find(UUID id) {
    return handle.createQuery("SELECT * FROM books WHERE id = :id").bind("id", id).map(BookDao::map).findOne();
  }

  /** Reads and locks the row: borrows, returns and updates of this book wait until commit. */
  public Optional<BookRow> findForUpdate(UUID id) {
    return handle
        .createQuery("SELECT * FROM books WHERE id = :id FOR UPDATE")
        .bind("id", id)
        .map(BookDao::map)
        .findOne();
  }

  /**
   * Locks the row against hold placement, updates and returns for the rest of the transaction,
   * while letting other share-lockers (renewals of other loans of the book) through.
   */
  public void lockShared(UUID id) {
    handle.createQuery("SELECT id FROM books WHERE id = :id FOR SHARE").bind("id", id).mapTo(UUID.class).findOne();
  }

  /**
   * Locks the row unless another transaction holds it: the sweep passes over a book someone is
   * borrowing or returning now (and another replica's sweep) and comes back to it next round.
   */
  public boolean lockIfFree(UUID id) {
    return handle
        .createQuery("SELECT id FROM books WHERE id = :id FOR UPDATE SKIP LOCKED")
        .bind("id", id)
        .mapTo(UUID.class)
        .findOne()
        .isPresent();
  }

  public boolean delete(UUID id) {
    return handle.createUpdate("DELETE FROM books WHERE id = :id").bind("id", id).execute() > 0;
  }

  /**
   * Takes one copy if one is on the shelf: the one statement that guards against overselling. It
   * locks the row, so concurrent borrowers of the same book queue here and see each other's
   * decrement; the same statement counts the borrow for "most borrowed". Empty when no copy was
   * left (or no such book).
   */
  public Optional<Integer> takeCopy(UUID id) {
    return handle
        .createQuery(
            "WITH taken AS (UPDATE books SET available_copies = available_copies - 1 "
                + "WHERE id = :id AND available_copies > 0 RETURNING id, available_copies), "
                + "counted AS (INSERT INTO book_popularity (book_id, times_borrowed) "
                + "SELECT id, 1 FROM taken ON CONFLICT (book_id) DO UPDATE "
                + "SET times_borrowed = book_popularity.times_borrowed + 1) "
                + "SELECT available_copies FROM taken")
        .bind("id", id)
        .mapTo(Integer.class)
        .findOne();
  }

  /**
   * Moves copies between the shelf and the pickup shelf of a book the caller has locked: {@code
   * toShelf} copies onto the shelf, {@code toHeld} kept for READY holds (either may be negative).
   * The CHECK constraints keep both within total_copies. Returns the copies now on the shelf.
   */
  public int moveCopies(UUID id, int toShelf, int toHeld) {
    return handle
        .createQuery(
            "UPDATE books SET available_copies = available_copies + :shelf, "
                + "held_copies = held_copies + :held WHERE id = :id RETURNING available_copies")
        .bind("id", id)
        .bind("shelf", toShelf)
        .bind("held", toHeld)
        .mapTo(Integer.class)
        .one();
  }

  /** Counts one more borrow of the book for "most borrowed" (a copy taken from a hold). */
  public void countBorrow(UUID id) {
    handle
        .createUpdate(
            "INSERT INTO book_popularity (book_id, times_borrowed) VALUES (:id, 1) "
                + "ON CONFLICT (book_id) DO UPDATE SET times_borrowed = book_popularity.times_borrowed + 1")
        .bind("id", id)
        .execute();
  }

  /**
   * Removes categories found not to exist from a book's set (the Category service refused them
   * when the links were delivered). Empty when the book is gone.
   */
  public Optional<List<UUID>> dropCategories(UUID id, Collection<UUID> dropped) {
    return handle
        .createQuery(
            "UPDATE books SET category_ids = ARRAY(SELECT c FROM unnest(category_ids) c "
                + "WHERE NOT (c = ANY(:dropped))) WHERE id = :id RETURNING category_ids")
        .bind("dropped", dropped.toArray(UUID[]::new))
        .bind("id", id)
        .map((rs, ctx) -> List.copyOf(Arrays.asList((UUID[]) rs.getArray(1).getArray())))
        .findOne();
  }

  public int countByAuthor(UUID authorId) {
    return handle
        .createQuery("SELECT count(*) FROM books WHERE author_id = :author")
        .bind("author", authorId)
        .mapTo(Integer.class)
        .one();
  }

  /** Keeps the author-name sort key in step with what the Author service last said. */
  public int refreshAuthorName(UUID authorId, String name) {
    return handle
        .createUpdate(
            "UPDATE books SET author_name = :name WHERE author_id = :author AND author_name <> :name")
        .bind("author", authorId)
        .bind("name", name)
        .execute();
  }

  /** One page of ListBooks, and the bounded count of the books matching. */
  public ListPage<BookRow> search(BookQuery query, PageRequest page) {
    Keyset keyset = query.keyset();
    if (collectsMatches(query)) {
      // The page statement has read every match already: it counts them too (see searchSql).
      List<Counted<BookRow>> rows =
          searchQuery("", query, page)
              .map(
                  (rs, ctx) ->
                      new Counted<>(
                          new Keyed<>(map(rs, ctx), keyset.positionOf(rs)), rs.getLong("matched")))
              .list();
      // Past the last match no row carries the count: the count statement says how many there are.
      long counted =
          rows.isEmpty() ? count(query, page) : Math.min(rows.get(0).matched(), page.countCap());
      return page.finish(rows.stream().map(Counted::row).toList(), counted);
    }
    List<Keyed<BookRow>> rows =
        searchQuery("", query, page)
            .map((rs, ctx) -> new Keyed<>(map(rs, ctx), keyset.positionOf(rs)))
            .list();
    return page.finish(rows, count(query, page));
  }

  /** A row and how many matches the statement that read it found from the page's start on. */
  private record Counted<T>(Keyed<T> row, long matched) {}

  private long count(BookQuery query, PageRequest page) {
    Keyset keyset = query.keyset();
    Filter filter = Filter.of(query);
    String after = page.where(keyset);
    String where = Where.and(filter.where, after);
    // A position in relevance order compares the relevance, which the count must compute too.
    String source =
        query.sort() == BookQuery.Sort.RELEVANCE
            ? "(SELECT *, " + relevance(query) + " AS relevance FROM books) books"
            : "books";
    return handle
        .createQuery(PageRequest.boundedCount("SELECT 1 FROM " + source + where))
        .bindMap(filter.values)
        .bindMap(page.bindings(keyset))
        .bind("count_cap", page.countCap())
        .mapTo(Long.class)
        .one();
  }

  /** PostgreSQL's plan for {@link #search}'s page, for plan checks and diagnostics. */
  public String explainSearch(BookQuery query, PageRequest page) {
    return String.join("\n", searchQuery("EXPLAIN ", query, page).mapTo(String.class).list());
  }

  private Query searchQuery(String prefix, BookQuery query, PageRequest page) {
    Filter filter = Filter.of(query);
    return handle
        .createQuery(prefix + searchSql(query, filter, page))
        .bindMap(filter.values)
        .bindMap(page.bindings(query.keyset()))
        .bind("limit", page.fetchSize())
        .bind("offset", page.offset());
  }

  /**
   * With a selective filter (text, author or category) the matching rows are collected first
   * through the filter's index, then sorted: otherwise PostgreSQL may walk the sort index hoping
   * to meet 20 matches early, which reads the whole table when matches are rare. Without one, the
   * sort index gives the page directly, from its start or (by page token) from the position.
   */
  private static String searchSql(BookQuery query, Filter filter, PageRequest page) {
    Keyset keyset = query.keyset();
    String order = keyset.orderBy() + " LIMIT :limit OFFSET :offset";
    if (collectsMatches(query)) {
      // Only the sort key and id of each match are collected and sorted (whole rows, with their
      // search document, cost three times as much to collect at 1M books), the page's rows are
      // read by id, and the matches from the page's start on are counted in the same pass: the
      // separate count statement read them all a second time.
      String[] columns = {"match_key", "match_id"};
      Keyset collected = keyset.over(columns);
      String after = page.where(collected);
      return "WITH matches AS MATERIALIZED (SELECT " + keyset.selectAs(columns)
          + " FROM books" + filter.where + ")"
          + " SELECT b.*" + collected.selectKeys() + ", p.matched"
          + " FROM (SELECT *, count(*) OVER () AS matched FROM matches"
          + Where.and("", after)
          + collected.orderBy() + " LIMIT :limit OFFSET :offset) p"
          + " JOIN books b ON b.id = p.match_id"
          + collected.orderBy();
    }
    String after = page.where(keyset);
    if (selective(query)) {
      String relevance = query.sort() == BookQuery.Sort.RELEVANCE ? ", " + relevance(query) + " AS relevance" : "";
      return "WITH matches AS MATERIALIZED (SELECT *" + relevance + " FROM books" + filter.where
          + ") SELECT *" + keyset.selectKeys() + " FROM matches" + Where.and("", after)
          + order;
    }
    return "SELECT *" + keyset.selectKeys() + " FROM books" + Where.and(filter.where, after) + order;
  }

  private static boolean selective(BookQuery query) {
    return query.titlePattern().isPresent()
        || query.authorIds().isPresent()
        || !query.categoryIds().isEmpty()
        || query.isbnPattern().isPresent()
        || query.publisherPattern().isPresent()
        || query.text().isPresent();
  }

  /** A selective filter in a column order: matches collected as (key, id) pairs and counted. */
  private static boolean collectsMatches(BookQuery query) {
    return selective(query) && query.sort() != BookQuery.Sort.RELEVANCE;
  }

  /** Other books by the author, most borrowed first. */
  public List<BookRow> byAuthor(UUID authorId, Collection<UUID> exclude, int limit) {
    return handle
        .createQuery(
            "SELECT b.* FROM books b LEFT JOIN book_popularity p ON p.book_id = b.id "
                + "WHERE b.author_id = :author AND NOT (b.id = ANY(:exclude)) "
                + "ORDER BY coalesce(p.times_borrowed, 0) DESC, b.id LIMIT :limit")
        .bind("author", authorId)
        .bind("exclude", exclude.toArray(UUID[]::new))
        .bind("limit", limit)
        .map(BookDao::map)
        .list();
  }

  /** Books sharing categories with {@code categoryIds}, most shared first. */
  public List<BookRow> sharingCategories(
      Collection<UUID> categoryIds, Collection<UUID> exclude, int limit) {
    if (categoryIds.isEmpty()) {
      return List.of();
    }
    return handle
        .createQuery(
            "SELECT b.* FROM books b LEFT JOIN book_popularity p ON p.book_id = b.id "
                + "WHERE b.category_ids && :categories AND NOT (b.id = ANY(:exclude)) "
                + "ORDER BY cardinality(ARRAY(SELECT unnest(b.category_ids) INTERSECT "
                + "SELECT unnest(CAST(:categories AS uuid[])))) DESC, "
                + "coalesce(p.times_borrowed, 0) DESC, b.id LIMIT :limit")
        .bind("categories", categoryIds.toArray(UUID[]::new))
        .bind("exclude", exclude.toArray(UUID[]::new))
        .bind("limit", limit)
        .map(BookDao::map)
        .list();
  }

  /**
   * The most borrowed books, read from the top of the popularity index; when fewer books were
   * ever borrowed than asked for, the rest are filled in id order.
   */
  public List<BookRow> mostBorrowed(Collection<UUID> exclude, int limit) {
    List<BookRow> popular =
        handle
            .createQuery(
                "SELECT b.* FROM book_popularity p JOIN books b ON b.id = p.book_id "
                    + "WHERE NOT (b.id = ANY(:exclude)) "
                    + "ORDER BY p.times_borrowed DESC, p.book_id LIMIT :limit")
            .bind("exclude", exclude.toArray(UUID[]::new))
            .bind("limit", limit)
            .map(BookDao::map)
            .list();
    if (popular.size() >= limit) {
      return popular;
    }
    List<UUID> skip = new ArrayList<>(exclude);
    popular.forEach(row -> skip.add(row.id()));
    List<BookRow> rest =
        handle
            .createQuery(
                "SELECT * FROM books WHERE NOT (id = ANY(:exclude)) "
                    + "AND NOT EXISTS (SELECT 1 FROM book_popularity p WHERE p.book_id = books.id) "
                    + "ORDER BY id LIMIT :limit")
            .bind("exclude", skip.toArray(UUID[]::new))
            .bind("limit", limit - popular.size())
            .map(BookDao::map)
            .list();
    List<BookRow> all = new ArrayList<>(popular);
    all.addAll(rest);
    return all;
  }

  private static Map<String, Object> columns(BookValues book) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("title", book.title());
    values.put("authorId", book.authorId());
    values.put("authorName", book.authorName());
    values.put("isbn", book.isbn());
    values.put("year", book.publicationYear());
    values.put("publisher", book.publisher());
    values.put("description", book.description());
    values.put("copies", book.totalCopies());
    values.put("categories", book.categoryIds().toArray(UUID[]::new));
    return values;
  }

  static BookRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    Array categories = rs.getArray("category_ids");
    return new BookRow(
        rs.getObject("id", UUID.class),
        rs.getString("title"),
        rs.getObject("author_id", UUID.class),
        rs.getString("author_name"),
        rs.getString("isbn"),
        rs.getInt("publication_year"),
        rs.getString("publisher"),
        rs.getString("description"),
        rs.getInt("total_copies"),
        rs.getInt("available_copies"),
        rs.getInt("held_copies"),
        List.copyOf(Arrays.asList((UUID[]) categories.getArray())),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }

  /**
   * A search's relevance: by words, the full-text rank (weights D 0.1, C 0.2, B 0.4, A 1.0 for
   * description, publisher, author's name, title and ISBN); by spelling, the trigram word
   * similarity to the title.
   */
  private static String relevance(BookQuery query) {
    // Both functions return real; a float8 key keeps the position's text form exact (a real's
    // shortest text, read back as float8, is not the real's value widened).
    return query.textBySpelling()
        ? "CAST(word_similarity(:text, title) AS float8)"
        : "CAST(ts_rank('{0.1, 0.2, 0.4, 1.0}', search_document, websearch_to_tsquery('english', :text)) AS float8)";
  }

  /** Whether any book matches the query's filters (a search by words that finds none falls back). */
  public boolean anyMatch(BookQuery query) {
    Filter filter = Filter.of(query);
    return handle
        .createQuery("SELECT EXISTS (SELECT 1 FROM books" + filter.where + ")")
        .bindMap(filter.values)
        .mapTo(Boolean.class)
        .one();
  }

  /** Facets of every book matching the query: top categories and decades, most books first. */
  public Facets facets(BookQuery query, int limit) {
    Filter filter = Filter.of(query);
    List<Facets.Count<UUID>> categories =
        handle
            .createQuery(categoryFacetSql(filter))
            .bindMap(filter.values)
            .bind("limit", limit)
            .map((rs, ctx) -> new Facets.Count<>(rs.getObject("id", UUID.class), rs.getInt("n")))
            .list();
    List<Facets.Count<Integer>> decades =
        handle
            .createQuery(decadeFacetSql(filter))
            .bindMap(filter.values)
            .bind("limit", limit)
            .map((rs, ctx) -> new Facets.Count<>(rs.getInt("decade"), rs.getInt("n")))
            .list();
    return new Facets(categories, decades);
  }

  /** PostgreSQL's plans for {@link #facets}, for plan checks and diagnostics. */
  public String explainFacets(BookQuery query, int limit) {
    Filter filter = Filter.of(query);
    StringBuilder plans = new StringBuilder();
    for (String sql : List.of(categoryFacetSql(filter), decadeFacetSql(filter))) {
      handle.createQuery("EXPLAIN " + sql).bindMap(filter.values).bind("limit", limit)
          .mapTo(String.class).forEach(line -> plans.append(line).append('\n'));
    }
    return plans.toString();
  }

  private static String categoryFacetSql(Filter filter) {
    return "SELECT c.id, count(*) AS n FROM books, unnest(category_ids) AS c(id)" + filter.where
        + " GROUP BY c.id ORDER BY n DESC, c.id LIMIT :limit";
  }

  private static String decadeFacetSql(Filter filter) {
    String known =
        Where.and(filter.where, "publication_year > 0");
    return "SELECT publication_year / 10 * 10 AS decade, count(*) AS n FROM books" + known
        + " GROUP BY decade ORDER BY n DESC, decade LIMIT :limit";
  }

  /** Counts of matching books per category and per decade. */
  public record Facets(List<Count<UUID>> categories, List<Count<Integer>> decades) {
    public record Count<K>(K key, int count) {}
  }

  /** The WHERE clause of a ListBooks query: fixed fragments, values bound by name. */
  private record Filter(String where, Map<String, Object> values) {
    static Filter of(BookQuery query) {
      StringBuilder where = new StringBuilder();
      Map<String, Object> values = new LinkedHashMap<>();
      query.titlePattern().ifPresent(p -> add(where, values, "title ILIKE :title", "title", p));
      query
          .authorIds()
          .ifPresent(
              ids -> add(where, values, "author_id = ANY(:authors)", "authors", ids.toArray(UUID[]::new)));
      if (!query.categoryIds().isEmpty()) {
        add(where, values, "category_ids && :categories", "categories", query.categoryIds().toArray(UUID[]::new));
      }
      query.isbnPattern().ifPresent(p -> add(where, values, "isbn LIKE :isbn", "isbn", p));
      if (query.yearStart() > 0) {
        add(where, values, "publication_year >= :yearStart", "yearStart", query.yearStart());
      }
      if (query.yearEnd() > 0) {
        add(where, values, "publication_year <= :yearEnd", "yearEnd", query.yearEnd());
      }
      query.publisherPattern().ifPresent(p -> add(where, values, "publisher ILIKE :publisher", "publisher", p));
      query
          .text()
          .ifPresent(
              text ->
                  add(
                      where,
                      values,
                      query.textBySpelling()
                          ? ":text <% title"
                          : "search_document @@ websearch_to_tsquery('english', :text)",
                      "text",
                      text));
      if (query.availableOnly()) {
        where.append(where.length() == 0 ? " WHERE " : " AND ").append("available_copies > 0");
      }
      return new Filter(where.toString(), values);
    }

    private static void add(
        StringBuilder where, Map<String, Object> values, String clause, String name, Object value) {
      where.append(where.length() == 0 ? " WHERE " : " AND ").append(clause);
      values.put(name, value);
    }
  }
}
