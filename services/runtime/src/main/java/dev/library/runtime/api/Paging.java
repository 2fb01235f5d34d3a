package dev.library.runtime.api;

import dev.library.runtime.errors.FieldViolations;

/**
 * The page/page_size convention of every list RPC: pages count from 1 (0 means 1), page_size
 * defaults to 20 and may be at most 100; anything negative or larger is INVALID_ARGUMENT, so a
 * client never silently gets fewer rows than it asked for.
 */
public record Paging(int page, int pageSize) {
  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;

  public static Paging of(int page, int pageSize, FieldViolations violations) {
    violations.check(page < 0, "page", "must not be negative");
    violations.check(
        pageSize < 0 || pageSize > MAX_PAGE_SIZE,
        "page_size",
        "must be between 1 and " + MAX_PAGE_SIZE + " (0 means " + DEFAULT_PAGE_SIZE + ")");
    return new Paging(
        Math.max(page, 1),
        pageSize <= 0 || pageSize > MAX_PAGE_SIZE ? DEFAULT_PAGE_SIZE : pageSize);
  }

  /** Rows to skip; a long, so absurd page numbers cannot overflow into a negative offset. */
  public long offset() {
    return (long) (page - 1) * pageSize;
  }
}
