package dev.library.book.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The category-link outbox, inside the caller's transaction. */
public final class OutboxDao {
  /** One pending change: the complete set of categories a book should now be in. */
  public record Entry(long id, UUID bookId, List<UUID> categoryIds, int attempts, Instant createdAt) {}

  private final Handle handle;

  public OutboxDao(Handle handle) {
    this.handle = handle;
  }

  public long enqueue(UUID bookId, List<UUID> categoryIds) {
    return handle
        .createQuery(
            "INSERT INTO category_link_outbox (book_id, category_ids) VALUES (:book, :categories) "
                + "RETURNING id")
        .bind("book", bookId)
        .bind("categories", categoryIds.toArray(UUID[]::new))
        .mapTo(Long.class)
        .one();
  }

  /**
   * The oldest due entry of each book whose entries are due, locked; entries another relay
   * holds are skipped, so relays on several instances never deliver the same entry at once.
   */
  public List<Entry> claimDue(int limit) {
    return handle
        .createQuery(
            "SELECT * FROM category_link_outbox o WHERE next_attempt_at <= now() "
                + "AND NOT EXISTS (SELECT 1 FROM category_link_outbox e "
                + "WHERE e.book_id = o.book_id AND e.id < o.id) "
                + "ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED")
        .bind("limit", limit)
        .map(OutboxDao::map)
        .list();
  }

  /** The entry of this id, locked, unless another relay holds it or it is gone. */
  public Optional<Entry> claim(long id) {
    return handle
        .createQuery("SELECT * FROM category_link_outbox WHERE id = :id FOR UPDATE SKIP LOCKED")
        .bind("id", id)
        .map(OutboxDao::map)
        .findOne();
  }

  /** Whether an older entry of the same book is still pending (it must go first). */
  public boolean hasOlderPending(long id, UUID bookId) {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM category_link_outbox WHERE book_id = :book AND id < :id)")
        .bind("book", bookId)
        .bind("id", id)
        .mapTo(Boolean.class)
        .one();
  }

  public void delete(long id) {
    handle.createUpdate("DELETE FROM category_link_outbox WHERE id = :id").bind("id", id).execute();
  }

  public void reschedule(long id, Instant nextAttempt, String error) {
    handle
        .createUpdate(
            "UPDATE category_link_outbox SET attempts = attempts + 1, next_attempt_at = :next, "
                + "last_error = :error WHERE id = :id")
        .bind("id", id)
        .bind("next", nextAttempt)
        .bind("error", error)
        .execute();
  }

  private static Entry map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Entry(
        rs.getLong("id"),
        rs.getObject("book_id", UUID.class),
        List.copyOf(Arrays.asList((UUID[]) rs.getArray("category_ids").getArray())),
        rs.getInt("attempts"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  public int pending() {
    return handle.createQuery("SELECT count(*) FROM category_link_outbox").mapTo(Integer.class).one();
  }
}
