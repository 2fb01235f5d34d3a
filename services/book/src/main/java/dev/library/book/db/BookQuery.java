package dev.library.book.db;

import dev.library.runtime.db.Keyset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The filters and order of a ListBooks call, checked and translated: patterns are LIKE patterns,
 * {@code authorIds} is the Author service's answer to an author-name query (present only when
 * that filter is set), {@code text} the ranked search's words.
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
    Optional<String> text,
    boolean textBySpelling,
    Sort sort,
    boolean descending) {

  /** The same search matched by spelling (title trigrams) instead of by words. */
  public BookQuery bySpelling() {
    return new BookQuery(
        titlePattern, authorIds, categoryIds, isbnPattern, yearStart, yearEnd, publisherPattern,
        availableOnly, text, true, sort, descending);
  }


  /** Sort keys, each backed by an index whose last column is id. */
  public enum Sort {
    CREATED_AT("created_at", "timestamptz"),
    TITLE("lower(title)", "text"),
    AUTHOR("lower(author_name)", "text"),
    PUBLICATION_YEAR("publication_year", "integer"),
    /** Relevance to the text query, computed per match as {@code relevance}; best first. */
    RELEVANCE("relevance", "float8");

    final String expression;
    final String type;

    Sort(String expression, String type) {
      this.expression = expression;
      this.type = type;
    }
  }

  /** The order of the page: the sort key, then id, both in the requested direction. */
  public Keyset keyset() {
    boolean direction = sort == Sort.RELEVANCE || descending;
    return Keyset.of(direction, new Keyset.Key(sort.expression, sort.type), new Keyset.Key("id", "uuid"));
  }

  /** How many keys a position in any ListBooks order has. */
  public static final int KEYS = 2;
}
