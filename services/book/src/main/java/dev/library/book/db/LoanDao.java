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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The loans table, inside the caller's transaction. */
public final class LoanDao {
  private static final String COLUMNS = "SELECT l.*, b.title AS book_title";
  private static final String FROM = " FROM loans l JOIN books b ON b.id = l.book_id";
  private static final String SELECT = COLUMNS + FROM;

  /** Which loans ListLoans wants. */
  public enum Status {
    ANY,
    ACTIVE,
    RETURNED,
    OVERDUE
  }

  private final Handle handle;

  public LoanDao(Handle handle) {
    this.handle = handle;
  }

  /**
   * Serialises the loan-taking of one member for the rest of the transaction, so two concurrent
   * borrows cannot both pass the maximum-loans check.
   */
  public void lockMember(UUID userId) {
    handle
        .createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:member, 0))) l")
        .bind("member", "loans:" + userId)
        .mapTo(Integer.class)
        .one();
  }

  /** A member's active loans as a borrow checks them. */
  public record ActiveLoans(int count, boolean ofBook, boolean dueBefore) {}

  /** The book as committed and the borrower's active loans: what a borrow checks first. */
  public record BorrowerView(BookRow book, ActiveLoans loans) {}

  /**
   * The book, and how many active loans the member has, whether one is of this book and whether
   * one is due before {@code cutoff}: one round trip for the checks a borrow makes before it
   * queues for the book's lock. Empty when there is no such book. Call after {@link #lockMember}:
   * this statement's snapshot then sees every loan the member's earlier borrows committed.
   */
  public Optional<BorrowerView> borrowerView(UUID bookId, UUID userId, Instant cutoff) {
    return handle
        .createQuery(
            "SELECT b.*, a.* FROM books b, LATERAL (SELECT count(*) AS active_loans, "
                + "coalesce(bool_or(l.book_id = b.id), false) AS loan_of_book, "
                + "coalesce(bool_or(l.due_at < :cutoff), false) AS loan_due_before "
                + "FROM loans l WHERE l.user_id = :user AND l.returned_at IS NULL) a WHERE b.id = :book")
        .bind("book", bookId)
        .bind("user", userId)
        .bind("cutoff", cutoff)
        .map(
            (rs, ctx) ->
                new BorrowerView(
                    BookDao.map(rs, ctx),
                    new ActiveLoans(
                        rs.getInt("active_loans"),
                        rs.getBoolean("loan_of_book"),
                        rs.getBoolean("loan_due_before"))))
        .findOne();
  }

  /** Whether the book exists, and the loan if there is one: what a return looks up first. */
  public record ReturnView(boolean bookExists, Optional<LoanRow> loan) {}

  public ReturnView returnView(UUID bookId, UUID loanId) {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM books WHERE id = :book) AS book_exists, l.*, "
                + "b.title AS book_title FROM (SELECT 1) one LEFT JOIN loans l ON l.id = :id "
                + "LEFT JOIN books b ON b.id = l.book_id")
        .bind("book", bookId)
        .bind("id", loanId)
        .map(
            (rs, ctx) ->
                new ReturnView(
                    rs.getBoolean("book_exists"),
                    rs.getObject("id", UUID.class) == null ? Optional.empty() : Optional.of(map(rs, ctx))))
        .one();
  }

  public int activeCountFor(UUID bookId) {
    return handle
        .createQuery("SELECT count(*) FROM loans WHERE book_id = :book AND returned_at IS NULL")
        .bind("book", bookId)
        .mapTo(Integer.class)
        .one();
  }

  /** Whether the member has an active loan due before {@code cutoff} (overdue beyond the grace). */
  public boolean hasActiveDueBefore(UUID userId, Instant cutoff) {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM loans WHERE user_id = :user AND returned_at IS NULL "
                + "AND due_at < :cutoff)")
        .bind("user", userId)
        .bind("cutoff", cutoff)
        .mapTo(Boolean.class)
        .one();
  }

  public boolean hasActive(UUID bookId, UUID userId) {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM loans WHERE book_id = :book AND user_id = :user "
                + "AND returned_at IS NULL)")
        .bind("book", bookId)
        .bind("user", userId)
        .mapTo(Boolean.class)
        .one();
  }

  /**
   * Renews the loan if it is still active and has renewals left: one conditional statement, so
   * concurrent renewals and returns cannot both pass. Empty when nothing changed.
   */
  public Optional<LoanRow> renew(UUID loanId, Instant newDue, int maxRenewals) {
    return handle
        .createQuery(
            "UPDATE loans SET due_at = :due, renewals_used = renewals_used + 1 "
                + "WHERE id = :id AND returned_at IS NULL AND renewals_used < :max "
                + "RETURNING *, (SELECT title FROM books WHERE id = book_id) AS book_title")
        .bind("id", loanId)
        .bind("due", newDue)
        .bind("max", maxRenewals)
        .map(LoanDao::map)
        .findOne();
  }

  /**
   * Inserts an active loan and records its LOAN_BORROWED event ({@code actor}: the librarian who
   * lent it, or null); a second active loan of the same book by the member violates a unique
   * index.
   */
  public void insert(UUID id, UUID bookId, UUID userId, Instant dueAt, Instant at, UUID actor) {
    handle
        .createUpdate(
            "WITH loan AS (INSERT INTO loans (id, book_id, user_id, due_at) VALUES (:id, :book, :user, :due) "
                + "RETURNING id, book_id, user_id) "
                + EventDao.recordLoanEventFrom("loan"))
        .bind("id", id)
        .bind("book", bookId)
        .bind("user", userId)
        .bind("due", dueAt)
        .bindMap(event(EventType.LOAN_BORROWED, at, actor))
        .execute();
  }

  /**
   * Closes the loan if it is an active loan of this book, and records its LOAN_RETURNED event
   * ({@code actor}: the librarian who took it back, or null): one statement, so the copy can
   * come back only once however many returns race. Empty when nothing was closed (and nothing
   * recorded).
   */
  public Optional<LoanRow> close(UUID loanId, UUID bookId, Instant at, UUID actor) {
    return handle
        .createQuery(
            "WITH loan AS (UPDATE loans SET returned_at = now() "
                + "WHERE id = :id AND book_id = :book AND returned_at IS NULL RETURNING *), "
                + "recorded AS (" + EventDao.recordLoanEventFrom("loan") + ") "
                + "SELECT *, '' AS book_title FROM loan")
        .bind("id", loanId)
        .bind("book", bookId)
        .bindMap(event(EventType.LOAN_RETURNED, at, actor))
        .map(LoanDao::map)
        .findOne();
  }

  private static Map<String, Object> event(EventType type, Instant at, UUID actor) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("event_type", type.name());
    values.put("event_at", at);
    values.put("event_actor", actor);
    return values;
  }

  public Optional<LoanRow> find(UUID loanId) {
    return handle
        .createQuery(SELECT + " WHERE l.id = :id")
        .bind("id", loanId)
        .map(LoanDao::map)
        .findOne();
  }

  public void deleteReturnedOf(UUID bookId) {
    handle
        .createUpdate("DELETE FROM loans WHERE book_id = :book AND returned_at IS NOT NULL")
        .bind("book", bookId)
        .execute();
  }

  /** ListLoans' order, newest first; loans_user_idx (user_id, borrowed_at DESC, id DESC) serves it. */
  public static final Keyset ORDER =
      Keyset.of(true, new Keyset.Key("l.borrowed_at", "timestamptz"), new Keyset.Key("l.id", "uuid"));

  /** A page of a member's loans, newest first, and the bounded count of their matching loans. */
  public ListPage<LoanRow> page(UUID userId, Optional<UUID> bookId, Status status, PageRequest request) {
    Filter filter = Filter.of(userId, bookId, status);
    // The filters and the order read loans only: the count needs no join.
    KeysetPages.Sql sql =
        new KeysetPages.Sql(COLUMNS, FROM, " FROM loans l", filter.where, filter.values, ORDER);
    return KeysetPages.page(handle, request, sql, LoanDao::map);
  }

  static LoanRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    OffsetDateTime returned = rs.getObject("returned_at", OffsetDateTime.class);
    return new LoanRow(
        rs.getObject("id", UUID.class),
        rs.getObject("book_id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getObject("borrowed_at", OffsetDateTime.class).toInstant(),
        rs.getObject("due_at", OffsetDateTime.class).toInstant(),
        returned == null ? null : returned.toInstant(),
        rs.getString("book_title"),
        rs.getInt("renewals_used"));
  }

  private record Filter(String where, Map<String, Object> values) {
    static Filter of(UUID userId, Optional<UUID> bookId, Status status) {
      Map<String, Object> values = new LinkedHashMap<>();
      StringBuilder where = new StringBuilder(" WHERE l.user_id = :user");
      values.put("user", userId);
      if (bookId.isPresent()) {
        where.append(" AND l.book_id = :book");
        values.put("book", bookId.get());
      }
      switch (status) {
        case ACTIVE -> where.append(" AND l.returned_at IS NULL");
        case RETURNED -> where.append(" AND l.returned_at IS NOT NULL");
        case OVERDUE -> where.append(" AND l.returned_at IS NULL AND l.due_at < now()");
        case ANY -> {}
      }
      return new Filter(where.toString(), values);
    }
  }
}
