package dev.library.author.db;

import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.NamePageRequest;
import dev.library.runtime.db.NameOrderedPages;
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

  private static final NameOrderedPages<AuthorRow> PAGES =
      new NameOrderedPages<>("authors", AuthorDao::map);

  /** One page in name order, filtered by the request's name pattern when it has one. */
  public ListPage<AuthorRow> page(NamePageRequest request) {
    return PAGES.page(handle, request);
  }

  /** PostgreSQL's plan for {@link #page}, for plan checks and diagnostics. */
  public String explainPage(NamePageRequest request) {
    return PAGES.explain(handle, request);
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
