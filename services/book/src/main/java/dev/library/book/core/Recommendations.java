package dev.library.book.core;

import dev.library.book.db.BookDao;
import dev.library.book.db.BookRow;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.Ids;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Suggestions for a reader of one book, as the original system made them: books by the same
 * author first, then books sharing its categories (most shared first), then the most borrowed.
 * Never the book itself, never a book twice.
 */
public final class Recommendations {
  public static final int DEFAULT_LIMIT = 5;
  public static final int MAX_LIMIT = 20;

  private final Jdbi jdbi;

  public Recommendations(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public List<BookRow> forBook(String id, int limit) {
    FieldViolations violations = new FieldViolations();
    UUID bookId = Ids.check("id", id, violations);
    violations.check(
        limit < 0 || limit > MAX_LIMIT,
        "limit",
        "must be between 1 and " + MAX_LIMIT + " (0 means " + DEFAULT_LIMIT + ")");
    violations.throwIfAny();
    int wanted = limit == 0 ? DEFAULT_LIMIT : limit;
    return jdbi.withHandle(
        h -> {
          BookDao books = new BookDao(h);
          BookRow book =
              books.find(bookId).orElseThrow(Catalog::notFound);
          List<BookRow> picks = new ArrayList<>();
          Set<UUID> seen = new LinkedHashSet<>(List.of(bookId));
          addAll(picks, seen, books.byAuthor(book.authorId(), seen, wanted));
          if (picks.size() < wanted) {
            addAll(picks, seen, books.sharingCategories(book.categoryIds(), seen, wanted - picks.size()));
          }
          if (picks.size() < wanted) {
            addAll(picks, seen, books.mostBorrowed(seen, wanted - picks.size()));
          }
          return picks;
        });
  }

  private static void addAll(List<BookRow> picks, Set<UUID> seen, List<BookRow> more) {
    for (BookRow row : more) {
      if (seen.add(row.id())) {
        picks.add(row);
      }
    }
  }
}
