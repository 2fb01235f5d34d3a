package dev.library.author.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The authors table, on the caller's handle (so a caller's statements share one connection and,
 * in a transaction, one transaction). Ordering everywhere is lower(name), id: its index's order.
 */
public final class AuthorDao {
  private static final String ORDER = " ORDER BY lower(name), id";

  private final Handle handle;

  public AuthorDao(Handle handle) {
    this.handle = handle;
  }

  public AuthorRow insert(UUID id, String name, String biography, LocalDate birthDate) {
    return handle.createQuery(
            "INSERT INTO authors (id, name, biography, birth_date) "
                + "VALUES (:id, :name, :biography, :birthDate) RETURNING *")
        .bind("id", id)
        .bind("name", name)
        .bind("biography", biography)
        .bind("birthDate", birthDate)
        .map(AuthorDao::map)
        .one();
  }

  /** Empty when no author has the id: an update never creates one. */
  public Optional<AuthorRow> update(UUID id, String name, String biography, LocalDate birthDate) {
    return handle.createQuery(
            "UPDATE authors SET name = :name, biography = :biography, "
                + "birth_date = :birthDate, updated_at = now() WHERE id = :id RETURNING *")
        .bind("id", id)
        .bind("name", name)
        .bind("biography", biography)
        .bind("birthDate", birthDate)
        .map(AuthorDao::map)
        .findOne();
  }

  public boolean delete(UUID id) {
    return handle.createUpdate("DELETE FROM authors WHERE id = :id").bind("id", id).execute() > 0;
  }

  public Optional<AuthorRow> find(UUID id) {
    return handle.createQuery("SELECT * FROM authors WHERE id = :id")
        .bind("id", id)
        .map(AuthorDao::map)
        .findOne();
  }

  public List<AuthorRow> findAll(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return handle.createQuery("SELECT * FROM authors WHERE id = ANY(:ids)")
        .bind("ids", ids.toArray(UUID[]::new))
        .map(AuthorDao::map)
        .list();
  }

  /**
   * One page, filtered by a LIKE pattern on the name when one is given. The two shapes are
   * separate statements so each gets its own plan (the filter uses the trigram index, the bare
   * list walks the order index).
   */
  public List<AuthorRow> page(Optional<String> namePattern, int limit, long offset) {
    return pageQuery("", namePattern, limit, offset).map(AuthorDao::map).list();
  }

  /** PostgreSQL's plan for {@link #page}, for plan checks and diagnostics. */
  public String explainPage(Optional<String> namePattern, int limit, long offset) {
    return String.join(
        "\n", pageQuery("EXPLAIN ", namePattern, limit, offset).mapTo(String.class).list());
  }

  private Query pageQuery(String prefix, Optional<String> namePattern, int limit, long offset) {
    return handle
        .createQuery(prefix + pageSql(namePattern))
        .bindMap(namePattern.map(p -> Map.<String, Object>of("pattern", p)).orElse(Map.of()))
        .bind("limit", limit)
        .bind("offset", offset);
  }

  /**
   * Without a filter the order index gives the page directly. With one, the matches are
   * collected through the trigram index first and then sorted: walking the order index in the
   * hope of meeting enough matches early reads the whole table when matches are rare.
   */
  private static String pageSql(Optional<String> namePattern) {
    String order = ORDER + " LIMIT :limit OFFSET :offset";
    return namePattern.isPresent()
        ? "WITH matches AS MATERIALIZED (SELECT * FROM authors WHERE name ILIKE :pattern) "
            + "SELECT * FROM matches" + order
        : "SELECT * FROM authors" + order;
  }

  public int count(Optional<String> namePattern) {
    return handle.createQuery("SELECT count(*) FROM authors" + where(namePattern))
        .bindMap(namePattern.map(p -> Map.<String, Object>of("pattern", p)).orElse(Map.of()))
        .mapTo(Integer.class)
        .one();
  }

  private static String where(Optional<String> namePattern) {
    return namePattern.isPresent() ? " WHERE name ILIKE :pattern" : "";
  }

  /** Ids of authors whose name matches, in list order; at most {@code limit}. */
  public List<UUID> idsMatching(String namePattern, int limit) {
    return handle.createQuery("SELECT id FROM authors WHERE name ILIKE :pattern" + ORDER + " LIMIT :limit")
        .bind("pattern", namePattern)
        .bind("limit", limit)
        .mapTo(UUID.class)
        .list();
  }

  private static AuthorRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new AuthorRow(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("biography"),
        rs.getObject("birth_date", LocalDate.class),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}
