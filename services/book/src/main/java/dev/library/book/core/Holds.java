package dev.library.book.core;

import dev.library.book.db.BookDao;
import dev.library.book.db.BookRow;
import dev.library.book.db.EventDao;
import dev.library.book.db.EventType;
import dev.library.book.db.HoldDao;
import dev.library.book.db.HoldRow;
import dev.library.book.db.HoldStatus;
import dev.library.book.db.LoanDao;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.api.Paging;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.Ids;
import dev.library.runtime.errors.NotAllowedException;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.security.Caller;
import dev.library.runtime.security.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Members queueing for books. Placing a hold serialises the member's placements (for the
 * holds-per-member rule) and share-locks the book row (against the copy counts changing under the
 * checks); cancelling a READY hold passes its copy on under the row's exclusive lock.
 */
public final class Holds {
  private final Jdbi jdbi;
  private final Members members;
  private final CirculationRules rules;
  private final HoldQueue queue;
  private final Clock clock;
  private final PageTokens pageTokens;

  public Holds(
      Jdbi jdbi,
      Members members,
      CirculationRules rules,
      HoldQueue queue,
      Clock clock,
      PageTokens pageTokens) {
    this.jdbi = jdbi;
    this.members = members;
    this.rules = rules;
    this.queue = queue;
    this.clock = clock;
    this.pageTokens = pageTokens;
  }

  public HoldRow place(Caller caller, String bookId, String userId, boolean validateOnly) {
    FieldViolations violations = new FieldViolations();
    UUID book = Ids.check("book_id", bookId, violations);
    Optional<UUID> named = ActingMember.named(userId, violations);
    violations.throwIfAny();
    UUID member = ActingMember.resolve(caller, named, members);
    UUID actor = ActingMember.actor(caller, member);
    Instant now = now();
    UUID holdId = UUID.randomUUID();
    return DryRun.inTransaction(
        jdbi,
        validateOnly,
        h -> {
          HoldDao holds = new HoldDao(h);
          BookDao books = new BookDao(h);
          holds.lockMember(member);
          // A share lock: placements of one book run side by side (the queue order is the
          // identity taken at insert), while returns, borrows and updates, which take the row
          // exclusively, wait for them, so a copy freed now either sees this hold or is on the
          // shelf before the check below.
          books.lockShared(book);
          BookRow row = books.find(book).orElseThrow(Catalog::notFound);
          if (new LoanDao(h).hasActive(book, member)) {
            throw Refusal.ALREADY_BORROWED.because(
                "the member already holds an active loan of this book", Map.of("book_id", book.toString()));
          }
          Optional<HoldRow> open = holds.openOf(book, member);
          if (open.isPresent()) {
            throw Refusal.HOLD_EXISTS.because(
                "the member already has an open hold on this book",
                Map.of("hold_id", open.get().id().toString()));
          }
          if (row.availableCopies() > 0) {
            throw Refusal.COPY_AVAILABLE.because(
                "a copy is on the shelf: borrow it instead", Map.of("book_id", book.toString()));
          }
          if (holds.openCountOf(member) >= rules.maxHolds()) {
            throw Refusal.HOLD_LIMIT_REACHED.because(
                "the member already has the maximum of " + rules.maxHolds() + " open holds",
                Map.of("max_holds", Integer.toString(rules.maxHolds())));
          }
          holds.insert(holdId, book, member, now);
          new EventDao(h).record(EventType.HOLD_PLACED, now, member, book, null, holdId, actor);
          return holds.find(holdId).orElseThrow();
        });
  }

  public HoldRow cancel(Caller caller, String holdId) {
    UUID id = Ids.parse("hold_id", holdId);
    UUID self = caller.requireUser();
    boolean librarian = caller.hasRole(Role.LIBRARIAN);
    Instant now = now();
    return jdbi.inTransaction(
        h -> {
          HoldDao holds = new HoldDao(h);
          HoldRow hold = holds.find(id).orElseThrow(Holds::notFound);
          if (!hold.userId().equals(self) && !librarian) {
            throw new NotAllowedException("HOLD_OF_ANOTHER_MEMBER", "this hold belongs to another member");
          }
          new BookDao(h).findForUpdate(hold.bookId()).orElseThrow(Holds::notFound);
          // Read again under the book's lock: a return or the sweep may have moved it on.
          HoldStatus status = holds.find(id).orElseThrow(Holds::notFound).status();
          if (status != HoldStatus.WAITING && status != HoldStatus.READY) {
            throw Refusal.HOLD_CLOSED.because(
                "the hold is " + status.name().toLowerCase(java.util.Locale.ROOT),
                Map.of("status", status.name()));
          }
          holds.close(id, status, HoldStatus.CANCELLED, now).orElseThrow();
          new EventDao(h)
              .record(
                  EventType.HOLD_CANCELLED, now, hold.userId(), hold.bookId(), null, id,
                  ActingMember.actor(caller, hold.userId()));
          if (status == HoldStatus.READY) {
            queue.release(h, hold.bookId(), 1, 1, now);
          }
          return holds.find(id).orElseThrow();
        });
  }

  /**
   * The caller's holds; a librarian's naming any member, or a book's queue ({@code book_id}
   * alone).
   */
  public ListPage<HoldRow> list(
      Caller caller,
      String userId,
      String bookId,
      boolean includeClosed,
      int page,
      int pageSize,
      String pageToken) {
    FieldViolations violations = new FieldViolations();
    Optional<UUID> named = ActingMember.named(userId, violations);
    Optional<UUID> book =
        bookId == null || bookId.isEmpty()
            ? Optional.empty()
            : Optional.ofNullable(Ids.check("book_id", bookId, violations));
    Paging.of(page, pageSize, violations); // checked before the member is looked up
    violations.throwIfAny();
    boolean bookQueue = named.isEmpty() && book.isPresent() && caller.hasRole(Role.LIBRARIAN);
    Optional<UUID> member =
        bookQueue ? Optional.empty() : Optional.of(ActingMember.resolve(caller, named, members));
    HoldDao.Filter filter = new HoldDao.Filter(member, book, includeClosed);
    // The token is tied to the member (or queue) it lists, not to how the request named them.
    PageRequest request =
        PageRequest.of(
            pageTokens,
            "ListHolds",
            filter.canonical(),
            page,
            pageSize,
            pageToken,
            filter.order().size(),
            violations);
    violations.throwIfAny();
    return jdbi.withHandle(h -> new HoldDao(h).page(filter, request));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static NotFoundException notFound() {
    return new NotFoundException("HOLD_NOT_FOUND", "hold not found");
  }
}
