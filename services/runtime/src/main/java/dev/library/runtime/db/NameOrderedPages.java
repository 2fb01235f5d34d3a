package dev.library.runtime.db;

import dev.library.runtime.api.Keyed;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.NamePageRequest;
import dev.library.runtime.api.PageRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Pages of a table listed by name (ListAuthors, ListCategories): ordered by {@code lower(name), id}
 * (the table needs an index on exactly that, and a trigram index on {@code name} for the
 * substring filter), by page number or page token, with a bounded count.
 *
 * <p>Without a filter the order index gives the page directly (from its start, or by seeking to
 * the token's position). With one, the matches are collected through the trigram index first and
 * then sorted: walking the order index in the hope of meeting enough matches early reads the whole
 * table when matches are rare.
 */
public final class NameOrderedPages<T> {
  public static final Keyset ORDER =
      Keyset.of(false, new Keyset.Key("lower(name)", "text"), new Keyset.Key("id", "uuid"));

  private final String table;
  private final RowMapper<T> mapper;

  public NameOrderedPages(String table, RowMapper<T> mapper) {
    this.table = table;
    this.mapper = mapper;
  }

  /** One page and its bounded count, both on the caller's handle (one connection). */
  public ListPage<T> page(Handle handle, NamePageRequest request) {
    List<Keyed<T>> rows =
        pageQuery(handle, "", request)
            .map((rs, ctx) -> new Keyed<>(mapper.map(rs, ctx), ORDER.positionOf(rs)))
            .list();
    long counted =
        handle
            .createQuery(PageRequest.boundedCount("SELECT 1 FROM " + table + where(request)))
            .bindMap(bindings(request))
            .bind("count_cap", request.page().countCap())
            .mapTo(Long.class)
            .one();
    return request.page().finish(rows, counted);
  }

  /** PostgreSQL's plan for a page, for plan checks and diagnostics. */
  public String explain(Handle handle, NamePageRequest request) {
    return String.join("\n", pageQuery(handle, "EXPLAIN ", request).mapTo(String.class).list());
  }

  private Query pageQuery(Handle handle, String prefix, NamePageRequest request) {
    PageRequest page = request.page();
    String after = page.where(ORDER);
    String sql =
        request.namePattern().isPresent()
            ? "WITH matches AS MATERIALIZED (SELECT * FROM " + table + " WHERE name ILIKE :pattern) "
                + "SELECT *" + ORDER.selectKeys() + " FROM matches"
                + Where.and("", after)
            : "SELECT *" + ORDER.selectKeys() + " FROM " + table + Where.and("", after);
    return handle
        .createQuery(prefix + sql + ORDER.orderBy() + " LIMIT :limit OFFSET :offset")
        .bindMap(bindings(request))
        .bind("limit", page.fetchSize())
        .bind("offset", page.offset());
  }

  /** The filters of the count: the name pattern and, by token, the rows after the position. */
  private static String where(NamePageRequest request) {
    String pattern = request.namePattern().isPresent() ? "name ILIKE :pattern" : "";
    return Where.and(Where.and("", pattern), request.page().where(ORDER));
  }

  private static Map<String, Object> bindings(NamePageRequest request) {
    Map<String, Object> values = new LinkedHashMap<>(request.page().bindings(ORDER));
    request.namePattern().ifPresent(p -> values.put("pattern", p));
    return values;
  }
}
