package dev.library.book;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.db.BookDao;
import dev.library.book.db.BookQuery;
import dev.library.book.db.BookRow;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.testing.LibrarySystem;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plans of the statements ListBooks runs (BookDao's own SQL), on a table large enough that
 * PostgreSQL prefers an index whenever one serves the query: substring filters must go through
 * the trigram indexes, first pages of each sort order through their (key, id) index.
 */
class BookQueryPlanTest {
  private static final UUID AUTHOR = UUID.fromString("00000000-0000-0000-0000-000000000042");

  private static LibrarySystem system;
  private static Jdbi jdbi;

  @BeforeAll
  static void load() throws Exception {
    system = LibrarySystem.start("book");
    try (Connection db = system.connect("book");
        Statement sql = db.createStatement()) {
      // 50,000 books: varied titles, 20,000 publishers, 5,000 authors, 2,000 categories.
      sql.execute(
          "INSERT INTO books (id, title, author_id, author_name, isbn, publication_year, publisher, "
              + "total_copies, available_copies, category_ids) "
              + "SELECT gen_random_uuid(), 'Title ' || md5(i::text), "
              + "('00000000-0000-0000-0000-' || lpad((i % 5000)::text, 12, '0'))::uuid, "
              + "'Author ' || (i % 5000), (9780000000000 + i)::text, 1900 + i % 120, "
              + "'Publisher ' || md5((i % 20000)::text), 1 + i % 5, 1 + i % 5, "
              + "ARRAY[md5((i % 2000)::text)::uuid] FROM generate_series(1, 50000) i");
      // Statistics from every row, not a random sample of 30,000: with a sample, the estimated
      // share of '%a1b2%' varies between runs and the plan flips between the trigram index and a
      // sequential scan near the break-even point, so the test would pass or fail by chance.
      sql.execute("SET default_statistics_target = 1000");
      sql.execute("ANALYZE books");
    }
    var database = system.application().host().database("book");
    jdbi = Jdbi.create(database.getUrl(), database.getUser(), database.getPassword());
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static BookQuery query(
      Optional<String> title,
      Optional<List<UUID>> authors,
      List<UUID> categories,
      Optional<String> isbn,
      Optional<String> publisher,
      BookQuery.Sort sort,
      boolean descending) {
    return new BookQuery(title, authors, categories, isbn, 0, 0, publisher, false, Optional.empty(), false, sort, descending);
  }

  private static final PageTokens TOKENS = new PageTokens(new byte[32]);

  static PageRequest firstPage() {
    return PageRequest.of(TOKENS, "plan", "", 0, 20, "", BookQuery.KEYS, new FieldViolations());
  }

  static String plan(BookQuery query) {
    return jdbi.withHandle(h -> new BookDao(h).explainSearch(query, firstPage()));
  }

  /** The plan of the page after the first one, asked by the first page's token. */
  static String planByToken(BookQuery query) {
    return jdbi.withHandle(
        h -> {
          BookDao books = new BookDao(h);
          String token = books.search(query, firstPage()).nextPageToken();
          PageRequest next =
              PageRequest.of(TOKENS, "plan", "", 0, 20, token, BookQuery.KEYS, new FieldViolations());
          return books.explainSearch(query, next);
        });
  }

  static BookQuery sorted(BookQuery.Sort sort, boolean descending) {
    return query(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), sort, descending);
  }

  @Test
  void substringFiltersUseTrigramIndexes() {
    BookQuery.Sort created = BookQuery.Sort.CREATED_AT;
    assertThat(plan(query(Optional.of("%a1b2%"), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), created, false)))
        .contains("books_title_trgm_idx");
    assertThat(plan(query(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.of("%9f3e%"), created, false)))
        .contains("books_publisher_trgm_idx");
    assertThat(plan(query(Optional.empty(), Optional.empty(), List.of(), Optional.of("%12345%"), Optional.empty(), created, false)))
        .contains("books_isbn_trgm_idx");
  }

  @Test
  void categoryAndAuthorFiltersUseTheirIndexes() throws Exception {
    UUID category;
    try (Connection db = system.connect("book");
        Statement sql = db.createStatement();
        var rows = sql.executeQuery("SELECT md5('7')::uuid")) {
      rows.next();
      category = rows.getObject(1, UUID.class);
    }
    assertThat(plan(query(Optional.empty(), Optional.empty(), List.of(category), Optional.empty(), Optional.empty(), BookQuery.Sort.TITLE, false)))
        .contains("books_categories_idx");
    assertThat(plan(query(Optional.empty(), Optional.of(List.of(AUTHOR)), List.of(), Optional.empty(), Optional.empty(), BookQuery.Sort.TITLE, false)))
        .contains("books_author_idx");
  }

  @Test
  void firstPagesOfEverySortOrderReadTheirIndex() {
    assertThat(plan(sorted(BookQuery.Sort.TITLE, false))).contains("books_title_idx");
    assertThat(plan(sorted(BookQuery.Sort.TITLE, true))).contains("books_title_idx");
    assertThat(plan(sorted(BookQuery.Sort.AUTHOR, false))).contains("books_author_name_idx");
    assertThat(plan(sorted(BookQuery.Sort.PUBLICATION_YEAR, true))).contains("books_year_idx");
    assertThat(plan(sorted(BookQuery.Sort.CREATED_AT, true))).contains("books_created_idx");
  }

  static ListPage<BookRow> page(BookQuery query, int page, String token) {
    PageRequest request =
        PageRequest.of(TOKENS, "plan", "", page, 20, token, BookQuery.KEYS, new FieldViolations());
    return jdbi.withHandle(h -> new BookDao(h).search(query, request));
  }

  @Test
  void totalsAreExactUpToTheThresholdThenALowerBoundAheadOfThePage() {
    BookQuery all = sorted(BookQuery.Sort.TITLE, false);
    ListPage<BookRow> first = page(all, 1, "");
    assertThat(first.total()).isEqualTo(PageRequest.EXACT_TOTAL_UP_TO);
    assertThat(first.totalIsLowerBound()).isTrue();
    // By number the bound stays 10,000 rows ahead of the page, so paging on reaches the end.
    ListPage<BookRow> deep = page(all, 1000, "");
    assertThat(deep.total()).isEqualTo(999 * 20 + PageRequest.EXACT_TOTAL_UP_TO);
    ListPage<BookRow> last = page(all, 2500, "");
    assertThat(last.total()).isEqualTo(50_000);
    assertThat(last.totalIsLowerBound()).isFalse();
    assertThat(last.nextPageToken()).isEmpty();
    // By token: rows before the page plus the rows from it, counted up to the threshold.
    ListPage<BookRow> second = page(all, 0, first.nextPageToken());
    assertThat(second.total()).isEqualTo(20 + PageRequest.EXACT_TOTAL_UP_TO);
    assertThat(second.page()).isEqualTo(2);
    // A filter with fewer matches than the threshold counts exactly.
    BookQuery oneYear =
        new BookQuery(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), 1950, 1950, Optional.empty(), false, Optional.empty(), false, BookQuery.Sort.TITLE, false);
    ListPage<BookRow> year = page(oneYear, 1, "");
    assertThat(year.total()).isEqualTo(50_000 / 120 + (50_000 % 120 >= 50 ? 1 : 0));
    assertThat(year.totalIsLowerBound()).isFalse();
  }

  @Test
  void rankedSearchAndFacetsUseTheSearchAndTrigramIndexes() {
    BookQuery search =
        new BookQuery(
            Optional.empty(), Optional.empty(), List.of(), Optional.empty(), 0, 0, Optional.empty(), false,
            Optional.of("a1b2c3"), false, BookQuery.Sort.RELEVANCE, false);
    String plan = plan(search);
    assertThat(plan).contains("books_search_idx");
    assertThat(plan(search.bySpelling())).contains("books_title_trgm_idx");
    assertThat(planByToken(search)).contains("books_search_idx");
    String facets = jdbi.withHandle(h -> new BookDao(h).explainFacets(search, 10));
    assertThat(facets.split("books_search_idx", -1)).as(facets).hasSize(3);
  }

  @Test
  void pagesByTokenSeekIntoTheSortIndex() {
    for (BookQuery.Sort sort : List.of(BookQuery.Sort.CREATED_AT, BookQuery.Sort.TITLE, BookQuery.Sort.AUTHOR, BookQuery.Sort.PUBLICATION_YEAR)) {
      for (boolean descending : new boolean[] {false, true}) {
        assertThat(planByToken(sorted(sort, descending)))
            .as("%s %s", sort, descending ? "descending" : "ascending")
            .containsPattern("Index Scan( Backward)? using books_\\w+_idx")
            .contains("Index Cond: (ROW(");
      }
    }
  }
}
