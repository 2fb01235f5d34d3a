package dev.library.book.core;

import dev.library.runtime.errors.DomainException;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.TimedOutException;
import dev.library.runtime.errors.UnavailableException;
import dev.library.runtime.grpc.FaultLog;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Checks that a book's author and categories exist, by asking their services. The author must be
 * confirmed (UNAVAILABLE otherwise: nothing is written). The categories are checked when the
 * Category service answers; while it is down or stalled (no answer within its deadline) the book
 * is still accepted, because its links are delivered later through the outbox, and ids found
 * unknown then are dropped (see CategoryLinkRelay).
 */
final class References {
  /** What a check found: the author's name, and whether the Category service answered. */
  record Checked(String authorName, boolean categoryServiceAnswered) {}

  private final FaultLog uncheckedCategories = new FaultLog("category ids accepted unchecked");

  private final AuthorCatalog authors;
  private final CategoryCatalog categories;

  References(AuthorCatalog authors, CategoryCatalog categories) {
    this.authors = authors;
    this.categories = categories;
  }

  /** The author's name, after checking it and the categories; violations name bad ids. */
  Checked check(BookFields fields) {
    FieldViolations violations = new FieldViolations();
    String authorName = authors.names(Set.of(fields.authorId())).get(fields.authorId());
    if (authorName == null) {
      violations.add("author_id", "names no author (" + fields.authorId() + ")");
    }
    List<UUID> ids = fields.categoryIds();
    boolean answered = true;
    if (!ids.isEmpty()) {
      try {
        Set<UUID> found = categories.existing(ids);
        for (int i = 0; i < ids.size(); i++) {
          if (!found.contains(ids.get(i))) {
            violations.add("category_ids[" + i + "]", "names no category (" + ids.get(i) + ")");
          }
        }
      } catch (UnavailableException | TimedOutException e) {
        answered = false;
        uncheckedCategories.record(((DomainException) e).reason() + "; links will follow", e);
      }
    }
    violations.throwIfAny();
    return new Checked(authorName, answered);
  }
}
