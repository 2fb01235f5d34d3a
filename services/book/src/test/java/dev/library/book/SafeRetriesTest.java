package dev.library.book;

import static dev.library.runtime.testing.StatusAssertions.code;
import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.reason;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.v1.Book;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.BorrowBookResponse;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.ListLoansRequest;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** request_id (AIP-155): a retry gets the first attempt's answer and does nothing twice. */
class SafeRetriesTest {
  private static Library library;
  private static String author;

  @BeforeAll
  static void start() {
    library = Library.start();
    author = library.author("Retried author");
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  private static BorrowBookRequest borrow(Book book, String requestId) {
    return BorrowBookRequest.newBuilder().setId(book.getId()).setRequestId(requestId).build();
  }

  private static int available(Book book) {
    return library
        .asMember
        .getBook(GetBookRequest.newBuilder().setId(book.getId()).build())
        .getBook()
        .getAvailableCopies();
  }

  private static int activeLoans(TestAccounts.User user, Book book) {
    return library
        .asLibrarian
        .listLoans(
            ListLoansRequest.newBuilder()
                .setUserId(user.id())
                .setBookId(book.getId())
                .setStatus(ListLoansRequest.LoanStatusFilter.ACTIVE)
                .build())
        .getTotal();
  }

  private static String ledgerRow(String requestId) throws java.sql.SQLException {
    try (java.sql.Connection db = library.system.connect("book");
        java.sql.PreparedStatement query =
            db.prepareStatement(
                "SELECT applied, status IS NOT NULL FROM request_outcomes WHERE request_id = ?")) {
      query.setObject(1, UUID.fromString(requestId));
      try (java.sql.ResultSet row = query.executeQuery()) {
        return row.next() ? "applied=" + row.getBoolean(1) + " answered=" + row.getBoolean(2) : "none";
      }
    }
  }

  @Test
  void aRetriedBorrowGetsTheFirstLoanAndTakesOneCopy() throws Exception {
    Book book = library.book("Retried borrow", author, 3);
    String requestId = UUID.randomUUID().toString();
    BorrowBookResponse first = library.asMember.borrowBook(borrow(book, requestId));
    BorrowBookResponse again = library.asMember.borrowBook(borrow(book, requestId));
    assertThat(again).isEqualTo(first);
    assertThat(available(book)).isEqualTo(2);
    assertThat(activeLoans(library.member, book)).isEqualTo(1);
    // The loan's transaction marked the request applied: a crash before the answer was recorded
    // could never make a retry lend again.
    assertThat(ledgerRow(requestId)).isEqualTo("applied=true answered=true");

    // The return too: a retried return answers as the first did, the copy comes back once.
    ReturnBookRequest giveBack =
        ReturnBookRequest.newBuilder()
            .setId(book.getId())
            .setTransactionId(first.getTransactionId())
            .setRequestId(UUID.randomUUID().toString())
            .build();
    assertThat(library.asMember.returnBook(giveBack)).isEqualTo(library.asMember.returnBook(giveBack));
    assertThat(available(book)).isEqualTo(3);
  }

  @Test
  void concurrentRetriesOfOneBorrowMakeOneLoan() throws Exception {
    Book book = library.book("Raced retries", author, 5);
    TestAccounts.User reader = library.accounts.member();
    String requestId = UUID.randomUUID().toString();
    int clients = 8;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        Callable<String> attempt =
            () -> {
              go.await();
              return library.as(reader).borrowBook(borrow(book, requestId)).getTransactionId();
            };
        answers.add(pool.submit(attempt));
      }
      go.countDown();
      Set<String> loans = new HashSet<>();
      for (Future<String> answer : answers) {
        loans.add(answer.get(30, TimeUnit.SECONDS));
      }
      assertThat(loans).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(activeLoans(reader, book)).isEqualTo(1);
    assertThat(available(book)).isEqualTo(4);
  }

  @Test
  void aRetryAfterTheClientGaveUpDoesNotLendTwice() {
    Book book = library.book("Timed out", author, 2);
    TestAccounts.User reader = library.accounts.member();
    String requestId = UUID.randomUUID().toString();
    // The client stops waiting almost at once; the server may or may not have lent the copy.
    Status.Code first =
        code(
            () ->
                library
                    .as(reader)
                    .withDeadlineAfter(1, TimeUnit.MILLISECONDS)
                    .borrowBook(borrow(book, requestId)));
    assertThat(first).isIn(Status.Code.OK, Status.Code.DEADLINE_EXCEEDED);
    BorrowBookResponse retried = library.as(reader).borrowBook(borrow(book, requestId));
    assertThat(retried.getUserId()).isEqualTo(reader.id());
    assertThat(activeLoans(reader, book)).isEqualTo(1);
    assertThat(available(book)).isEqualTo(1);
  }

  @Test
  void aRefusalIsTheAnswerToItsRetriesToo() {
    Book book = library.book("Single copy", author, 1);
    TestAccounts.User holder = library.accounts.member();
    BorrowBookResponse held = library.as(holder).borrowBook(borrow(book, ""));
    String requestId = UUID.randomUUID().toString();
    assertThat(reason(() -> library.asMember.borrowBook(borrow(book, requestId))))
        .isEqualTo("NO_COPY_AVAILABLE");
    library.as(holder).returnBook(
        ReturnBookRequest.newBuilder()
            .setId(book.getId())
            .setTransactionId(held.getTransactionId())
            .build());
    // The copy is back, but this request_id already has its answer; a new one borrows.
    assertThat(reason(() -> library.asMember.borrowBook(borrow(book, requestId))))
        .isEqualTo("NO_COPY_AVAILABLE");
    assertThat(library.asMember.borrowBook(borrow(book, UUID.randomUUID().toString())).getUserId())
        .isEqualTo(library.member.id());
  }

  @Test
  void anIdReusedForAnotherRequestIsRefusedAndIdsArePerCaller() {
    Book one = library.book("One", author, 2);
    Book other = library.book("Other", author, 2);
    TestAccounts.User reader = library.accounts.member();
    String requestId = UUID.randomUUID().toString();
    library.as(reader).borrowBook(borrow(one, requestId));
    StatusRuntimeException reused =
        failure(() -> library.as(reader).borrowBook(borrow(other, requestId)));
    assertThat(reused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violatedFields(reused)).containsExactly("request_id");
    assertThat(available(other)).isEqualTo(2);
    // Another member's request with the same id is another request.
    TestAccounts.User neighbour = library.accounts.member();
    assertThat(library.as(neighbour).borrowBook(borrow(one, requestId)).getUserId())
        .isEqualTo(neighbour.id());
    assertThat(available(one)).isEqualTo(0);

    assertThat(violatedFields(failure(() -> library.as(reader).borrowBook(borrow(one, "not-a-uuid")))))
        .containsExactly("request_id");
  }

  @Test
  void aRetriedCreateMakesOneBook() {
    CreateBookRequest create =
        library
            .bookRequest("Created once", author, 1)
            .setRequestId(UUID.randomUUID().toString())
            .build();
    Book first = library.asLibrarian.createBook(create).getBook();
    Book again = library.asLibrarian.createBook(create).getBook();
    // Without the request_id the second call would be ALREADY_EXISTS (the ISBN is taken).
    assertThat(again.getId()).isEqualTo(first.getId());
    assertThat(code(() -> library.asLibrarian.createBook(create.toBuilder().setRequestId("").build())))
        .isEqualTo(Status.Code.ALREADY_EXISTS);
  }
}
