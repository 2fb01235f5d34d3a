package dev.library.book.db;

import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.db.Keyset;
import dev.library.runtime.db.KeysetPages;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The holds table, inside the caller's transaction. Every change of a hold's state is made with
 * its book row locked by the caller (see V4), so these statements need no locks of their own.
 */
public final class HoldDao {
  private static final String COLUMNS =
      "SELECT h.*, b.title AS book_title, "
          + "CASE WHEN h.status = 'WAITING' THEN (SELECT count(*) FROM holds w WHERE w.book_id = h.book_id "
          + "AND w.status = 'WAITING' AND w.position <= h.position) ELSE 0 END AS queue_position";
  private static final String FROM = " FROM holds h JOIN books b ON b.id = h.book_id";
  private static final String SELECT = COLUMNS + FROM;

  private final Handle handle;

  public HoldDao(Handle handle) {
    this.handle = handle;
  }

  /** Serialises hold placement of one member, so two concurrent placements cannot both pass the limit. */
  public void lockMember(UUID userId) {
    handle
        .createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:member, 0))) l")
        .bind("member", "holds:" + userId)
        .mapTo(Integer.class)
        .one();
  }

  public void insert(UUID id, UUID bookId, UUID userId, Instant placedAt) {
    handle
        .createUpdate(
            "INSERT INTO holds (id, book_id, user_id, status, placed_at) "
                + "VALUES (:id, :book, :user, 'WAITING', :at)")
        .bind("id", id)
        .bind("book", bookId)
        .bind("user", userId)
        .bind("at", placedAt)
        .execute();
  }

  public Optional<HoldRow> find(UUID id) {
    return handle.createQuery(SELECT + " WHERE h.id = :id").bind("id", id).map(HoldDao::map).findOne();
  }

  /** The member's open hold on the book, if any. */
  public Optional<HoldRow> openOf(UUID bookId, UUID userId) {
    return handle
        .createQuery(
            SELECT + " WHERE h.book_id = :book AND h.user_id = :user AND h.status IN ('WAITING', 'READY')")
        .bind("book", bookId)
        .bind("user", userId)
        .map(HoldDao::map)
        .findOne();
  }

  public int openCountOf(UUID userId) {
    return handle
        .createQuery("SELECT count(*) FROM holds WHERE user_id = :user AND status IN ('WAITING', 'READY')")
        .bind("user", userId)
        .mapTo(Integer.class)
        .one();
  }

  public int waitingCountFor(UUID bookId) {
    return handle
        .createQuery("SELECT count(*) FROM holds WHERE book_id = :book AND status = 'WAITING'")
        .bind("book", bookId)
        .mapTo(Integer.class)
        .one();
  }

  public int readyCountFor(UUID bookId) {
    return handle
        .createQuery("SELECT count(*) FROM holds WHERE book_id = :book AND status = 'READY'")
        .bind("book", bookId)
        .mapTo(Integer.class)
        .one();
  }

  /**
   * Makes the first {@code copies} WAITING holds of the book READY, in queue order; returns their
   * ids and members.
   */
  public List<HoldRow> makeReady(UUID bookId, int copies, Instant now, Instant deadline) {
    return handle
        .createQuery(
            "UPDATE holds SET status = 'READY', ready_at = :now, pickup_deadline = :deadline "
                + "WHERE id IN (SELECT id FROM holds WHERE book_id = :book AND status = 'WAITING' "
                + "ORDER BY position LIMIT :copies) RETURNING *, '' AS book_title, 0 AS queue_position")
        .bind("book", bookId)
        .bind("copies", copies)
        .bind("now", now)
        .bind("deadline", deadline)
        .map(HoldDao::map)
        .list();
  }

  /** Closes an open hold in the given final state; empty when it was not in {@code from}. */
  public Optional<HoldRow> close(UUID id, HoldStatus from, HoldStatus to, Instant now) {
    return handle
        .createQuery(
            "UPDATE holds SET status = :to, closed_at = :now, pickup_deadline = NULL "
                + "WHERE id = :id AND status = :from RETURNING *, '' AS book_title, 0 AS queue_position")
        .bind("id", id)
        .bind("from", from.name())
        .bind("to", to.name())
        .bind("now", now)
        .map(HoldDao::map)
        .findOne();
  }

  /** Expires the book's READY holds whose pickup deadline passed. */
  public List<HoldRow> expireReady(UUID bookId, Instant now) {
    return handle
        .createQuery(
            "UPDATE holds SET status = 'EXPIRED', closed_at = :now, pickup_deadline = NULL "
                + "WHERE book_id = :book AND status = 'READY' AND pickup_deadline <= :now "
                + "RETURNING *, '' AS book_title, 0 AS queue_position")
        .bind("book", bookId)
        .bind("now", now)
        .map(HoldDao::map)
        .list();
  }

  /** Whether a READY hold of the book has passed its pickup deadline (its copy is to pass on). */
  public boolean hasReadyDue(UUID bookId, Instant now) {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM holds WHERE book_id = :book AND status = 'READY' "
                + "AND pickup_deadline <= :now)")
        .bind("book", bookId)
        .bind("now", now)
        .mapTo(Boolean.class)
        .one();
  }

  /** Books with a READY hold past its deadline, oldest deadline first. */
  public List<UUID> booksWithExpiredReady(Instant now, int limit) {
    return handle
        .createQuery(
            "SELECT book_id FROM holds WHERE status = 'READY' AND pickup_deadline <= :now "
                + "GROUP BY book_id ORDER BY min(pickup_deadline) LIMIT :limit")
        .bind("now", now)
        .bind("limit", limit)
        .mapTo(UUID.class)
        .list();
  }

  /** Which holds ListHolds wants. */
  public record Filter(Optional<UUID> userId, Optional<UUID> bookId, boolean includeClosed) {
    /** A book's queue (no member named) in queue order, else a member's holds newest first. */
    public Keyset order() {
      return userId.isEmpty() ? QUEUE_ORDER : MEMBER_ORDER;
    }

    /** The filter's canonical form, which a page token is bound to. */
    public String canonical() {
      return "user=" + userId.map(UUID::toString).orElse("")
          + " book=" + bookId.map(UUID::toString).orElse("")
          + " closed=" + includeClosed;
    }

    String where(Map<String, Object> values) {
      StringBuilder where = new StringBuilder(" WHERE true");
      userId.ifPresent(
          u -> {
            where.append(" AND h.user_id = :user");
            values.put("user", u);
          });
      bookId.ifPresent(
          b -> {
            where.append(" AND h.book_id = :book");
            values.put("book", b);
          });
      if (!includeClosed) {
        where.append(" AND h.status IN ('WAITING', 'READY')");
      }
      return where.toString();
    }
  }

  /**
   * A book's queue: READY holds first, then WAITING ones in queue order, then closed ones (the
   * status as a rank, so that the whole order runs one way for the keyset); V6's
   * holds_book_queue_idx (book_id, rank, position) serves it.
   */
  public static final Keyset QUEUE_ORDER =
      Keyset.of(
          false,
          new Keyset.Key(
              "(CASE h.status WHEN 'READY' THEN 0 WHEN 'WAITING' THEN 1 ELSE 2 END)", "integer"),
          new Keyset.Key("h.position", "bigint"));

  /** A member's holds, newest first; holds_user_idx (user_id, placed_at DESC, position DESC) serves it. */
  public static final Keyset MEMBER_ORDER =
      Keyset.of(true, new Keyset.Key("h.placed_at", "timestamptz"), new Keyset.Key("h.position", "bigint"));

  /** A page of holds in the filter's order, and the bounded count of the matching holds. */
  public ListPage<HoldRow> page(Filter filter, PageRequest request) {
    return KeysetPages.page(handle, request, sql(filter), HoldDao::map);
  }

  /** The plan of {@link #page}'s row query, for tests that its order is served by an index. */
  public String explainPage(Filter filter, PageRequest request) {
    return KeysetPages.explain(handle, request, sql(filter));
  }

  private static KeysetPages.Sql sql(Filter filter) {
    Map<String, Object> values = new LinkedHashMap<>();
    String where = filter.where(values);
    // The filters and the order read holds only: the count needs no join.
    return new KeysetPages.Sql(COLUMNS, FROM, " FROM holds h", where, values, filter.order());
  }

  static HoldRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new HoldRow(
        rs.getObject("id", UUID.class),
        rs.getObject("book_id", UUID.class),
        rs.getObject("user_id", UUID.class),
        HoldStatus.valueOf(rs.getString("status")),
        instant(rs, "placed_at"),
        instant(rs, "ready_at"),
        instant(rs, "pickup_deadline"),
        instant(rs, "closed_at"),
        rs.getInt("queue_position"),
        rs.getString("book_title"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
