package dev.library.book.core;

import dev.library.book.db.BookDao;
import dev.library.book.db.LoanDao;
import dev.library.book.db.LoanRow;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.api.Paging;
import dev.library.runtime.db.SqlErrors;
import dev.library.runtime.errors.NotAllowedException;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.RuleBrokenException;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.Ids;
import dev.library.runtime.security.Caller;
import dev.library.runtime.security.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Lending and taking back copies. A borrow is one transaction: the member's loans are serialised
 * (for the maximum-loans rule), one conditional decrement takes a copy if one is left, and the
 * loan row is inserted; any failure rolls all of it back. A return closes the loan with one
 * conditional update, so a copy comes back exactly once.
 */
public final class Circulation {
  private final Jdbi jdbi;
  private final Members members;
  private final Duration loanPeriod;
  private final int maxActiveLoans;
  private final Clock clock;
  private final PageTokens pageTokens;

  public Circulation(
      Jdbi jdbi,
      Members members,
      Duration loanPeriod,
      int maxActiveLoans,
      Clock clock,
      PageTokens pageTokens) {
    this.jdbi = jdbi;
    this.pageTokens = pageTokens;
    this.members = members;
    this.loanPeriod = loanPeriod;
    this.maxActiveLoans = maxActiveLoans;
    this.clock = clock;
  }

  /** A new loan and the copies left on the shelf. */
  public record Borrowed(UUID loanId, UUID bookId, UUID userId, Instant dueAt, int availableCopies) {}

  /** A closed loan and the copies now on the shelf. */
  public record Returned(UUID loanId, UUID bookId, Instant returnedAt, int availableCopies) {}

  /** A page of loans. */

  public Borrowed borrow(Caller caller, String bookId, String userId) {
    FieldViolations violations = new FieldViolations();
    UUID book = Ids.check("id", bookId, violations);
    Optional<UUID> named = namedMember(userId, violations);
    violations.throwIfAny();
    UUID member = member(caller, named);
    // PostgreSQL keeps microseconds: answer with the due time exactly as it is stored.
    Instant due = clock.instant().plus(loanPeriod).truncatedTo(ChronoUnit.MICROS);
    UUID loanId = UUID.randomUUID();
    try {
      return jdbi.inTransaction(
          h -> {
            LoanDao loans = new LoanDao(h);
            BookDao books = new BookDao(h);
            loans.lockMember(member);
            if (loans.activeCountOf(member) >= maxActiveLoans) {
              throw new RuleBrokenException(
                  "LOAN_LIMIT_REACHED",
                  "the member already holds the maximum of " + maxActiveLoans + " active loans",
                  Map.of("max_active_loans", Integer.toString(maxActiveLoans)));
            }
            Optional<Integer> left = books.takeCopy(book);
            if (left.isEmpty()) {
              if (books.find(book).isEmpty()) {
                throw Catalog.notFound();
              }
              throw new RuleBrokenException(
                  "NO_COPY_AVAILABLE",
                  "no copy of this book is available",
                  Map.of("book_id", book.toString()));
            }
            loans.insert(loanId, book, member, due);
            return new Borrowed(loanId, book, member, due, left.get());
          });
    } catch (RuntimeException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw new RuleBrokenException(
            "ALREADY_BORROWED",
            "the member already holds an active loan of this book",
            Map.of("book_id", book.toString()));
      }
      throw e;
    }
  }

  public Returned giveBack(Caller caller, String bookId, String transactionId, String userId) {
    FieldViolations violations = new FieldViolations();
    UUID book = Ids.check("id", bookId, violations);
    UUID loanId = Ids.check("transaction_id", transactionId, violations);
    Optional<UUID> named = namedMember(userId, violations);
    violations.throwIfAny();
    UUID member = member(caller, named);
    boolean librarian = caller.hasRole(Role.LIBRARIAN);
    return jdbi.inTransaction(
        h -> {
          LoanDao loans = new LoanDao(h);
          BookDao books = new BookDao(h);
          if (books.find(book).isEmpty()) {
            throw Catalog.notFound();
          }
          LoanRow loan =
              loans
                  .find(loanId)
                  .orElseThrow(() -> new NotFoundException("LOAN_NOT_FOUND", "loan not found"));
          if (!loan.bookId().equals(book)) {
            throw new RuleBrokenException(
                "LOAN_OF_ANOTHER_BOOK",
                "this loan is of another book",
                Map.of("transaction_id", loanId.toString()));
          }
          if (!loan.userId().equals(member)) {
            if (!librarian) {
              throw new NotAllowedException(
                  "LOAN_OF_ANOTHER_MEMBER", "this loan belongs to another member");
            }
            throw new RuleBrokenException(
                "LOAN_OF_ANOTHER_MEMBER", "this loan does not belong to user_id");
          }
          LoanRow closed =
              loans
                  .close(loanId, book)
                  .orElseThrow(
                      () ->
                          new RuleBrokenException(
                              "LOAN_ALREADY_RETURNED",
                              "this loan was already returned",
                              Map.of("transaction_id", loanId.toString())));
          int available = books.returnCopy(book);
          return new Returned(loanId, book, closed.returnedAt(), available);
        });
  }

  public ListPage<LoanRow> loans(
      Caller caller,
      String userId,
      String bookId,
      LoanDao.Status status,
      int page,
      int pageSize,
      String pageToken) {
    FieldViolations violations = new FieldViolations();
    Optional<UUID> named = namedMember(userId, violations);
    Optional<UUID> book =
        bookId == null || bookId.isEmpty()
            ? Optional.empty()
            : Optional.ofNullable(Ids.check("book_id", bookId, violations));
    violations.check(status == null, "status", "is not a known loan status");
    Paging.of(page, pageSize, violations); // checked before the member is looked up
    violations.throwIfAny();
    UUID member = member(caller, named);
    // The token is tied to the member it lists, not to how the request named them.
    PageRequest request =
        PageRequest.of(
            pageTokens,
            "ListLoans",
            "user=" + member + " book=" + book.map(UUID::toString).orElse("") + " status=" + status,
            page,
            pageSize,
            pageToken,
            LoanDao.ORDER.size(),
            violations);
    violations.throwIfAny();
    return jdbi.withHandle(h -> new LoanDao(h).page(member, book, status, request));
  }

  /**
   * The member a request acts for (the caller, or the one a librarian names), who must have an
   * account: a loan for nobody would never be returned.
   */
  private UUID member(Caller caller, Optional<UUID> named) {
    UUID member = caller.actingFor(named);
    if (caller.isActingForAnother(member) && members.existing(List.of(member)).isEmpty()) {
      throw new NotFoundException(
          "USER_NOT_FOUND", "user_id names no account", Map.of("user_id", member.toString()));
    }
    return member;
  }

  /** The member a request names in {@code user_id}, if any (acting for them is the caller's rule). */
  private static Optional<UUID> namedMember(String userId, FieldViolations violations) {
    if (userId == null || userId.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(Ids.check("user_id", userId, violations));
  }
}
