package dev.library.book.core;

import dev.library.book.db.BookDao;
import dev.library.book.db.BookQuery;
import dev.library.book.db.BookRow;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * ListBooks: every filter runs in the Book database, except the author-name filter, which asks
 * the Author service for the matching author ids (one call) and filters by those ids. The ranked
 * search ({@code query}) reads the author's name kept in the books table, so it needs no call.
 */
public final class BookSearch {
  static final int MAX_QUERY = 500;
  static final int MAX_FACETS = 50;

  private final Jdbi jdbi;
  private final AuthorCatalog authors;
  private final PageTokens pageTokens;

  public BookSearch(Jdbi jdbi, AuthorCatalog authors, PageTokens pageTokens) {
    this.jdbi = jdbi;
    this.authors = authors;
    this.pageTokens = pageTokens;
  }

  /** The request's filters, as ListBooks carries them; {@code sort} null when unknown. */
  public record Filters(
      int page,
      int pageSize,
      String pageToken,
      String titleQuery,
      String authorQuery,
      List<String> categoryIds,
      String isbnQuery,
      int yearStart,
      int yearEnd,
      String publisherQuery,
      boolean availableOnly,
      String query,
      int facetLimit,
      BookQuery.Sort sort,
      boolean descending) {

    /**
     * Every field that shapes the result, as checked: a page token is valid only with the same
     * ones (the position it holds means nothing in another order or another result).
     */
    String canonical(
        String text, String title, String author, List<java.util.UUID> categories, String isbn, String publisher) {
      return String.join(
          "\u0000",
          text,
          title,
          author,
          categories.stream().map(java.util.UUID::toString).sorted().toList().toString(),
          isbn,
          Integer.toString(yearStart),
          Integer.toString(yearEnd),
          publisher,
          Boolean.toString(availableOnly),
          String.valueOf(sort),
          Boolean.toString(descending));
    }
  }

  /** A page of books and, when asked, the facets of every match. */
  public record Result(ListPage<BookRow> page, Optional<BookDao.Facets> facets) {}

  public Result list(Filters in) {
    FieldViolations violations = new FieldViolations();
    String text = Texts.optional("query", in.query(), MAX_QUERY, violations);
    violations.check(
        in.facetLimit() < 0 || in.facetLimit() > MAX_FACETS,
        "facet_limit",
        "must be between 0 (no facets) and " + MAX_FACETS);
    violations.check(
        in.sort() == BookQuery.Sort.RELEVANCE && text.isEmpty(), "sort_by", "RELEVANCE needs a query");
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
    PageRequest page =
        PageRequest.of(
            pageTokens,
            "ListBooks",
            in.canonical(text, title, author, List.copyOf(categories), isbn, publisher),
            in.page(),
            in.pageSize(),
            in.pageToken(),
            BookQuery.KEYS,
            violations);
    violations.throwIfAny();

    Optional<List<java.util.UUID>> authorIds = Optional.empty();
    if (!author.isEmpty()) {
      authorIds = Optional.of(authors.idsMatching(author));
      if (authorIds.get().isEmpty()) {
        return new Result(
            ListPage.empty(page),
            in.facetLimit() > 0
                ? Optional.of(new BookDao.Facets(List.of(), List.of()))
                : Optional.empty());
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
            text.isEmpty() ? Optional.empty() : Optional.of(text),
            false,
            in.sort(),
            in.descending());
    return jdbi.withHandle(
        h -> {
          BookDao books = new BookDao(h);
          BookQuery search = query;
          ListPage<BookRow> found = books.search(search, page);
          // Words first; only a query no book matches by words is matched by spelling
          // (`earthsae`): the trigram match costs a similarity per candidate title, which at
          // 100,000 books took half a second for a common word that words answer in milliseconds.
          if (found.rows().isEmpty() && query.text().isPresent() && !books.anyMatch(query)) {
            search = query.bySpelling();
            found = books.search(search, page);
          }
          BookQuery matched = search;
          return new Result(
              found,
              in.facetLimit() > 0 ? Optional.of(books.facets(matched, in.facetLimit())) : Optional.empty());
        });
  }

  private static Optional<String> pattern(String text) {
    return text.isEmpty() ? Optional.empty() : Optional.of(Texts.containsPattern(text));
  }
}
