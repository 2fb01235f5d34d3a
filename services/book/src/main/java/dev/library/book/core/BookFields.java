package dev.library.book.core;

import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import dev.library.runtime.errors.Ids;
import java.time.Clock;
import java.time.Year;
import java.util.List;
import java.util.UUID;

/**
 * The mutable fields of a book after the checks that need no other service: lengths, ISBN check
 * digit, year and copy ranges, UUID syntax. Whether the author and categories exist is asked of
 * their services afterwards.
 */
public record BookFields(
    String title,
    UUID authorId,
    String isbn,
    int publicationYear,
    String publisher,
    String description,
    int totalCopies,
    List<UUID> categoryIds) {
  public static final int MAX_TITLE = 500;
  public static final int MAX_PUBLISHER = 200;
  public static final int MAX_DESCRIPTION = 2000;
  public static final int MAX_COPIES = 10_000;
  public static final int MAX_CATEGORIES = 100;

  /** The raw request fields, as CreateBook and UpdateBook both carry them. */
  public record Input(
      String title,
      String authorId,
      String isbn,
      int publicationYear,
      String publisher,
      String description,
      int totalCopies,
      List<String> categoryIds) {}

  public static BookFields check(Input in, Clock clock, FieldViolations violations) {
    String title = Texts.required("title", in.title(), MAX_TITLE, violations);
    UUID authorId = Ids.check("author_id", in.authorId(), violations);
    String isbn = Isbn.normalize(in.isbn());
    if (isbn.isEmpty()) {
      violations.add("isbn", "is required");
    } else if (Isbn.parse(isbn).isEmpty()) {
      violations.add("isbn", "must be a valid ISBN-10 or ISBN-13 (length and check digit)");
    }
    int nextYear = Year.now(clock).getValue() + 1;
    violations.check(
        in.publicationYear() < 0 || in.publicationYear() > nextYear,
        "publication_year",
        "must be between 0 (unknown) and " + nextYear);
    String publisher = Texts.optional("publisher", in.publisher(), MAX_PUBLISHER, violations);
    String description =
        Texts.optional("description", in.description(), MAX_DESCRIPTION, violations);
    violations.check(
        in.totalCopies() < 1 || in.totalCopies() > MAX_COPIES,
        "total_copies",
        "must be between 1 and " + MAX_COPIES);
    List<UUID> categories =
        List.copyOf(
            IdLists.check("category_ids", in.categoryIds(), MAX_CATEGORIES, false, violations));
    return new BookFields(
        title,
        authorId,
        isbn,
        in.publicationYear(),
        publisher,
        description,
        in.totalCopies(),
        categories);
  }
}
