package dev.library.book.db;

import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.db.Keyset;
import dev.library.runtime.db.KeysetPages;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The append-only circulation_events table, inside the caller's transaction. */
public final class EventDao {
  private final Handle handle;

  public EventDao(Handle handle) {
    this.handle = handle;
  }

  public void record(
      EventType type, Instant at, UUID userId, UUID bookId, UUID loanId, UUID holdId, UUID actorId) {
    handle
        .createUpdate(
            "INSERT INTO circulation_events (type, occurred_at, user_id, book_id, loan_id, hold_id, actor_id) "
                + "VALUES (:type, :at, CAST(:user AS uuid), :book, CAST(:loan AS uuid), CAST(:hold AS uuid), CAST(:actor AS uuid))")
        .bind("type", type.name())
        .bind("at", at)
        .bind("user", userId)
        .bind("book", bookId)
        .bind("loan", loanId)
        .bind("hold", holdId)
        .bind("actor", actorId)
        .execute();
  }

  /**
   * The insert of a loan's event, as the last part of a statement whose CTE {@code loan} changes
   * the loan (columns id, book_id, user_id): the change and its record in one round trip, and no
   * event when the change matched no row. Binds :event_type, :event_at and :event_actor.
   */
  static String recordLoanEventFrom(String loan) {
    return "INSERT INTO circulation_events (type, occurred_at, user_id, book_id, loan_id, hold_id, actor_id) "
        + "SELECT CAST(:event_type AS text), CAST(:event_at AS timestamptz), user_id, book_id, id, NULL, "
        + "CAST(:event_actor AS uuid) FROM " + loan;
  }

  /**
   * Forgets the member of up to {@code limit} events older than {@code cutoff}. SKIP LOCKED: replicas
   * sweeping at once take disjoint batches instead of queueing behind each other.
   */
  public int anonymizeBefore(Instant cutoff, int limit) {
    return handle
        .createUpdate(
            "UPDATE circulation_events SET user_id = NULL WHERE id IN ("
                + "SELECT id FROM circulation_events WHERE user_id IS NOT NULL AND occurred_at < :cutoff "
                + "ORDER BY occurred_at LIMIT :limit FOR UPDATE SKIP LOCKED)")
        .bind("cutoff", cutoff)
        .bind("limit", limit)
        .execute();
  }

  /** Which events ListCirculationEvents wants; every part optional. */
  public record Filter(
      Optional<UUID> userId,
      Optional<UUID> bookId,
      Optional<EventType> type,
      Optional<Instant> from,
      Optional<Instant> until) {
    String where(Map<String, Object> values) {
      StringBuilder where = new StringBuilder(" WHERE true");
      userId.ifPresent(u -> add(where, values, "user_id = :user", "user", u));
      bookId.ifPresent(b -> add(where, values, "book_id = :book", "book", b));
      type.ifPresent(t -> add(where, values, "type = :type", "type", t.name()));
      from.ifPresent(f -> add(where, values, "occurred_at >= :from", "from", f));
      until.ifPresent(u -> add(where, values, "occurred_at < :until", "until", u));
      return where.toString();
    }

    /** The filter's canonical form, which a page token is bound to. */
    public String canonical() {
      return "user=" + userId.map(UUID::toString).orElse("")
          + " book=" + bookId.map(UUID::toString).orElse("")
          + " type=" + type.map(EventType::name).orElse("")
          + " from=" + from.map(Instant::toString).orElse("")
          + " until=" + until.map(Instant::toString).orElse("");
    }

    private static void add(StringBuilder where, Map<String, Object> values, String sql, String key, Object value) {
      where.append(" AND ").append(sql);
      values.put(key, value);
    }
  }

  /**
   * ListCirculationEvents' order, newest first; circulation_events_time_idx, _user_idx and
   * _book_idx (each ending in occurred_at DESC, id DESC) serve it.
   */
  public static final Keyset ORDER =
      Keyset.of(true, new Keyset.Key("occurred_at", "timestamptz"), new Keyset.Key("id", "bigint"));

  /** A page of events, newest first, and the bounded count of the matching events. */
  public ListPage<EventRow> page(Filter filter, PageRequest request) {
    return KeysetPages.page(handle, request, sql(filter), EventDao::map);
  }

  /** The plan of {@link #page}'s row query, for tests that its order is served by an index. */
  public String explainPage(Filter filter, PageRequest request) {
    return KeysetPages.explain(handle, request, sql(filter));
  }

  private static KeysetPages.Sql sql(Filter filter) {
    Map<String, Object> values = new LinkedHashMap<>();
    String where = filter.where(values);
    return new KeysetPages.Sql(
        "SELECT *", " FROM circulation_events", " FROM circulation_events", where, values, ORDER);
  }

  static EventRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new EventRow(
        rs.getLong("id"),
        EventType.valueOf(rs.getString("type")),
        HoldDao.instant(rs, "occurred_at"),
        rs.getObject("user_id", UUID.class),
        rs.getObject("book_id", UUID.class),
        rs.getObject("loan_id", UUID.class),
        rs.getObject("hold_id", UUID.class),
        rs.getObject("actor_id", UUID.class));
  }
}
