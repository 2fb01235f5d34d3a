package dev.library.runtime.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Keyset pagination over an order of NOT NULL keys that ends with a unique one (the id), all in
 * the same direction: the next page is the rows after the last one returned, as one row
 * comparison, {@code (k1, id) > (:k1, :id)}, which PostgreSQL answers from a btree index on
 * {@code (k1, id)} by seeking to the position; every page costs the same at any depth, and rows
 * inserted before the position do not shift the pages after it.
 *
 * <p>The key values travel as PostgreSQL's own text form (selected as {@code keyset_<i>} and cast
 * back to the key's type when bound), so a position compares exactly as the database ordered it:
 * the same collation, the same timestamp precision, the same float digits.
 */
public final class Keyset {
  /** One sort key: an SQL expression over the row and its PostgreSQL type. */
  public record Key(String expression, String type) {}

  private final List<Key> keys;
  private final boolean descending;

  private Keyset(List<Key> keys, boolean descending) {
    this.keys = List.copyOf(keys);
    this.descending = descending;
  }

  /** Keys in order, the last one unique (the id). */
  public static Keyset of(boolean descending, Key... keys) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("a keyset needs at least the id");
    }
    return new Keyset(List.of(keys), descending);
  }

  /**
   * The same order over other columns that hold its keys, in the same sequence: a query that
   * collects (key, id) pairs first and orders them there (its positions and bindings are the same).
   */
  public Keyset over(String... columns) {
    if (columns.length != keys.size()) {
      throw new IllegalArgumentException(columns.length + " columns for " + keys.size() + " keys");
    }
    List<Key> renamed = new ArrayList<>(keys.size());
    for (int i = 0; i < columns.length; i++) {
      renamed.add(new Key(columns[i], keys.get(i).type()));
    }
    return new Keyset(renamed, descending);
  }

  /** The keys selected under {@code columns}' names ({@code k1 AS c1, id AS c2}), for {@link #over}. */
  public String selectAs(String... columns) {
    if (columns.length != keys.size()) {
      throw new IllegalArgumentException(columns.length + " columns for " + keys.size() + " keys");
    }
    return IntStream.range(0, columns.length)
        .mapToObj(i -> keys.get(i).expression() + " AS " + columns[i])
        .collect(Collectors.joining(", "));
  }

  /** The select-list items that carry each row's position: {@code , CAST(k AS text) AS keyset_0, …}. */
  public String selectKeys() {
    return IntStream.range(0, keys.size())
        .mapToObj(i -> ", CAST(" + keys.get(i).expression() + " AS text) AS keyset_" + i)
        .collect(Collectors.joining());
  }

  /** {@code ORDER BY k1 ASC, id ASC} (or both DESC). */
  public String orderBy() {
    String direction = descending ? " DESC" : " ASC";
    return " ORDER BY "
        + keys.stream().map(k -> k.expression() + direction).collect(Collectors.joining(", "));
  }

  /** The condition "after the position": a row comparison the (k1, id) index answers. */
  public String after() {
    String columns = keys.stream().map(Key::expression).collect(Collectors.joining(", "));
    String values =
        IntStream.range(0, keys.size())
            .mapToObj(i -> "CAST(:keyset_" + i + " AS " + keys.get(i).type() + ")")
            .collect(Collectors.joining(", "));
    return "(" + columns + ") " + (descending ? "<" : ">") + " (" + values + ")";
  }

  /** The bindings of {@link #after()} for a position read by {@link #positionOf}. */
  public Map<String, Object> bindings(List<String> position) {
    if (position.size() != keys.size()) {
      throw new IllegalArgumentException("a position of " + position.size() + " keys for " + keys.size());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < position.size(); i++) {
      values.put("keyset_" + i, position.get(i));
    }
    return values;
  }

  /** How many keys a position of this order has (a token with another count is not for it). */
  public int size() {
    return keys.size();
  }

  /** The position of the current row, from the columns {@link #selectKeys()} added. */
  public List<String> positionOf(ResultSet rs) throws SQLException {
    List<String> position = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      position.add(rs.getString("keyset_" + i));
    }
    return position;
  }
}
