package dev.library.book.core;

import dev.library.author.v1.Author;
import dev.library.book.client.AuthorDirectory;
import dev.library.book.client.CategoryDirectory;
import dev.library.runtime.errors.FieldViolations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a book's author and categories exist, by asking their services. The author must be
 * confirmed (UNAVAILABLE otherwise: nothing is written). The categories are checked when the
 * Category service answers; while it is down the book is still accepted, because its links are
 * delivered later through the outbox, and ids found unknown then are dropped (see
 * CategoryLinkRelay).
 */
final class References {
  private static final Logger LOG = LoggerFactory.getLogger(References.class);

  private final AuthorDirectory authors;
  private final CategoryDirectory categories;

  References(AuthorDirectory authors, CategoryDirectory categories) {
    this.authors = authors;
    this.categories = categories;
  }

  /** The author of the book, after checking it and the categories; violations name bad ids. */
  Author check(BookFields fields) {
    FieldViolations violations = new FieldViolations();
    Author author = authors.authors(Set.of(fields.authorId())).get(fields.authorId());
    if (author == null) {
      violations.add("author_id", "names no author (" + fields.authorId() + ")");
    }
    List<UUID> ids = fields.categoryIds();
    if (!ids.isEmpty()) {
      try {
        Map<UUID, ?> found = categories.categories(ids);
        for (int i = 0; i < ids.size(); i++) {
          if (!found.containsKey(ids.get(i))) {
            violations.add("category_ids[" + i + "]", "names no category (" + ids.get(i) + ")");
          }
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        LOG.warn("category service unavailable: category ids accepted unchecked, links will follow");
      }
    }
    violations.throwIfAny();
    return author;
  }
}
