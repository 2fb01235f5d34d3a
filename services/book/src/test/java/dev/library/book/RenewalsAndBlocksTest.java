package dev.library.book;

import static org.awaitility.Awaitility.await;
import static dev.library.runtime.testing.StatusAssertions.code;
import static dev.library.runtime.testing.StatusAssertions.reason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc.BookServiceBlockingStub;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.BorrowBookResponse;
import dev.library.book.v1.CirculationEvent;
import dev.library.book.v1.CirculationEventType;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.ListCirculationEventsRequest;
import dev.library.book.v1.ListHoldsRequest;
import dev.library.book.v1.ListLoansRequest;
import dev.library.book.v1.Loan;
import dev.library.book.v1.PlaceHoldRequest;
import dev.library.book.v1.PlaceHoldResponse;
import dev.library.book.v1.RenewLoanRequest;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renewals, the overdue blocks, {@code validate_only} and the history's retention, with the
 * default rules (2 renewals, a 7-day grace before the block, renewals up to 3 days overdue).
 * Time passes by moving due dates and event times into the past in the database, not by waiting.
 */
class RenewalsAndBlocksTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static Library library;
  private static String author;

  @BeforeAll
  static void start() {
    library =
        new Library(
            LibrarySystem.start(
                "auth,author,category,book",
                Map.of("services.book.settings.circulationSweepInterval", "100ms")));
    author = library.author("Renewal author");
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  @Test
  void aLoanRenewsUpToTheLimitFromTheTimeOfRenewal() {
    Book book = library.book("Renew me", author, 2);
    TestAccounts.User reader = library.accounts.member();
    BorrowBookResponse loan = borrow(library.as(reader), book.getId());
    Instant firstDue = instant(loan.getDueAt());

    Instant before = Instant.now();
    Loan once = renew(library.as(reader), loan.getTransactionId(), false);
    assertThat(once.getRenewalsUsed()).isEqualTo(1);
    assertThat(instant(once.getDueAt()))
        .isAfterOrEqualTo(firstDue)
        .isAfterOrEqualTo(before.plus(Duration.ofDays(14)).minusSeconds(1));
    assertThat(renew(library.asLibrarian, loan.getTransactionId(), false).getRenewalsUsed()).isEqualTo(2);
    assertThat(reason(() -> renew(library.as(reader), loan.getTransactionId(), false)))
        .isEqualTo("RENEWAL_LIMIT_REACHED");

    assertThat(loans(reader)).singleElement().satisfies(l -> assertThat(l.getRenewalsUsed()).isEqualTo(2));
    assertThat(code(() -> renew(library.as(library.accounts.member()), loan.getTransactionId(), false)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    library.as(reader).returnBook(
        ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan.getTransactionId()).build());
    assertThat(reason(() -> renew(library.as(reader), loan.getTransactionId(), false)))
        .isEqualTo("LOAN_ALREADY_RETURNED");
    assertThat(events(reader)).extracting(CirculationEvent::getType)
        .containsExactly(
            CirculationEventType.LOAN_RETURNED,
            CirculationEventType.LOAN_RENEWED,
            CirculationEventType.LOAN_RENEWED,
            CirculationEventType.LOAN_BORROWED);
    assertThat(events(reader).get(1).getActorId()).as("the librarian's renewal").isEqualTo(library.librarian.id());
  }

  @Test
  void concurrentRenewalsNeverExceedTheLimit() throws Exception {
    Book book = library.book("Renew at once", author, 1);
    TestAccounts.User reader = library.accounts.member();
    String loan = borrow(library.as(reader), book.getId()).getTransactionId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> tries = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        tries.add(
            pool.submit(
                () -> {
                  go.await();
                  return reason(() -> renew(library.as(reader), loan, false));
                }));
      }
      go.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : tries) {
        outcomes.add(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      }
      assertThat(outcomes).filteredOn("OK"::equals).hasSize(2);
      assertThat(outcomes).filteredOn("RENEWAL_LIMIT_REACHED"::equals).hasSize(6);
      assertThat(loans(reader)).singleElement().satisfies(l -> assertThat(l.getRenewalsUsed()).isEqualTo(2));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRenewalIsRefusedWhileOthersWaitForTheBook() {
    Book book = library.book("Wanted", author, 1);
    TestAccounts.User reader = library.accounts.member();
    String loan = borrow(library.as(reader), book.getId()).getTransactionId();
    library.as(library.accounts.member()).placeHold(PlaceHoldRequest.newBuilder().setBookId(book.getId()).build());
    assertThat(reason(() -> renew(library.as(reader), loan, false))).isEqualTo("HOLDS_WAITING");
    assertThat(reason(() -> renew(library.as(reader), loan, true))).isEqualTo("HOLDS_WAITING");
  }

  @Test
  void overdueLoansBlockRenewalThenTheMember() throws Exception {
    Book book = library.book("Kept too long", author, 2);
    Book other = library.book("Wanted next", author, 2);
    TestAccounts.User reader = library.accounts.member();
    String loan = borrow(library.as(reader), book.getId()).getTransactionId();

    dueDaysAgo(loan, 5);
    assertThat(loans(reader)).singleElement().satisfies(l -> assertThat(l.getOverdue()).isTrue());
    assertThat(reason(() -> renew(library.as(reader), loan, false)))
        .as("overdue beyond the 3-day renewal limit")
        .isEqualTo("LOAN_OVERDUE");
    assertThat(reason(() -> borrow(library.as(reader), other.getId())))
        .as("within the 7-day grace the member may still borrow")
        .isEqualTo("OK");

    dueDaysAgo(loan, 8);
    assertThat(reason(() -> borrow(library.as(reader), book.getId()))).isEqualTo("MEMBER_HAS_OVERDUE_LOANS");
    assertThat(reason(() -> renew(library.as(reader), loan, false))).isEqualTo("MEMBER_HAS_OVERDUE_LOANS");
    assertThat(reason(() -> borrow(library.as(reader), book.getId(), true)))
        .as("validate_only answers what the real call would")
        .isEqualTo("MEMBER_HAS_OVERDUE_LOANS");
    assertThat(
            reason(
                () ->
                    library.asLibrarian.borrowBook(
                        BorrowBookRequest.newBuilder().setId(book.getId()).setUserId(reader.id()).build())))
        .as("a librarian acting for the member meets the same block")
        .isEqualTo("MEMBER_HAS_OVERDUE_LOANS");

    library.as(reader).returnBook(ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).build());
    assertThat(reason(() -> borrow(library.as(reader), book.getId()))).isEqualTo("OK");
  }

  @Test
  void validateOnlyRunsEveryCheckAndChangesNothing() {
    Book book = library.book("Just asking", author, 1);
    TestAccounts.User reader = library.accounts.member();
    TestAccounts.User asker = library.accounts.member();

    BorrowBookResponse dry = borrow(library.as(reader), book.getId(), true);
    assertThat(dry.getTransactionId()).isEmpty();
    assertThat(dry.getAvailableCopies()).isZero();
    assertThat(copies(book)).isEqualTo(1);
    assertThat(loans(reader)).isEmpty();
    assertThat(events(reader)).isEmpty();

    String loan = borrow(library.as(reader), book.getId()).getTransactionId();
    assertThat(reason(() -> borrow(library.as(asker), book.getId(), true))).isEqualTo("NO_COPY_AVAILABLE");
    assertThat(reason(() -> borrow(library.as(reader), book.getId(), true))).isEqualTo("ALREADY_BORROWED");

    Loan before = loans(reader).get(0);
    Loan renewedDry = renew(library.as(reader), loan, true);
    assertThat(renewedDry.getRenewalsUsed()).isEqualTo(1);
    Loan after = loans(reader).get(0);
    assertThat(after.getRenewalsUsed()).isZero();
    assertThat(after.getDueAt()).isEqualTo(before.getDueAt());

    PlaceHoldResponse dryHold =
        library.as(asker).placeHold(
            PlaceHoldRequest.newBuilder().setBookId(book.getId()).setValidateOnly(true).build());
    assertThat(dryHold.getHold().getId()).isEmpty();
    assertThat(library.as(asker).listHolds(ListHoldsRequest.getDefaultInstance()).getTotal()).isZero();
    assertThat(events(asker)).isEmpty();
    library.as(asker).placeHold(PlaceHoldRequest.newBuilder().setBookId(book.getId()).build());
    assertThat(
            reason(
                () ->
                    library.as(asker).placeHold(
                        PlaceHoldRequest.newBuilder().setBookId(book.getId()).setValidateOnly(true).build())))
        .isEqualTo("HOLD_EXISTS");
    assertThat(reason(() -> renew(library.as(reader), loan, true))).isEqualTo("HOLDS_WAITING");
    assertThat(events(reader)).hasSize(1);
  }

  @Test
  void historyOlderThanTheRetentionForgetsItsMember() throws Exception {
    Book book = library.book("Long ago", author, 1);
    TestAccounts.User reader = library.accounts.member();
    String loan = borrow(library.as(reader), book.getId()).getTransactionId();
    library.as(reader).returnBook(ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).build());
    assertThat(events(reader)).hasSize(2);

    try (Connection db = library.system.connect("book")) {
      try (Statement plain = db.createStatement()) {
        // The events table refuses every change but anonymization; this session may rewrite
        // history (as if the borrow happened 400 days ago) because it bypasses triggers.
        plain.execute("SET session_replication_role = replica");
      }
      try (PreparedStatement old =
          db.prepareStatement(
              "UPDATE circulation_events SET occurred_at = now() - interval '400 days' "
                  + "WHERE user_id = ?::uuid AND type = 'LOAN_BORROWED'")) {
        old.setString(1, reader.id());
        assertThat(old.executeUpdate()).isEqualTo(1);
      }
    }
    await().atMost(PATIENCE)
        .alias("the retention sweep to leave the reader one event")
        .until(() -> events(reader), e -> e.size() == 1);
    List<CirculationEvent> ofBook =
        library.asLibrarian
            .listCirculationEvents(ListCirculationEventsRequest.newBuilder().setBookId(book.getId()).build())
            .getEventsList();
    assertThat(ofBook).hasSize(2);
    assertThat(ofBook.get(1).getType()).isEqualTo(CirculationEventType.LOAN_BORROWED);
    assertThat(ofBook.get(1).getUserId()).as("anonymized").isEmpty();
    assertThat(ofBook.get(0).getUserId()).isEqualTo(reader.id());

    try (Connection db = library.system.connect("book");
        Statement plain = db.createStatement()) {
      assertThat(code(() -> {
            try {
              plain.execute("DELETE FROM circulation_events");
            } catch (java.sql.SQLException e) {
              throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
            }
          }))
          .as("the history is append-only")
          .isEqualTo(Status.Code.FAILED_PRECONDITION);
    }
  }

  private static BorrowBookResponse borrow(BookServiceBlockingStub stub, String bookId) {
    return borrow(stub, bookId, false);
  }

  private static BorrowBookResponse borrow(BookServiceBlockingStub stub, String bookId, boolean validateOnly) {
    return stub.borrowBook(BorrowBookRequest.newBuilder().setId(bookId).setValidateOnly(validateOnly).build());
  }

  private static Loan renew(BookServiceBlockingStub stub, String loanId, boolean validateOnly) {
    return stub.renewLoan(
            RenewLoanRequest.newBuilder().setTransactionId(loanId).setValidateOnly(validateOnly).build())
        .getLoan();
  }

  private static List<Loan> loans(TestAccounts.User user) {
    return library.as(user).listLoans(ListLoansRequest.getDefaultInstance()).getLoansList();
  }

  private static List<CirculationEvent> events(TestAccounts.User user) {
    return library.as(user)
        .listCirculationEvents(ListCirculationEventsRequest.getDefaultInstance())
        .getEventsList();
  }

  private static int copies(Book book) {
    return library.asMember.getBook(GetBookRequest.newBuilder().setId(book.getId()).build()).getBook().getAvailableCopies();
  }

  private static void dueDaysAgo(String loanId, int days) throws Exception {
    try (Connection db = library.system.connect("book");
        PreparedStatement update =
            db.prepareStatement("UPDATE loans SET due_at = now() - make_interval(days => ?) WHERE id = ?::uuid")) {
      update.setInt(1, days);
      update.setString(2, loanId);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
