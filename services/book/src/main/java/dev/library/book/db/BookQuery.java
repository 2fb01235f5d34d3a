package dev.library.book.db;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The filters and order of a ListBooks call, checked and translated: patterns are LIKE patterns,
 * {@code authorIds} is the Author service's answer to an author-name query (present only when
 * that filter is set).
 */
public record BookQuery(
    Optional<String> titlePattern,
    Optional<List<UUID>> authorIds,
    List<UUID> categoryIds,
    Optional<String> isbnPattern,
    int yearStart,
    int yearEnd,
    Optional<String> publisherPattern,
    boolean availableOnly,
    Sort sort,
    boolean descending) {

  /** Sort keys, each backed by an index whose last column is id. */
  public enum Sort {
    CREATED_AT("created_at"),
    TITLE("lower(title)"),
    AUTHOR("lower(author_name)"),
    PUBLICATION_YEAR("publication_year");

    final String expression;

    Sort(String expression) {
      this.expression = expression;
    }
  }
}
