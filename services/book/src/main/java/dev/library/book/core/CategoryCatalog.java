package dev.library.book.core;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the Book service asks of, and tells, the Category service, which keeps which items are in
 * which category. Failures to reach it are {@link dev.library.runtime.errors.UnavailableException}.
 */
public interface CategoryCatalog {
  /** Which of these category ids name a category (at most 100 ids: one call). */
  Set<UUID> existing(Collection<UUID> ids);

  /**
   * Makes the book's links exactly {@code categoryIds} (set semantics: repeating it is harmless).
   *
   * @return false when the Category service refused because an id names no category
   */
  boolean link(UUID bookId, List<UUID> categoryIds);

  /** Whether the Category service answers its health check as serving. */
  boolean isServing();
}
