package dev.library.book.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The category-link outbox. Entries are written inside the book change's transaction; the relay
 * claims them with a lease in one statement of its own, delivers with no transaction open, and
 * records the outcome in another.
 */
public final class OutboxDao {
  /** One pending change: the complete set of categories a book should now be in. */
  public record Entry(long id, UUID bookId, List<UUID> categoryIds, int attempts, Instant createdAt) {}

  /** Due, not claimed by a live lease, and the oldest entry of its book. */
  private static final String CLAIMABLE =
      "o.next_attempt_at <= now() AND (o.claimed_until IS NULL OR o.claimed_until < now()) "
          + "AND NOT EXISTS (SELECT 1 FROM category_link_outbox e "
          + "WHERE e.book_id = o.book_id AND e.id < o.id)";

  private static final String LEASE_END = "now() + :leaseMs * interval '1 millisecond'";

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
   * Claims up to {@code limit} claimable entries for {@code lease}, oldest first. Entries another
   * relay is claiming at this instant are skipped, never waited for.
   */
  public List<Entry> claimDue(int limit, Duration lease) {
    return handle
        .createQuery(
            "UPDATE category_link_outbox SET claimed_until = " + LEASE_END + " WHERE id IN ("
                + "SELECT o.id FROM category_link_outbox o WHERE "
                + CLAIMABLE
                + " ORDER BY o.id LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING *")
        .bind("limit", limit)
        .bind("leaseMs", lease.toMillis())
        .map(OutboxDao::map)
        .list()
        .stream()
        .sorted(java.util.Comparator.comparingLong(Entry::id))
        .toList();
  }

  /** Claims this entry for {@code lease} if it is claimable. */
  public Optional<Entry> claim(long id, Duration lease) {
    return handle
        .createQuery(
            "UPDATE category_link_outbox SET claimed_until = " + LEASE_END + " WHERE id IN ("
                + "SELECT o.id FROM category_link_outbox o WHERE o.id = :id AND "
                + CLAIMABLE
                + " FOR UPDATE SKIP LOCKED) RETURNING *")
        .bind("id", id)
        .bind("leaseMs", lease.toMillis())
        .map(OutboxDao::map)
        .findOne();
  }

  public void delete(long id) {
    handle.createUpdate("DELETE FROM category_link_outbox WHERE id = :id").bind("id", id).execute();
  }

  /** A failed attempt: released, and due again at {@code nextAttempt}. */
  public void reschedule(long id, Instant nextAttempt, String error) {
    handle
        .createUpdate(
            "UPDATE category_link_outbox SET attempts = attempts + 1, next_attempt_at = :next, "
                + "claimed_until = NULL, last_error = :error WHERE id = :id")
        .bind("id", id)
        .bind("next", nextAttempt)
        .bind("error", error)
        .execute();
  }

  /** Makes every deferred entry due now (the Category service is back); returns how many. */
  public int wakeDeferred() {
    return handle
        .createUpdate(
            "UPDATE category_link_outbox SET next_attempt_at = now() WHERE next_attempt_at > now()")
        .execute();
  }

  /** Whether any entry waits out a backoff. */
  public boolean anyDeferred() {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM category_link_outbox WHERE next_attempt_at > now())")
        .mapTo(Boolean.class)
        .one();
  }

  public int pending() {
    return handle.createQuery("SELECT count(*) FROM category_link_outbox").mapTo(Integer.class).one();
  }

  /** Age of the oldest pending entry, for operators. */
  public Optional<Duration> oldestAge() {
    return handle
        .createQuery("SELECT extract(epoch FROM now() - min(created_at)) FROM category_link_outbox")
        .mapTo(Double.class)
        .findOne()
        .filter(java.util.Objects::nonNull)
        .map(seconds -> Duration.ofMillis((long) (seconds * 1000)));
  }

  private static Entry map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Entry(
        rs.getLong("id"),
        rs.getObject("book_id", UUID.class),
        List.copyOf(Arrays.asList((UUID[]) rs.getArray("category_ids").getArray())),
        rs.getInt("attempts"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
