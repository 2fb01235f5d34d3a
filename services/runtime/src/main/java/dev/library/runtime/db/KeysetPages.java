package dev.library.runtime.db;

import dev.library.runtime.api.Keyed;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * One page of a filtered list in a keyset order, by page number or page token, and the bounded
 * count of the rows from the page on: two statements on the caller's handle (one connection). The
 * lists whose filters an index on the order answers directly share it (ListLoans, ListHolds,
 * ListCirculationEvents); ListBooks and the name-ordered lists collect their matches first.
 */
public final class KeysetPages {
  /**
   * A list's SQL: {@code columns} is the select list ({@code SELECT l.*, b.title AS book_title}),
   * {@code from} the rows' FROM with its joins, {@code countFrom} what the count reads (the joins
   * the filters need, no more), {@code where} the filters ({@code " WHERE …"}, or empty) with
   * their {@code values}.
   */
  public record Sql(
      String columns,
      String from,
      String countFrom,
      String where,
      Map<String, Object> values,
      Keyset order) {}

  private KeysetPages() {}

  public static <T> ListPage<T> page(
      Handle handle, PageRequest request, Sql sql, RowMapper<T> mapper) {
    List<Keyed<T>> rows =
        rows(handle, "", request, sql)
            .map((rs, ctx) -> new Keyed<>(mapper.map(rs, ctx), sql.order().positionOf(rs)))
            .list();
    long counted =
        handle
            .createQuery(PageRequest.boundedCount("SELECT 1" + sql.countFrom() + where(request, sql)))
            .bindMap(sql.values())
            .bindMap(request.bindings(sql.order()))
            .bind("count_cap", request.countCap())
            .mapTo(Long.class)
            .one();
    return request.finish(rows, counted);
  }

  /** PostgreSQL's plan for a page's rows, for tests that an index serves the order. */
  public static String explain(Handle handle, PageRequest request, Sql sql) {
    return String.join("\n", rows(handle, "EXPLAIN ", request, sql).mapTo(String.class).list());
  }

  private static Query rows(Handle handle, String prefix, PageRequest request, Sql sql) {
    Keyset order = sql.order();
    return handle
        .createQuery(
            prefix + sql.columns() + order.selectKeys() + sql.from() + where(request, sql)
                + order.orderBy() + " LIMIT :limit OFFSET :offset")
        .bindMap(sql.values())
        .bindMap(request.bindings(order))
        .bind("limit", request.fetchSize())
        .bind("offset", request.offset());
  }

  /** The filters and, by token, the rows after the position. */
  private static String where(PageRequest request, Sql sql) {
    return Where.and(sql.where(), request.where(sql.order()));
  }
}
