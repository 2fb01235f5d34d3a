package dev.library.book;

import static org.awaitility.Awaitility.await;
import static dev.library.runtime.testing.StatusAssertions.code;
import static dev.library.runtime.testing.StatusAssertions.reason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc.BookServiceBlockingStub;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.BorrowBookResponse;
import dev.library.book.v1.CancelHoldRequest;
import dev.library.book.v1.CirculationEvent;
import dev.library.book.v1.CirculationEventType;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.Hold;
import dev.library.book.v1.HoldStatus;
import dev.library.book.v1.ListCirculationEventsRequest;
import dev.library.book.v1.ListHoldsRequest;
import dev.library.book.v1.PlaceHoldRequest;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.book.v1.ReturnBookResponse;
import dev.library.book.v1.UpdateBookRequest;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hold queue through the real service: placement rules, a returned copy kept for the first in
 * line, pickup deadlines (moved into the past in the database rather than waited for), cancelling,
 * copies added by UpdateBook, and the race of returns and borrows with real concurrent clients.
 */
class HoldsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static Library library;
  private static String author;

  @BeforeAll
  static void start() {
    library =
        new Library(
            LibrarySystem.start(
                "auth,author,category,book",
                Map.of(
                    "services.book.settings.maxHolds", "2",
                    "services.book.settings.circulationSweepInterval", "100ms")));
    author = library.author("Queue author");
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  @Test
  void copiesGoToHoldersInQueueOrderNeverTwiceNeverLost() throws Exception {
    int holders = 8;
    Book book = library.book("Everyone wants it", author, 1);
    TestAccounts.User first = library.accounts.member();
    String loan = borrow(library.as(first), book.getId()).getTransactionId();

    List<TestAccounts.User> members = new ArrayList<>();
    for (int i = 0; i < holders; i++) {
      members.add(library.accounts.member());
    }
    // Every member places the same hold twice at once: one of each pair is refused.
    ExecutorService pool = Executors.newFixedThreadPool(holders * 2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> placements = new ArrayList<>();
      for (TestAccounts.User m : members) {
        for (int twice = 0; twice < 2; twice++) {
          placements.add(
              pool.submit(
                  () -> {
                    go.await();
                    return reason(() -> place(library.as(m), book.getId()));
                  }));
        }
      }
      go.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : placements) {
        outcomes.add(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      }
      assertThat(outcomes).filteredOn("OK"::equals).hasSize(holders);
      assertThat(outcomes).filteredOn("HOLD_EXISTS"::equals).hasSize(holders);

      List<Hold> queue = queue(book.getId());
      assertThat(queue).extracting(Hold::getQueuePosition).containsExactlyElementsOf(range(1, holders));
      List<String> order = queue.stream().map(Hold::getUserId).toList();
      assertThat(order).containsExactlyInAnyOrderElementsOf(members.stream().map(TestAccounts.User::id).toList());

      // Round by round, the holder of the copy returns it while every member still waiting
      // tries to borrow it: only the first in line may, and exactly once.
      TestAccounts.User holder = first;
      for (int round = 0; round < holders; round++) {
        TestAccounts.User returner = holder;
        String returning = loan;
        AtomicReference<String> winner = new AtomicReference<>();
        Map<String, String> loans = new ConcurrentHashMap<>();
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tries = new ArrayList<>();
        Instant deadline = Instant.now().plus(PATIENCE);
        for (String waitingId : order.subList(round, holders)) {
          TestAccounts.User m = members.stream().filter(u -> u.id().equals(waitingId)).findFirst().orElseThrow();
          tries.add(
              pool.submit(
                  () -> {
                    start.await();
                    while (winner.get() == null && Instant.now().isBefore(deadline)) {
                      try {
                        String id = borrow(library.as(m), book.getId()).getTransactionId();
                        loans.put(m.id(), id);
                        winner.compareAndSet(null, m.id());
                      } catch (StatusRuntimeException e) {
                        refusals.add(dev.library.runtime.testing.StatusAssertions.errorInfo(e).orElseThrow().getReason());
                      }
                    }
                    return null;
                  }));
        }
        tries.add(
            pool.submit(
                () -> {
                  start.await();
                  ReturnBookResponse back =
                      library.as(returner).returnBook(
                          ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(returning).build());
                  assertThat(back.getAvailableCopies()).isZero();
                  assertThat(back.getReadyHoldId()).isNotEmpty();
                  return null;
                }));
        start.countDown();
        for (Future<?> f : tries) {
          f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(loans).as("round %d: one borrow succeeded", round).hasSize(1);
        assertThat(winner.get()).as("round %d: the first in line got the copy", round).isEqualTo(order.get(round));
        assertThat(refusals).isSubsetOf("COPY_HELD_FOR_ANOTHER_MEMBER", "NO_COPY_AVAILABLE");
        holder = members.stream().filter(m -> m.id().equals(winner.get())).findFirst().orElseThrow();
        loan = loans.get(winner.get());
      }
      // The last holder returns: nobody waits, the copy is back on the shelf.
      library.as(holder).returnBook(ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).build());
      Book after = library.asMember.getBook(GetBookRequest.newBuilder().setId(book.getId()).build()).getBook();
      assertThat(after.getAvailableCopies()).isEqualTo(1);
      assertThat(after.getHeldCopies()).isZero();
      assertThat(queue(book.getId())).isEmpty();
      List<CirculationEvent> events = events(book.getId());
      assertThat(events).filteredOn(e -> e.getType() == CirculationEventType.HOLD_FULFILLED).hasSize(holders);
      assertThat(events).filteredOn(e -> e.getType() == CirculationEventType.HOLD_READY).hasSize(holders);
      assertThat(events).filteredOn(e -> e.getType() == CirculationEventType.LOAN_BORROWED).hasSize(holders + 1);
      assertThat(events).filteredOn(e -> e.getType() == CirculationEventType.LOAN_RETURNED).hasSize(holders + 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void placementRules() {
    Book book = library.book("Rules", author, 1);
    TestAccounts.User reader = library.accounts.member();
    TestAccounts.User waiter = library.accounts.member();
    assertThat(reason(() -> place(library.as(waiter), book.getId()))).isEqualTo("COPY_AVAILABLE");
    borrow(library.as(reader), book.getId());
    assertThat(reason(() -> place(library.as(reader), book.getId()))).isEqualTo("ALREADY_BORROWED");
    Hold hold = place(library.as(waiter), book.getId());
    assertThat(hold.getStatus()).isEqualTo(HoldStatus.WAITING);
    assertThat(hold.getQueuePosition()).isEqualTo(1);
    assertThat(reason(() -> place(library.as(waiter), book.getId()))).isEqualTo("HOLD_EXISTS");
    assertThat(reason(() -> borrow(library.as(waiter), book.getId()))).isEqualTo("NO_COPY_AVAILABLE");

    // maxHolds is 2 in this system.
    Book second = library.book("Rules 2", author, 1);
    Book third = library.book("Rules 3", author, 1);
    borrow(library.as(reader), second.getId());
    borrow(library.as(reader), third.getId());
    place(library.as(waiter), second.getId());
    assertThat(reason(() -> place(library.as(waiter), third.getId()))).isEqualTo("HOLD_LIMIT_REACHED");

    // Someone else's hold: a member may not cancel it; a librarian may, once.
    TestAccounts.User other = library.accounts.member();
    StatusRuntimeException denied =
        dev.library.runtime.testing.StatusAssertions.failure(() -> cancel(library.as(other), hold.getId()));
    assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(cancel(library.asLibrarian, hold.getId()).getStatus()).isEqualTo(HoldStatus.CANCELLED);
    assertThat(reason(() -> cancel(library.as(waiter), hold.getId()))).isEqualTo("HOLD_CLOSED");
    assertThat(code(() -> cancel(library.as(waiter), UUID.randomUUID().toString()))).isEqualTo(Status.Code.NOT_FOUND);

    // A librarian places a hold for a member; the member sees it as their own.
    Hold forMember =
        library.asLibrarian
            .placeHold(PlaceHoldRequest.newBuilder().setBookId(third.getId()).setUserId(waiter.id()).build())
            .getHold();
    assertThat(forMember.getUserId()).isEqualTo(waiter.id());
    List<CirculationEvent> placed = events(third.getId());
    assertThat(placed)
        .filteredOn(e -> e.getType() == CirculationEventType.HOLD_PLACED)
        .singleElement()
        .satisfies(e -> assertThat(e.getActorId()).isEqualTo(library.librarian.id()));
  }

  @Test
  void aReadyHoldNotPickedUpExpiresAndTheCopyPassesOnThenToTheShelf() throws Exception {
    Book book = library.book("Slow pickup", author, 1);
    TestAccounts.User reader = library.accounts.member();
    TestAccounts.User late = library.accounts.member();
    TestAccounts.User next = library.accounts.member();
    String loan = borrow(library.as(reader), book.getId()).getTransactionId();
    Hold lateHold = place(library.as(late), book.getId());
    Hold nextHold = place(library.as(next), book.getId());
    library.as(reader).returnBook(ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).build());

    Hold ready = hold(library.as(late), lateHold.getId());
    assertThat(ready.getStatus()).isEqualTo(HoldStatus.READY);
    assertThat(Duration.between(instant(ready.getReadyAt()), instant(ready.getPickupDeadline())))
        .isEqualTo(Duration.ofDays(3));
    assertThat(reason(() -> borrow(library.as(next), book.getId()))).isEqualTo("COPY_HELD_FOR_ANOTHER_MEMBER");
    Book held = library.asMember.getBook(GetBookRequest.newBuilder().setId(book.getId()).build()).getBook();
    assertThat(held.getAvailableCopies()).isZero();
    assertThat(held.getHeldCopies()).isEqualTo(1);

    pickupDeadlinePassed(lateHold.getId());
    awaitStatus("the late member's hold", () -> hold(library.as(late), lateHold.getId()), HoldStatus.EXPIRED);
    awaitStatus("the next member's hold", () -> hold(library.as(next), nextHold.getId()), HoldStatus.READY);
    assertThat(reason(() -> borrow(library.as(late), book.getId()))).isEqualTo("COPY_HELD_FOR_ANOTHER_MEMBER");

    pickupDeadlinePassed(nextHold.getId());
    awaitStatus("the next member's hold", () -> hold(library.as(next), nextHold.getId()), HoldStatus.EXPIRED);
    Book shelved = library.asMember.getBook(GetBookRequest.newBuilder().setId(book.getId()).build()).getBook();
    assertThat(shelved.getAvailableCopies()).isEqualTo(1);
    assertThat(shelved.getHeldCopies()).isZero();
    assertThat(events(book.getId()))
        .filteredOn(e -> e.getType() == CirculationEventType.HOLD_EXPIRED)
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.getActorId()).isEmpty());
  }

  @Test
  void cancellingAReadyHoldPassesTheCopyOn() {
    Book book = library.book("Changed my mind", author, 1);
    TestAccounts.User reader = library.accounts.member();
    TestAccounts.User quitter = library.accounts.member();
    TestAccounts.User next = library.accounts.member();
    String loan = borrow(library.as(reader), book.getId()).getTransactionId();
    Hold quitterHold = place(library.as(quitter), book.getId());
    Hold nextHold = place(library.as(next), book.getId());
    assertThat(hold(library.as(next), nextHold.getId()).getQueuePosition()).isEqualTo(2);
    library.as(reader).returnBook(ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).build());
    assertThat(hold(library.as(next), nextHold.getId()).getQueuePosition()).isEqualTo(1);

    cancel(library.as(quitter), quitterHold.getId());
    Hold ready = hold(library.as(next), nextHold.getId());
    assertThat(ready.getStatus()).isEqualTo(HoldStatus.READY);
    assertThat(ready.getQueuePosition()).isZero();
    BorrowBookResponse picked = borrow(library.as(next), book.getId());
    assertThat(picked.getFulfilledHoldId()).isEqualTo(nextHold.getId());
    assertThat(hold(library.as(next), nextHold.getId()).getStatus()).isEqualTo(HoldStatus.FULFILLED);
  }

  @Test
  void copiesAddedByUpdateBookGoToTheQueueFirst() {
    Book book = library.book("Reprinted", author, 1);
    TestAccounts.User reader = library.accounts.member();
    TestAccounts.User waiter = library.accounts.member();
    borrow(library.as(reader), book.getId());
    Hold hold = place(library.as(waiter), book.getId());
    Book updated =
        library.asLibrarian
            .updateBook(
                UpdateBookRequest.newBuilder()
                    .setId(book.getId())
                    .setTitle(book.getTitle())
                    .setAuthorId(author)
                    .setIsbn(book.getIsbn())
                    .setTotalCopies(3)
                    .build())
            .getBook();
    assertThat(updated.getHeldCopies()).isEqualTo(1);
    assertThat(updated.getAvailableCopies()).isEqualTo(1);
    assertThat(hold(library.as(waiter), hold.getId()).getStatus()).isEqualTo(HoldStatus.READY);
    assertThat(
            reason(
                () ->
                    library.asLibrarian.updateBook(
                        UpdateBookRequest.newBuilder()
                            .setId(book.getId())
                            .setTitle(book.getTitle())
                            .setAuthorId(author)
                            .setIsbn(book.getIsbn())
                            .setTotalCopies(1)
                            .build())))
        .as("one copy on loan and one kept for the ready hold")
        .isEqualTo("COPIES_ON_LOAN");
  }

  @Test
  void aLibrarianSeesABooksQueueAndAMemberOnlyTheirOwn() {
    Book book = library.book("Popular", author, 1);
    TestAccounts.User reader = library.accounts.member();
    TestAccounts.User a = library.accounts.member();
    TestAccounts.User b = library.accounts.member();
    borrow(library.as(reader), book.getId());
    place(library.as(a), book.getId());
    place(library.as(b), book.getId());
    assertThat(queue(book.getId())).extracting(Hold::getUserId).containsExactly(a.id(), b.id());
    assertThat(
            library.as(b).listHolds(ListHoldsRequest.newBuilder().setBookId(book.getId()).build()).getHoldsList())
        .extracting(Hold::getUserId)
        .containsExactly(b.id());
    assertThat(
            code(() -> library.as(b).listHolds(ListHoldsRequest.newBuilder().setUserId(a.id()).build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            library.as(a).listCirculationEvents(ListCirculationEventsRequest.getDefaultInstance()).getEventsList())
        .extracting(CirculationEvent::getUserId)
        .containsOnly(a.id());
  }

  private static BorrowBookResponse borrow(BookServiceBlockingStub stub, String bookId) {
    return stub.borrowBook(BorrowBookRequest.newBuilder().setId(bookId).build());
  }

  private static Hold place(BookServiceBlockingStub stub, String bookId) {
    return stub.placeHold(PlaceHoldRequest.newBuilder().setBookId(bookId).build()).getHold();
  }

  private static Hold cancel(BookServiceBlockingStub stub, String holdId) {
    return stub.cancelHold(CancelHoldRequest.newBuilder().setHoldId(holdId).build()).getHold();
  }

  private static Hold hold(BookServiceBlockingStub stub, String holdId) {
    return stub.listHolds(ListHoldsRequest.newBuilder().setIncludeClosed(true).setPageSize(100).build())
        .getHoldsList()
        .stream()
        .filter(h -> h.getId().equals(holdId))
        .findFirst()
        .orElseThrow();
  }

  private static List<Hold> queue(String bookId) {
    return library.asLibrarian
        .listHolds(ListHoldsRequest.newBuilder().setBookId(bookId).setPageSize(100).build())
        .getHoldsList();
  }

  private static List<CirculationEvent> events(String bookId) {
    return library.asLibrarian
        .listCirculationEvents(ListCirculationEventsRequest.newBuilder().setBookId(bookId).setPageSize(100).build())
        .getEventsList();
  }

  /** Time travel for one hold: its pickup deadline is moved into the past, as if days went by. */
  private static void pickupDeadlinePassed(String holdId) throws Exception {
    try (Connection db = library.system.connect("book");
        PreparedStatement update =
            db.prepareStatement(
                "UPDATE holds SET pickup_deadline = now() - interval '1 minute' WHERE id = ?::uuid AND status = 'READY'")) {
      update.setString(1, holdId);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  /** Expiry is the background sweeper's work: the hold gets there, not at once. */
  private static void awaitStatus(String whose, Supplier<Hold> hold, HoldStatus status) {
    await().atMost(PATIENCE).alias(whose + " " + status)
        .until(() -> hold.get().getStatus(), status::equals);
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}
