package dev.library.book.core;

import dev.library.book.db.BookDao;
import dev.library.book.db.BookRow;
import dev.library.book.db.EventDao;
import dev.library.book.db.EventType;
import dev.library.book.db.HoldDao;
import dev.library.book.db.HoldRow;
import dev.library.book.db.HoldStatus;
import dev.library.book.db.LoanDao;
import dev.library.book.db.LoanRow;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.api.Paging;
import dev.library.runtime.db.SqlErrors;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.Ids;
import dev.library.runtime.errors.NotAllowedException;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.security.Caller;
import dev.library.runtime.security.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Lending, taking back and renewing copies. A borrow is one transaction: the member's loans are
 * serialised (for the maximum-loans rule), the book row is locked, the copy comes from the
 * member's READY hold or from the shelf, and the loan row is inserted; any failure rolls all of it
 * back. A return closes the loan with one conditional update, so a copy comes back exactly once,
 * and hands the copy to the book's hold queue under the book's lock. A renewal is one conditional
 * update of the loan. Lock order everywhere: member (advisory), loan, book, holds.
 */
public final class Circulation {
  private final Jdbi jdbi;
  private final Members members;
  private final CirculationRules rules;
  private final HoldQueue queue;
  private final Clock clock;
  private final PageTokens pageTokens;

  public Circulation(
      Jdbi jdbi,
      Members members,
      CirculationRules rules,
      HoldQueue queue,
      Clock clock,
      PageTokens pageTokens) {
    this.jdbi = jdbi;
    this.pageTokens = pageTokens;
    this.members = members;
    this.rules = rules;
    this.queue = queue;
    this.clock = clock;
  }

  /**
   * A new loan and the copies left on the shelf; {@code fulfilledHold} is the member's hold it
   * fulfilled, if any.
   */
  public record Borrowed(
      UUID loanId, UUID bookId, UUID userId, Instant dueAt, int availableCopies, Optional<UUID> fulfilledHold) {}

  /** A closed loan, the copies now on the shelf, and the hold the copy went to instead, if any. */
  public record Returned(
      UUID loanId, UUID bookId, Instant returnedAt, int availableCopies, Optional<UUID> readyHold) {}

  public Borrowed borrow(Caller caller, String bookId, String userId, boolean validateOnly) {
    FieldViolations violations = new FieldViolations();
    UUID book = Ids.check("id", bookId, violations);
    Optional<UUID> named = ActingMember.named(userId, violations);
    violations.throwIfAny();
    UUID member = ActingMember.resolve(caller, named, members);
    UUID actor = ActingMember.actor(caller, member);
    Instant now = now();
    Instant due = now.plus(rules.loanPeriod());
    UUID loanId = UUID.randomUUID();
    try {
      return DryRun.inTransaction(
          jdbi,
          validateOnly,
          h -> {
            LoanDao loans = new LoanDao(h);
            BookDao books = new BookDao(h);
            HoldDao holds = new HoldDao(h);
            loans.lockMember(member);
            LoanDao.BorrowerView view =
                loans.borrowerView(book, member, now.minus(rules.overdueGrace())).orElseThrow(Catalog::notFound);
            BookRow seen = view.book();
            if (rules.overdueBlock() && view.loans().dueBefore()) {
              throw overdueBlock(member);
            }
            if (view.loans().ofBook()) {
              throw alreadyBorrowed(book);
            }
            if (view.loans().count() >= rules.maxActiveLoans()) {
              throw Refusal.LOAN_LIMIT_REACHED.because(
                  "the member already holds the maximum of " + rules.maxActiveLoans() + " active loans",
                  Map.of("max_active_loans", Integer.toString(rules.maxActiveLoans())));
            }
            // Refused without queueing for the book's lock when the committed state already
            // says no copy is there for this member (the answer is true as of that state), so a
            // crowd at an empty shelf does not hold connections waiting on one row.
            if (seen.availableCopies() == 0
                && !isReady(holds.openOf(book, member))
                && !holds.hasReadyDue(book, now)) {
              throw noCopy(book, seen);
            }
            BookRow row = books.findForUpdate(book).orElseThrow(Catalog::notFound);
            if (queue.expireDue(h, book, now) > 0) {
              row = books.find(book).orElseThrow(); // the expired holds' copies moved on
            }
            Optional<HoldRow> hold = holds.openOf(book, member);
            int available;
            if (isReady(hold)) {
              available = books.moveCopies(book, 0, -1);
              books.countBorrow(book);
            } else if (row.availableCopies() > 0) {
              available = books.takeCopy(book).orElseThrow();
            } else {
              throw noCopy(book, row);
            }
            loans.insert(loanId, book, member, due, now, actor);
            if (hold.isPresent()) {
              holds.close(hold.get().id(), hold.get().status(), HoldStatus.FULFILLED, now).orElseThrow();
              new EventDao(h).record(EventType.HOLD_FULFILLED, now, member, book, loanId, hold.get().id(), actor);
            }
            return new Borrowed(loanId, book, member, due, available, hold.map(HoldRow::id));
          });
    } catch (RuntimeException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw alreadyBorrowed(book);
      }
      throw e;
    }
  }

  public Returned giveBack(Caller caller, String bookId, String transactionId, String userId) {
    FieldViolations violations = new FieldViolations();
    UUID book = Ids.check("id", bookId, violations);
    UUID loanId = Ids.check("transaction_id", transactionId, violations);
    Optional<UUID> named = ActingMember.named(userId, violations);
    violations.throwIfAny();
    UUID member = ActingMember.resolve(caller, named, members);
    UUID actor = ActingMember.actor(caller, member);
    boolean librarian = caller.hasRole(Role.LIBRARIAN);
    Instant now = now();
    return jdbi.inTransaction(
        h -> {
          LoanDao loans = new LoanDao(h);
          BookDao books = new BookDao(h);
          LoanDao.ReturnView view = loans.returnView(book, loanId);
          if (!view.bookExists()) {
            throw Catalog.notFound();
          }
          LoanRow loan = view.loan().orElseThrow(Circulation::loanNotFound);
          if (!loan.bookId().equals(book)) {
            throw Refusal.LOAN_OF_ANOTHER_BOOK.because(
                "this loan is of another book", Map.of("transaction_id", loanId.toString()));
          }
          if (!loan.userId().equals(member)) {
            if (!librarian) {
              throw new NotAllowedException(
                  Refusal.LOAN_OF_ANOTHER_MEMBER.name(), "this loan belongs to another member");
            }
            throw Refusal.LOAN_OF_ANOTHER_MEMBER.because("this loan does not belong to user_id");
          }
          LoanRow closed = loans.close(loanId, book, now, actor).orElseThrow(() -> alreadyReturned(loanId));
          BookRow locked = books.findForUpdate(book).orElseThrow(Catalog::notFound);
          List<HoldRow> ready = queue.release(h, book, 1, 0, now);
          // Nothing else moves the locked book's copies: the one returned is on the shelf
          // unless a waiting hold took it.
          int available = locked.availableCopies() + 1 - ready.size();
          return new Returned(
              loanId, book, closed.returnedAt(), available, ready.stream().findFirst().map(HoldRow::id));
        });
  }

  /**
   * Renews an active loan. Checks run in the order book.proto lists them; the loan's conditional
   * update comes before the book's lock (the lock order of a return), and the waiting-holds check
   * under that lock sees any hold placed before it, while a hold placed after waits for it.
   */
  public LoanRow renew(Caller caller, String transactionId, boolean validateOnly) {
    UUID loanId = Ids.parse("transaction_id", transactionId);
    UUID self = caller.requireUser();
    boolean librarian = caller.hasRole(Role.LIBRARIAN);
    Instant now = now();
    return DryRun.inTransaction(
        jdbi,
        validateOnly,
        h -> {
          LoanDao loans = new LoanDao(h);
          LoanRow loan = loans.find(loanId).orElseThrow(Circulation::loanNotFound);
          if (!loan.userId().equals(self) && !librarian) {
            throw new NotAllowedException(
                Refusal.LOAN_OF_ANOTHER_MEMBER.name(), "this loan belongs to another member");
          }
          if (loan.returnedAt() != null) {
            throw alreadyReturned(loanId);
          }
          checkNotBlocked(loans, loan.userId(), now);
          if (loan.dueAt().plus(rules.renewalOverdueLimit()).isBefore(now)) {
            throw Refusal.LOAN_OVERDUE.because(
                "the loan is overdue by more than renewals allow; it must be returned",
                Map.of("due_at", loan.dueAt().toString()));
          }
          if (loan.renewalsUsed() >= rules.maxRenewals()) {
            throw renewalLimit();
          }
          Instant newDue = now.plus(rules.loanPeriod());
          if (newDue.isBefore(loan.dueAt())) {
            newDue = loan.dueAt();
          }
          Optional<LoanRow> renewed = loans.renew(loanId, newDue, rules.maxRenewals());
          if (renewed.isEmpty()) {
            // A return or another renewal committed since the read above.
            LoanRow current = loans.find(loanId).orElseThrow(Circulation::loanNotFound);
            throw current.returnedAt() != null ? alreadyReturned(loanId) : renewalLimit();
          }
          new BookDao(h).lockShared(loan.bookId());
          int waiting = new HoldDao(h).waitingCountFor(loan.bookId());
          if (waiting > 0) {
            throw Refusal.HOLDS_WAITING.because(
                "other members are waiting for this book",
                Map.of("holds_waiting", Integer.toString(waiting)));
          }
          new EventDao(h)
              .record(
                  EventType.LOAN_RENEWED, now, loan.userId(), loan.bookId(), loanId, null,
                  ActingMember.actor(caller, loan.userId()));
          return renewed.get();
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
    Optional<UUID> named = ActingMember.named(userId, violations);
    Optional<UUID> book =
        bookId == null || bookId.isEmpty()
            ? Optional.empty()
            : Optional.ofNullable(Ids.check("book_id", bookId, violations));
    violations.check(status == null, "status", "is not a known loan status");
    Paging.of(page, pageSize, violations); // checked before the member is looked up
    violations.throwIfAny();
    UUID member = ActingMember.resolve(caller, named, members);
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

  private static boolean isReady(Optional<HoldRow> hold) {
    return hold.isPresent() && hold.get().status() == HoldStatus.READY;
  }

  private static RuntimeException noCopy(UUID book, BookRow row) {
    if (row.heldCopies() > 0) {
      return Refusal.COPY_HELD_FOR_ANOTHER_MEMBER.because(
          "every copy not on loan is kept for another member's hold", Map.of("book_id", book.toString()));
    }
    return Refusal.NO_COPY_AVAILABLE.because(
        "no copy of this book is available", Map.of("book_id", book.toString()));
  }

  /** The overdue block: a member with a loan overdue beyond the grace may not borrow or renew. */
  private void checkNotBlocked(LoanDao loans, UUID member, Instant now) {
    if (rules.overdueBlock() && loans.hasActiveDueBefore(member, now.minus(rules.overdueGrace()))) {
      throw overdueBlock(member);
    }
  }

  private RuntimeException overdueBlock(UUID member) {
    return Refusal.MEMBER_HAS_OVERDUE_LOANS.because(
        "the member has a loan overdue by more than " + rules.overdueGrace() + "; it must be returned first",
        Map.of("user_id", member.toString()));
  }

  /** PostgreSQL keeps microseconds: decide with times exactly as they will be stored. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static NotFoundException loanNotFound() {
    return new NotFoundException("LOAN_NOT_FOUND", "loan not found");
  }

  private static RuntimeException alreadyBorrowed(UUID book) {
    return Refusal.ALREADY_BORROWED.because(
        "the member already holds an active loan of this book", Map.of("book_id", book.toString()));
  }

  private static RuntimeException alreadyReturned(UUID loanId) {
    return Refusal.LOAN_ALREADY_RETURNED.because(
        "this loan was already returned", Map.of("transaction_id", loanId.toString()));
  }

  private RuntimeException renewalLimit() {
    return Refusal.RENEWAL_LIMIT_REACHED.because(
        "the loan was renewed the maximum of " + rules.maxRenewals() + " times",
        Map.of("max_renewals", Integer.toString(rules.maxRenewals())));
  }
}
