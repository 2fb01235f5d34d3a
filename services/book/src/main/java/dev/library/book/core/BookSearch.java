package dev.library.book.core;

import dev.library.book.db.BookDao;
import dev.library.book.db.BookQuery;
import dev.library.book.db.BookRow;
import dev.library.runtime.api.Paging;
import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * ListBooks: every filter runs in the Book database, except the author-name filter, which asks
 * the Author service for the matching author ids (one call) and filters by those ids.
 */
public final class BookSearch {
  static final int MAX_QUERY = 500;

  private final Jdbi jdbi;
  private final AuthorCatalog authors;

  public BookSearch(Jdbi jdbi, AuthorCatalog authors) {
    this.jdbi = jdbi;
    this.authors = authors;
  }

  /** The request's filters, as ListBooks carries them; {@code sort} null when unknown. */
  public record Filters(
      int page,
      int pageSize,
      String titleQuery,
      String authorQuery,
      List<String> categoryIds,
      String isbnQuery,
      int yearStart,
      int yearEnd,
      String publisherQuery,
      boolean availableOnly,
      BookQuery.Sort sort,
      boolean descending) {}

  /** One page of books and the number of books matching across all pages. */
  public record Page(List<BookRow> books, int total, Paging paging) {}

  public Page list(Filters in) {
    FieldViolations violations = new FieldViolations();
    Paging paging = Paging.of(in.page(), in.pageSize(), violations);
    String title = Texts.optional("title_query", in.titleQuery(), MAX_QUERY, violations);
    String author = Texts.optional("author_query", in.authorQuery(), MAX_QUERY, violations);
    String isbn = Isbn.normalize(Texts.optional("isbn_query", in.isbnQuery(), MAX_QUERY, violations));
    String publisher = Texts.optional("publisher_query", in.publisherQuery(), MAX_QUERY, violations);
    var categories =
        IdLists.check("category_ids", in.categoryIds(), BookFields.MAX_CATEGORIES, false, violations);
    violations.check(in.yearStart() < 0, "publication_year_start", "must not be negative");
    violations.check(in.yearEnd() < 0, "publication_year_end", "must not be negative");
    violations.check(
        in.yearStart() > 0 && in.yearEnd() > 0 && in.yearStart() > in.yearEnd(),
        "publication_year_start",
        "must not be after publication_year_end");
    violations.check(in.sort() == null, "sort_by", "is not a known sort field");
    violations.throwIfAny();

    Optional<List<java.util.UUID>> authorIds = Optional.empty();
    if (!author.isEmpty()) {
      authorIds = Optional.of(authors.idsMatching(author));
      if (authorIds.get().isEmpty()) {
        return new Page(List.of(), 0, paging);
      }
    }
    BookQuery query =
        new BookQuery(
            pattern(title),
            authorIds,
            List.copyOf(categories),
            isbn.isEmpty() ? Optional.empty() : Optional.of(Texts.containsPattern(isbn)),
            in.yearStart(),
            in.yearEnd(),
            pattern(publisher),
            in.availableOnly(),
            in.sort(),
            in.descending());
    return jdbi.withHandle(
        h -> {
          BookDao books = new BookDao(h);
          return new Page(
              books.search(query, paging.pageSize(), paging.offset()), books.count(query), paging);
        });
  }

  private static Optional<String> pattern(String text) {
    return text.isEmpty() ? Optional.empty() : Optional.of(Texts.containsPattern(text));
  }
}
