package dev.library.category.db;

import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.NamePageRequest;
import dev.library.runtime.db.NameOrderedPages;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The categories table, on the caller's handle (one connection, and the caller's transaction if
 * it opened one). Ordering everywhere is lower(name), id (see the migration's notes).
 */
public final class CategoryDao {
  /** The unique index on lower(name): its violation means the name is taken. */
  public static final String NAME_KEY = "categories_lower_name_key";

  static final String ORDER = " ORDER BY lower(name), id";

  private final Handle handle;

  public CategoryDao(Handle handle) {
    this.handle = handle;
  }

  public CategoryRow insert(UUID id, String name, String description) {
    return handle
        .createQuery(
            "INSERT INTO categories (id, name, description) "
                + "VALUES (:id, :name, :description) RETURNING *")
        .bind("id", id)
        .bind("name", name)
        .bind("description", description)
        .map(CategoryDao::map)
        .one();
  }

  /** Empty when no category has the id: an update never creates one. */
  public Optional<CategoryRow> update(UUID id, String name, String description) {
    return handle
        .createQuery(
            "UPDATE categories SET name = :name, description = :description, "
                + "updated_at = now() WHERE id = :id RETURNING *")
        .bind("id", id)
        .bind("name", name)
        .bind("description", description)
        .map(CategoryDao::map)
        .findOne();
  }

  /** Deletes the category; its item links go with it (ON DELETE CASCADE). */
  public boolean delete(UUID id) {
    return handle.createUpdate("DELETE FROM categories WHERE id = :id").bind("id", id).execute() > 0;
  }

  public Optional<CategoryRow> find(UUID id) {
    return handle
        .createQuery("SELECT * FROM categories WHERE id = :id")
        .bind("id", id)
        .map(CategoryDao::map)
        .findOne();
  }

  public List<CategoryRow> findAll(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return handle
        .createQuery("SELECT * FROM categories WHERE id = ANY(:ids)")
        .bind("ids", ids.toArray(UUID[]::new))
        .map(CategoryDao::map)
        .list();
  }

  /** Which of {@code ids} exist. */
  public Set<UUID> existing(Set<UUID> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        handle
            .createQuery("SELECT id FROM categories WHERE id = ANY(:ids)")
            .bind("ids", ids.toArray(UUID[]::new))
            .mapTo(UUID.class)
            .list());
  }

  /**
   * Which of {@code ids} exist, locked {@code FOR KEY SHARE} until the transaction ends: they
   * cannot be deleted meanwhile (a deletion waits, then removes links made to them with them).
   * Locked in id order, so two transactions locking overlapping sets cannot deadlock.
   */
  public Set<UUID> lockExisting(Set<UUID> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        handle
            .createQuery("SELECT id FROM categories WHERE id = ANY(:ids) ORDER BY id FOR KEY SHARE")
            .bind("ids", ids.toArray(UUID[]::new))
            .mapTo(UUID.class)
            .list());
  }

  private static final NameOrderedPages<CategoryRow> PAGES =
      new NameOrderedPages<>("categories", CategoryDao::map);

  /** One page in name order, filtered by the request's name pattern when it has one. */
  public ListPage<CategoryRow> page(NamePageRequest request) {
    return PAGES.page(handle, request);
  }

  /** PostgreSQL's plan for {@link #page}, for plan checks and diagnostics. */
  public String explainPage(NamePageRequest request) {
    return PAGES.explain(handle, request);
  }



  static CategoryRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new CategoryRow(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("description"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}
