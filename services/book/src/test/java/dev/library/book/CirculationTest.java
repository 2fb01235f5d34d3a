package dev.library.book;

import static dev.library.runtime.testing.StatusAssertions.code;
import static dev.library.runtime.testing.StatusAssertions.reason;
import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.BorrowBookResponse;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.ListLoansRequest;
import dev.library.book.v1.ListLoansResponse;
import dev.library.book.v1.Loan;
import dev.library.book.v1.LoanStatus;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.book.v1.ReturnBookResponse;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Borrowing and returning, alone and under real concurrent clients. */
class CirculationTest {
  private static Library library;
  private static String author;

  @BeforeAll
  static void start() {
    library = Library.start();
    author = library.author("Circulated author");
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  static BorrowBookRequest borrow(Book book) {
    return BorrowBookRequest.newBuilder().setId(book.getId()).build();
  }

  static ReturnBookRequest giveBack(Book book, String loan) {
    return ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).build();
  }

  static int available(Book book) {
    return library.asMember.getBook(GetBookRequest.newBuilder().setId(book.getId()).build()).getBook().getAvailableCopies();
  }

  @Test
  void borrowThenReturnMovesOneCopy() {
    Book book = library.book("Round trip", author, 2);
    BorrowBookResponse loan = library.asMember.borrowBook(borrow(book));
    assertThat(loan.getUserId()).isEqualTo(library.member.id());
    assertThat(loan.getAvailableCopies()).isEqualTo(1);
    Instant due = Instant.ofEpochSecond(loan.getDueAt().getSeconds());
    assertThat(due).isBetween(Instant.now().plus(Duration.ofDays(13)), Instant.now().plus(Duration.ofDays(15)));
    assertThat(available(book)).isEqualTo(1);

    ReturnBookResponse back = library.asMember.returnBook(giveBack(book, loan.getTransactionId()));
    assertThat(back.getAvailableCopies()).isEqualTo(2);
    StatusRuntimeException again =
        dev.library.runtime.testing.StatusAssertions.failure(
            () -> library.asMember.returnBook(giveBack(book, loan.getTransactionId())));
    assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(available(book)).isEqualTo(2);
  }

  @Test
  void oneActiveLoanPerBookPerMember() {
    Book book = library.book("Twice", author, 5);
    TestAccounts.User reader = library.accounts.member();
    library.as(reader).borrowBook(borrow(book));
    assertThat(code(() -> library.as(reader).borrowBook(borrow(book)))).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(available(book)).isEqualTo(4);
  }

  @Test
  void aMemberHoldsAtMostTheConfiguredNumberOfLoans() {
    TestAccounts.User reader = library.accounts.member();
    for (int i = 0; i < 5; i++) {
      library.as(reader).borrowBook(borrow(library.book("Stack " + i, author, 1)));
    }
    Book sixth = library.book("One too many", author, 1);
    assertThat(code(() -> library.as(reader).borrowBook(borrow(sixth)))).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(available(sixth)).isEqualTo(1);
  }

  @Test
  void noCopyLeftIsFailedPreconditionAndUnknownBookIsNotFound() {
    Book book = library.book("Single", author, 1);
    library.asMember.borrowBook(borrow(book));
    assertThat(code(() -> library.as(library.accounts.member()).borrowBook(borrow(book))))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(
            code(
                () ->
                    library.asMember.borrowBook(
                        BorrowBookRequest.newBuilder().setId(UUID.randomUUID().toString()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> library.asMember.borrowBook(BorrowBookRequest.newBuilder().setId("x").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void onlyALibrarianActsForAnotherMember() {
    Book book = library.book("On behalf", author, 3);
    TestAccounts.User other = library.accounts.member();
    BorrowBookRequest forOther =
        BorrowBookRequest.newBuilder().setId(book.getId()).setUserId(other.id()).build();
    assertThat(code(() -> library.asMember.borrowBook(forOther))).isEqualTo(Status.Code.PERMISSION_DENIED);
    BorrowBookResponse loan = library.asLibrarian.borrowBook(forOther);
    assertThat(loan.getUserId()).isEqualTo(other.id());

    // The member cannot close someone else's loan; the librarian must name the right member.
    assertThat(code(() -> library.asMember.returnBook(giveBack(book, loan.getTransactionId()))))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            code(
                () ->
                    library.asLibrarian.returnBook(
                        giveBack(book, loan.getTransactionId()).toBuilder()
                            .setUserId(library.member.id())
                            .build())))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    library.asLibrarian.returnBook(
        giveBack(book, loan.getTransactionId()).toBuilder().setUserId(other.id()).build());
    assertThat(available(book)).isEqualTo(3);
  }

  @Test
  void aLibrarianCannotLendToOrListTheLoansOfNobody() {
    Book book = library.book("For nobody", author, 2);
    for (String nobody : List.of(UUID.randomUUID().toString(), new UUID(0, 0).toString())) {
      BorrowBookRequest forNobody =
          BorrowBookRequest.newBuilder().setId(book.getId()).setUserId(nobody).build();
      assertThat(code(() -> library.asLibrarian.borrowBook(forNobody)))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(reason(() -> library.asLibrarian.borrowBook(forNobody)))
          .isEqualTo("USER_NOT_FOUND");
      assertThat(
              reason(
                  () ->
                      library.asLibrarian.listLoans(
                          ListLoansRequest.newBuilder().setUserId(nobody).build())))
          .isEqualTo("USER_NOT_FOUND");
    }
    assertThat(available(book)).isEqualTo(2);
    // A member who exists is served, whether the librarian names them or they act themselves.
    TestAccounts.User reader = library.accounts.member();
    assertThat(
            library.asLibrarian
                .borrowBook(
                    BorrowBookRequest.newBuilder().setId(book.getId()).setUserId(reader.id()).build())
                .getUserId())
        .isEqualTo(reader.id());
  }

  @Test
  void aReturnMustMatchAnActiveLoanOfThatBook() {
    Book first = library.book("First", author, 1);
    Book second = library.book("Second", author, 1);
    String loan = library.asMember.borrowBook(borrow(first)).getTransactionId();
    assertThat(code(() -> library.asMember.returnBook(giveBack(second, loan))))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(code(() -> library.asMember.returnBook(giveBack(first, UUID.randomUUID().toString()))))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> library.asMember.returnBook(giveBack(first, ""))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(available(second)).isEqualTo(1);
  }

  @Test
  void fiftyBorrowersOnFiveCopiesGetExactlyFiveLoans() throws Exception {
    Book book = library.book("Hot book", author, 5);
    int clients = 50;
    List<BookServiceGrpc.BookServiceBlockingStub> borrowers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      borrowers.add(library.as(library.accounts.member()));
    }
    List<Status.Code> codes = race(borrowers, stub -> code(() -> stub.borrowBook(borrow(book))));
    assertThat(codes).filteredOn(c -> c == Status.Code.OK).hasSize(5);
    assertThat(codes).filteredOn(c -> c == Status.Code.FAILED_PRECONDITION).hasSize(45);
    assertThat(available(book)).isZero();
  }

  @Test
  void aStormOfBorrowsAndReturnsKeepsTheCountsExact() throws Exception {
    List<Book> books = List.of(library.book("Storm A", author, 3), library.book("Storm B", author, 2));
    int clients = 16;
    int rounds = 12;
    Map<String, AtomicInteger> activeByBook = new ConcurrentHashMap<>();
    books.forEach(b -> activeByBook.put(b.getId(), new AtomicInteger()));
    List<BookServiceGrpc.BookServiceBlockingStub> readers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      readers.add(library.as(library.accounts.member()));
    }
    List<Status.Code> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    race(
        readers,
        stub -> {
          Random random = new Random(stub.hashCode());
          Map<String, String> held = new java.util.HashMap<>();
          for (int r = 0; r < rounds; r++) {
            Book book = books.get(random.nextInt(books.size()));
            String loan = held.remove(book.getId());
            try {
              if (loan == null) {
                held.put(book.getId(), stub.borrowBook(borrow(book)).getTransactionId());
                activeByBook.get(book.getId()).incrementAndGet();
              } else {
                stub.returnBook(giveBack(book, loan));
                activeByBook.get(book.getId()).decrementAndGet();
              }
            } catch (StatusRuntimeException e) {
              if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                unexpected.add(e.getStatus().getCode());
              }
            }
          }
          return Status.Code.OK;
        });
    assertThat(unexpected).isEmpty();
    for (Book book : books) {
      int active = activeByBook.get(book.getId()).get();
      assertThat(active).isBetween(0, book.getTotalCopies());
      assertThat(available(book)).as(book.getTitle()).isEqualTo(book.getTotalCopies() - active);
    }
  }

  @Test
  void membersListTheirOwnLoansAndLibrariansAnyones() {
    TestAccounts.User reader = library.accounts.member();
    Book kept = library.book("Kept", author, 1);
    Book returned = library.book("Returned", author, 1);
    library.as(reader).borrowBook(borrow(kept));
    String loan = library.as(reader).borrowBook(borrow(returned)).getTransactionId();
    library.as(reader).returnBook(giveBack(returned, loan));

    ListLoansResponse mine = library.as(reader).listLoans(ListLoansRequest.getDefaultInstance());
    assertThat(mine.getTotal()).isEqualTo(2);
    assertThat(mine.getLoansList()).extracting(Loan::getBookTitle).containsExactly("Returned", "Kept");
    ListLoansResponse active =
        library.as(reader).listLoans(ListLoansRequest.newBuilder().setStatus(ListLoansRequest.LoanStatusFilter.ACTIVE).build());
    assertThat(active.getLoansList()).extracting(Loan::getStatus).containsExactly(LoanStatus.ACTIVE);
    ListLoansResponse back =
        library.as(reader).listLoans(ListLoansRequest.newBuilder().setStatus(ListLoansRequest.LoanStatusFilter.RETURNED).build());
    assertThat(back.getLoansList()).extracting(Loan::getBookTitle).containsExactly("Returned");
    assertThat(back.getLoans(0).hasReturnedAt()).isTrue();
    assertThat(
            library.as(reader).listLoans(ListLoansRequest.newBuilder().setStatus(ListLoansRequest.LoanStatusFilter.OVERDUE).build()).getTotal())
        .isZero();

    assertThat(code(() -> library.asMember.listLoans(ListLoansRequest.newBuilder().setUserId(reader.id()).build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    ListLoansResponse seen =
        library.asLibrarian.listLoans(
            ListLoansRequest.newBuilder().setUserId(reader.id()).setPageSize(1).setPage(2).build());
    assertThat(seen.getTotal()).isEqualTo(2);
    assertThat(seen.getLoansList()).extracting(Loan::getBookTitle).containsExactly("Kept");
  }

  @Test
  void loansPageByTokenAsByNumberAndATokenIsTiedToItsMember() {
    TestAccounts.User reader = library.accounts.member();
    TestAccounts.User other = library.accounts.member();
    for (int i = 0; i < 5; i++) {
      library.as(reader).borrowBook(borrow(library.book("Loan " + i, author, 1)));
    }
    ListLoansRequest request = ListLoansRequest.newBuilder().setPageSize(2).build();
    List<String> byNumber = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      library.as(reader).listLoans(request.toBuilder().setPage(page).build()).getLoansList().forEach(l -> byNumber.add(l.getId()));
    }
    List<String> byToken = new ArrayList<>();
    String token = "";
    do {
      ListLoansResponse page = library.as(reader).listLoans(request.toBuilder().setPageToken(token).build());
      assertThat(page.getTotal()).isEqualTo(5);
      page.getLoansList().forEach(l -> byToken.add(l.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(byToken).hasSize(5).containsExactlyElementsOf(byNumber);

    // Another member cannot continue the reader's list with the reader's token.
    String readersToken = library.as(reader).listLoans(request).getNextPageToken();
    assertThat(
            violatedFields(
                failure(() -> library.as(other).listLoans(request.toBuilder().setPageToken(readersToken).build()))))
        .containsExactly("page_token");
    // A librarian naming the reader continues it.
    assertThat(
            library.asLibrarian
                .listLoans(request.toBuilder().setUserId(reader.id()).setPageToken(readersToken).build())
                .getLoansCount())
        .isEqualTo(2);
  }

  /** Runs one task per client, all released at once, and returns their results. */
  static <C> List<Status.Code> race(List<C> clients, java.util.function.Function<C, Status.Code> task)
      throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    try {
      List<Future<Status.Code>> results = new ArrayList<>();
      for (C client : clients) {
        results.add(
            pool.submit(
                (Callable<Status.Code>)
                    () -> {
                      go.await();
                      return task.apply(client);
                    }));
      }
      go.countDown();
      List<Status.Code> codes = new ArrayList<>();
      for (Future<Status.Code> result : results) {
        codes.add(result.get());
      }
      return codes;
    } finally {
      pool.shutdownNow();
    }
  }
}
