package dev.library.runtime.api;

import dev.library.runtime.db.Keyset;
import dev.library.runtime.errors.FieldViolations;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checked request for one page of a list, by page number (the original API: {@code page},
 * {@code page_size}, OFFSET in SQL) or by AIP-158 {@code page_token} (keyset: the rows after the
 * previous page's last one). Both answer with a next page token, so a client may switch to tokens
 * at any page.
 *
 * <p>Counts are bounded ({@link #EXACT_TOTAL_UP_TO}): {@code total} is exact when at most that many
 * rows follow the page's start, otherwise it is a lower bound, flagged. By page number the count
 * runs from the first row and stops {@code EXACT_TOTAL_UP_TO} rows past the page's start, so a
 * client that pages while {@code page * page_size < total} still reaches the last page (at which
 * the total becomes exact), at a cost in proportion to the offset the page itself already pays.
 * By token the count runs from the page's start and adds the rows before it (carried in the
 * token), so it costs the same at any depth.
 *
 * <p>Adopting it in a list: build it with {@link #of}, select {@link Keyset#selectKeys()} and order
 * by {@link Keyset#orderBy()}, add {@link #where(Keyset)} to the filters and
 * {@link #bindings(Keyset)} to the binds, LIMIT {@link #fetchSize()} OFFSET {@link #offset()}, count
 * with {@link #boundedCount(String)} (binding {@link #countCap()}), and end with {@link #finish}.
 */
public final class PageRequest {
  /** Up to this many rows from a page's start, {@code total} is exact. */
  public static final int EXACT_TOTAL_UP_TO = 10_000;

  private final PageTokens tokens;
  private final String list;
  private final String filters;
  private final int pageSize;
  private final int page;
  private final long offset;
  private final Optional<PageTokens.Position> after;

  private PageRequest(
      PageTokens tokens,
      String list,
      String filters,
      int page,
      int pageSize,
      long offset,
      Optional<PageTokens.Position> after) {
    this.tokens = tokens;
    this.list = list;
    this.filters = filters;
    this.page = page;
    this.pageSize = pageSize;
    this.offset = offset;
    this.after = after;
  }

  /**
   * Checks the paging fields. {@code list} names the list (tokens of one list are refused by
   * another); {@code filters} is a canonical form of every other request field that shapes the
   * result (filters, sort), so a token used with other filters is refused: the position it holds
   * would mean nothing in another order. A token with a {@code page} above 1 is refused too.
   */
  public static PageRequest of(
      PageTokens tokens,
      String list,
      String filters,
      int page,
      int pageSize,
      String pageToken,
      int keys,
      FieldViolations violations) {
    Paging paging = Paging.of(page, pageSize, violations);
    if (pageToken == null || pageToken.isEmpty()) {
      return new PageRequest(
          tokens, list, filters, paging.page(), paging.pageSize(), paging.offset(), Optional.empty());
    }
    violations.check(page > 1, "page", "must not be set with page_token (the token says where the page starts)");
    Optional<PageTokens.Position> position =
        tokens.decode(list, filters, pageToken).filter(p -> p.keys().size() == keys);
    violations.check(
        position.isEmpty(),
        "page_token",
        "is not a token this list issued for these filters and this order (a token is only valid "
            + "with the same request fields it was returned for, page_size aside)");
    long rowsBefore = position.map(PageTokens.Position::rowsBefore).orElse(0L);
    return new PageRequest(
        tokens,
        list,
        filters,
        (int) Math.min(Integer.MAX_VALUE, rowsBefore / paging.pageSize() + 1),
        paging.pageSize(),
        0,
        position);
  }

  /** The page number answered: the one asked for, or (by token) the rows before it ÷ page size + 1. */
  public int page() {
    return page;
  }

  public int pageSize() {
    return pageSize;
  }

  /** True when the page starts after a token's position rather than at an offset. */
  public boolean byToken() {
    return after.isPresent();
  }

  /** Rows to fetch: one more than the page, to know whether a next page exists. */
  public int fetchSize() {
    return pageSize + 1;
  }

  /** Rows to skip (OFFSET): 0 by token. */
  public long offset() {
    return offset;
  }

  /** {@code AND <row comparison>} when the page starts after a position, else nothing. */
  public String where(Keyset keyset) {
    return after.isPresent() ? keyset.after() : "";
  }

  /** The values of {@link #where(Keyset)}. */
  public Map<String, Object> bindings(Keyset keyset) {
    return after.map(p -> keyset.bindings(p.keys())).orElse(Map.of());
  }

  /**
   * {@code SELECT count(*)} of at most {@link #countCap()} rows of {@code selectFromWhere} (a
   * {@code SELECT 1 FROM … WHERE …} with the list's filters and, by token, {@link #where}); bind
   * {@code count_cap} to {@link #countCap()}.
   */
  public static String boundedCount(String selectFromWhere) {
    return "SELECT count(*) FROM (" + selectFromWhere + " LIMIT :count_cap) counted";
  }

  /** How many rows the count may read before it stops. */
  public long countCap() {
    return offset + EXACT_TOTAL_UP_TO + 1;
  }

  /** The page from the rows fetched ({@link #fetchSize()} at most) and the bounded count. */
  public <T> ListPage<T> finish(List<Keyed<T>> fetched, long counted) {
    List<Keyed<T>> rows = fetched.size() > pageSize ? fetched.subList(0, pageSize) : fetched;
    long before = after.map(PageTokens.Position::rowsBefore).orElse(offset);
    String next =
        fetched.size() > pageSize
            ? tokens.encode(
                list,
                filters,
                new PageTokens.Position(before + rows.size(), rows.get(rows.size() - 1).position()))
            : "";
    long base = after.map(PageTokens.Position::rowsBefore).orElse(0L);
    boolean bounded = counted >= countCap();
    long total = base + (bounded ? countCap() - 1 : counted);
    return new ListPage<>(
        rows.stream().map(Keyed::row).toList(),
        (int) Math.min(Integer.MAX_VALUE, total),
        bounded || total > Integer.MAX_VALUE,
        page,
        pageSize,
        next);
  }
}
