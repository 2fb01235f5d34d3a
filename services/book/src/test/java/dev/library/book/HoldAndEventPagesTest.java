package dev.library.book;

import static dev.library.runtime.testing.StatusAssertions.code;
import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc.BookServiceBlockingStub;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.CancelHoldRequest;
import dev.library.book.v1.CirculationEvent;
import dev.library.book.v1.CirculationEventType;
import dev.library.book.v1.Hold;
import dev.library.book.v1.HoldStatus;
import dev.library.book.v1.ListCirculationEventsRequest;
import dev.library.book.v1.ListCirculationEventsResponse;
import dev.library.book.v1.ListHoldsRequest;
import dev.library.book.v1.ListHoldsResponse;
import dev.library.book.v1.PlaceHoldRequest;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ListHolds (a member's holds and a book's queue) and ListCirculationEvents paged by token
 * (AIP-158) against paging by number on the same rows, through the real service.
 */
class HoldAndEventPagesTest {
  private static final int PAGE_SIZE = 2;
  private static Library library;
  private static String author;

  @BeforeAll
  static void start() {
    library = Library.start();
    author = library.author("Paged author");
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  @Test
  void aMembersHoldsPageByTokenAsByNumberAndAreNotShiftedByANewHold() {
    Book book = lentOut("Held again and again");
    TestAccounts.User member = library.accounts.member();
    BookServiceBlockingStub stub = library.as(member);
    for (int i = 0; i < 5; i++) {
      cancel(stub, place(stub, book.getId()));
    }
    String open = place(stub, book.getId());
    ListHoldsRequest request =
        ListHoldsRequest.newBuilder().setIncludeClosed(true).setPageSize(PAGE_SIZE).build();

    List<String> byNumber = holdsByNumber(stub, request, 6);
    assertThat(holdsByToken(stub, request, 6)).containsExactlyElementsOf(byNumber);
    assertThat(byNumber.get(0)).isEqualTo(open);

    // A hold placed after the first page is the newest: it shifts page 2 by number, not by token.
    ListHoldsResponse first = stub.listHolds(request);
    cancel(stub, open);
    String newer = place(stub, book.getId());
    ListHoldsResponse next = stub.listHolds(request.toBuilder().setPageToken(first.getNextPageToken()).build());
    assertThat(ids(next.getHoldsList())).containsExactlyElementsOf(byNumber.subList(2, 4));
    assertThat(ids(stub.listHolds(request.toBuilder().setPage(2).build()).getHoldsList()))
        .containsExactly(byNumber.get(1), byNumber.get(2));
    // By token, the total is the rows before the page as counted while paging, plus those from it.
    assertThat(next.getTotal()).isEqualTo(6);
    assertThat(stub.listHolds(request).getHolds(0).getId()).isEqualTo(newer);

    // The token is bound to its filters: without the closed holds it is not this list's.
    assertThat(
            violatedFields(
                failure(
                    () ->
                        stub.listHolds(
                            request.toBuilder()
                                .setIncludeClosed(false)
                                .setPageToken(first.getNextPageToken())
                                .build()))))
        .containsExactly("page_token");
    assertTamperedTokenRefused(
        first.getNextPageToken(), token -> stub.listHolds(request.toBuilder().setPageToken(token).build()));
  }

  @Test
  void aBooksQueuePagesByTokenAsByNumberReadyThenWaitingThenClosed() {
    Book book = library.book("Long queue", author, 1);
    TestAccounts.User reader = library.accounts.member();
    String loan = library.as(reader).borrowBook(borrow(book)).getTransactionId();
    List<TestAccounts.User> waiters = new ArrayList<>();
    List<String> holds = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      TestAccounts.User waiter = library.accounts.member();
      waiters.add(waiter);
      holds.add(place(library.as(waiter), book.getId()));
    }
    cancel(library.as(waiters.get(2)), holds.get(2));
    library.as(reader).returnBook(ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).build());
    ListHoldsRequest request =
        ListHoldsRequest.newBuilder()
            .setBookId(book.getId())
            .setIncludeClosed(true)
            .setPageSize(PAGE_SIZE)
            .build();

    List<String> byNumber = holdsByNumber(library.asLibrarian, request, 6);
    List<String> byToken = holdsByToken(library.asLibrarian, request, 6);
    assertThat(byToken).containsExactlyElementsOf(byNumber);
    // The first in line's hold (READY: the returned copy is kept for it), the queue, the cancelled.
    assertThat(byToken)
        .containsExactly(holds.get(0), holds.get(1), holds.get(3), holds.get(4), holds.get(5), holds.get(2));

    // A hold placed after the first page joins the end of the queue: the pages before it hold.
    String first = library.asLibrarian.listHolds(request).getNextPageToken();
    String late = place(library.as(library.accounts.member()), book.getId());
    assertThat(holdsFrom(library.asLibrarian, request, first, PAGE_SIZE, 7))
        .containsExactly(holds.get(3), holds.get(4), holds.get(5), late, holds.get(2));
    // The queue's token is not a member's list, nor the open queue's.
    assertThat(
            violatedFields(
                failure(
                    () ->
                        library.asLibrarian.listHolds(
                            request.toBuilder().setIncludeClosed(false).setPageToken(first).build()))))
        .containsExactly("page_token");
    assertThat(
            violatedFields(
                failure(
                    () ->
                        library.asLibrarian.listHolds(
                            request.toBuilder().setUserId(waiters.get(0).id()).setPageToken(first).build()))))
        .containsExactly("page_token");
  }

  @Test
  void eventsPageByTokenAsByNumberAndAreNotShiftedByANewEvent() {
    Book book = lentOut("Eventful");
    TestAccounts.User member = library.accounts.member();
    BookServiceBlockingStub stub = library.as(member);
    for (int i = 0; i < 3; i++) {
      cancel(stub, place(stub, book.getId()));
    }
    // Six events of the member: HOLD_PLACED and HOLD_CANCELLED, three times.
    ListCirculationEventsRequest request =
        ListCirculationEventsRequest.newBuilder().setPageSize(PAGE_SIZE).build();

    List<String> byNumber = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      stub.listCirculationEvents(request.toBuilder().setPage(page).build())
          .getEventsList()
          .forEach(e -> byNumber.add(e.getId()));
    }
    List<String> byToken = new ArrayList<>();
    String token = "";
    do {
      ListCirculationEventsResponse page =
          stub.listCirculationEvents(request.toBuilder().setPageToken(token).build());
      assertThat(page.getTotal()).isEqualTo(6);
      assertThat(page.getTotalIsLowerBound()).isFalse();
      page.getEventsList().forEach(e -> byToken.add(e.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(byToken).hasSize(6).containsExactlyElementsOf(byNumber);

    // A new event is the newest: it shifts page 2 by number, not by token.
    ListCirculationEventsResponse first = stub.listCirculationEvents(request);
    place(stub, book.getId());
    ListCirculationEventsResponse next =
        stub.listCirculationEvents(request.toBuilder().setPageToken(first.getNextPageToken()).build());
    assertThat(next.getEventsList()).extracting(CirculationEvent::getId).containsExactlyElementsOf(byNumber.subList(2, 4));
    assertThat(next.getTotal()).isEqualTo(6);
    assertThat(stub.listCirculationEvents(request.toBuilder().setPage(2).build()).getEventsList())
        .extracting(CirculationEvent::getId)
        .containsExactly(byNumber.get(1), byNumber.get(2));

    // Bound to its filters: another type, or another member named by a librarian, is refused.
    assertThat(
            violatedFields(
                failure(
                    () ->
                        stub.listCirculationEvents(
                            request.toBuilder()
                                .setType(CirculationEventType.HOLD_PLACED)
                                .setPageToken(first.getNextPageToken())
                                .build()))))
        .containsExactly("page_token");
    assertThat(
            code(
                () ->
                    library.asLibrarian.listCirculationEvents(
                        request.toBuilder().setPageToken(first.getNextPageToken()).build())))
        .as("a librarian's unfiltered list is not the member's")
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            library.asLibrarian
                .listCirculationEvents(
                    request.toBuilder().setUserId(member.id()).setPageToken(first.getNextPageToken()).build())
                .getEventsList())
        .extracting(CirculationEvent::getId)
        .containsExactlyElementsOf(byNumber.subList(2, 4));
    assertTamperedTokenRefused(
        first.getNextPageToken(),
        t -> stub.listCirculationEvents(request.toBuilder().setPageToken(t).build()));
    // A holds token is not an events token, even for the same member.
    String holdsToken =
        stub.listHolds(ListHoldsRequest.newBuilder().setIncludeClosed(true).setPageSize(1).build())
            .getNextPageToken();
    assertThat(
            violatedFields(
                failure(() -> stub.listCirculationEvents(request.toBuilder().setPageToken(holdsToken).build()))))
        .containsExactly("page_token");
  }

  /** Every character of the token changed in turn: each is INVALID_ARGUMENT naming page_token. */
  private static void assertTamperedTokenRefused(String token, Function<String, ?> list) {
    for (int i = 0; i < token.length(); i++) {
      char changed = token.charAt(i) == 'A' ? 'B' : 'A';
      String tampered = token.substring(0, i) + changed + token.substring(i + 1);
      assertThat(violatedFields(failure(() -> list.apply(tampered)))).as("changed at %d", i).containsExactly("page_token");
    }
  }

  private static List<String> holdsByNumber(BookServiceBlockingStub stub, ListHoldsRequest request, int total) {
    List<String> ids = new ArrayList<>();
    for (int page = 1; (page - 1) * PAGE_SIZE < total; page++) {
      ListHoldsResponse response = stub.listHolds(request.toBuilder().setPage(page).build());
      assertThat(response.getTotal()).isEqualTo(total);
      ids.addAll(ids(response.getHoldsList()));
    }
    return ids;
  }

  private static List<String> holdsByToken(BookServiceBlockingStub stub, ListHoldsRequest request, int total) {
    List<String> ids = holdsFrom(stub, request, "", 0, total);
    assertThat(ids).hasSize(total).doesNotHaveDuplicates();
    return ids;
  }

  /** The holds from the page of {@code token} ({@code before} rows into the list) to the last. */
  private static List<String> holdsFrom(
      BookServiceBlockingStub stub, ListHoldsRequest request, String token, int before, int total) {
    List<String> ids = new ArrayList<>();
    do {
      ListHoldsResponse page = stub.listHolds(request.toBuilder().setPageToken(token).build());
      assertThat(page.getTotal()).isEqualTo(total);
      assertThat(page.getTotalIsLowerBound()).isFalse();
      assertThat(page.getPage()).isEqualTo((before + ids.size()) / PAGE_SIZE + 1);
      ids.addAll(ids(page.getHoldsList()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return ids;
  }

  /** A book whose only copy is on loan, so members can queue for it. */
  private static Book lentOut(String title) {
    Book book = library.book(title, author, 1);
    library.as(library.accounts.member()).borrowBook(borrow(book));
    return book;
  }

  private static BorrowBookRequest borrow(Book book) {
    return BorrowBookRequest.newBuilder().setId(book.getId()).build();
  }

  private static String place(BookServiceBlockingStub stub, String bookId) {
    return stub.placeHold(PlaceHoldRequest.newBuilder().setBookId(bookId).build()).getHold().getId();
  }

  private static void cancel(BookServiceBlockingStub stub, String holdId) {
    assertThat(stub.cancelHold(CancelHoldRequest.newBuilder().setHoldId(holdId).build()).getHold().getStatus())
        .isEqualTo(HoldStatus.CANCELLED);
  }

  private static List<String> ids(List<Hold> holds) {
    return holds.stream().map(Hold::getId).toList();
  }
}
