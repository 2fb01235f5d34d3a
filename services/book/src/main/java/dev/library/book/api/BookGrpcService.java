package dev.library.book.api;

import static dev.library.runtime.grpc.Replies.reply;
import static dev.library.runtime.grpc.Replies.timestamp;

import dev.library.book.client.AuthorDirectory;
import dev.library.book.client.CategoryDirectory;
import dev.library.book.core.AuthorNames;
import dev.library.book.core.BookFields;
import dev.library.book.core.BookSearch;
import dev.library.book.core.Catalog;
import dev.library.book.core.Circulation;
import dev.library.book.core.CirculationHistory;
import dev.library.book.core.Holds;
import dev.library.book.core.Recommendations;
import dev.library.book.db.BookQuery;
import dev.library.book.db.EventRow;
import dev.library.book.db.HoldRow;
import dev.library.book.db.LoanDao;
import dev.library.runtime.api.ListPage;
import dev.library.book.db.BookRow;
import dev.library.book.db.LoanRow;
import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.CancelHoldRequest;
import dev.library.book.v1.CancelHoldResponse;
import dev.library.book.v1.ListCirculationEventsRequest;
import dev.library.book.v1.ListCirculationEventsResponse;
import dev.library.book.v1.ListHoldsRequest;
import dev.library.book.v1.ListHoldsResponse;
import dev.library.book.v1.PlaceHoldRequest;
import dev.library.book.v1.PlaceHoldResponse;
import dev.library.book.v1.RenewLoanRequest;
import dev.library.book.v1.RenewLoanResponse;
import dev.library.book.v1.BookSortField;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.BorrowBookResponse;
import dev.library.book.v1.CountBooksByAuthorRequest;
import dev.library.book.v1.CountBooksByAuthorResponse;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.CreateBookResponse;
import dev.library.book.v1.DeleteBookRequest;
import dev.library.book.v1.DeleteBookResponse;
import dev.library.book.v1.GetBookRecommendationsRequest;
import dev.library.book.v1.GetBookRecommendationsResponse;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.GetBookResponse;
import dev.library.book.v1.Hold;
import dev.library.book.v1.ListBooksRequest;
import dev.library.book.v1.ListBooksResponse;
import dev.library.book.v1.ListLoansRequest;
import dev.library.book.v1.ListLoansResponse;
import dev.library.book.v1.Loan;
import dev.library.book.v1.LoanStatus;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.book.v1.ReturnBookResponse;
import dev.library.book.v1.UpdateBookRequest;
import dev.library.book.v1.UpdateBookResponse;
import dev.library.runtime.grpc.CallerContext;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The BookService RPCs, one method each, reading like book.proto (which also says who may call
 * each). The caller is handed to the core where a rule depends on who asks.
 */
public final class BookGrpcService extends BookServiceGrpc.BookServiceImplBase {
  private final Catalog catalog;
  private final BookSearch search;
  private final Circulation circulation;
  private final Recommendations recommendations;
  private final Holds holds;
  private final CirculationHistory history;
  private final BookAssembler assembler;
  private final Clock clock;

  /** Wires the service; the assembler that embeds authors and categories stays internal. */
  public static BookGrpcService create(
      Catalog catalog,
      BookSearch search,
      Circulation circulation,
      Holds holds,
      CirculationHistory history,
      Recommendations recommendations,
      AuthorDirectory authors,
      CategoryDirectory categories,
      AuthorNames authorNames,
      Clock clock) {
    return new BookGrpcService(
        catalog,
        search,
        circulation,
        holds,
        history,
        recommendations,
        new BookAssembler(authors, categories, authorNames),
        clock);
  }

  private BookGrpcService(
      Catalog catalog,
      BookSearch search,
      Circulation circulation,
      Holds holds,
      CirculationHistory history,
      Recommendations recommendations,
      BookAssembler assembler,
      Clock clock) {
    this.catalog = catalog;
    this.search = search;
    this.circulation = circulation;
    this.holds = holds;
    this.history = history;
    this.recommendations = recommendations;
    this.assembler = assembler;
    this.clock = clock;
  }

  @Override
  public void createBook(CreateBookRequest request, StreamObserver<CreateBookResponse> response) {
    var row =
        catalog.create(
            new BookFields.Input(
                request.getTitle(),
                request.getAuthorId(),
                request.getIsbn(),
                request.getPublicationYear(),
                request.getPublisher(),
                request.getDescription(),
                request.getTotalCopies(),
                request.getCategoryIdsList()));
    reply(response, CreateBookResponse.newBuilder().setBook(assembler.written(row)).build());
  }

  @Override
  public void getBook(GetBookRequest request, StreamObserver<GetBookResponse> response) {
    var row = catalog.get(request.getId());
    reply(response, GetBookResponse.newBuilder().setBook(assembler.read(List.of(row)).get(0)).build());
  }

  @Override
  public void updateBook(UpdateBookRequest request, StreamObserver<UpdateBookResponse> response) {
    var row =
        catalog.update(
            request.getId(),
            new BookFields.Input(
                request.getTitle(),
                request.getAuthorId(),
                request.getIsbn(),
                request.getPublicationYear(),
                request.getPublisher(),
                request.getDescription(),
                request.getTotalCopies(),
                request.getCategoryIdsList()));
    reply(response, UpdateBookResponse.newBuilder().setBook(assembler.written(row)).build());
  }

  @Override
  public void deleteBook(DeleteBookRequest request, StreamObserver<DeleteBookResponse> response) {
    catalog.delete(request.getId());
    reply(response, DeleteBookResponse.newBuilder().setSuccess(true).build());
  }

  @Override
  public void listBooks(ListBooksRequest request, StreamObserver<ListBooksResponse> response) {
    BookSearch.Result result =
        search.list(
            new BookSearch.Filters(
                request.getPage(),
                request.getPageSize(),
                request.getPageToken(),
                request.getTitleQuery(),
                request.getAuthorQuery(),
                request.getCategoryIdsList(),
                request.getIsbnQuery(),
                request.getPublicationYearStart(),
                request.getPublicationYearEnd(),
                request.getPublisherQuery(),
                request.getAvailableOnly(),
                request.getQuery(),
                request.getFacetLimit(),
                request.getSortBy() == BookSortField.BOOK_SORT_FIELD_UNSPECIFIED && !request.getQuery().isBlank()
                    ? BookQuery.Sort.RELEVANCE
                    : sort(request.getSortBy()),
                request.getSortDesc()));
    ListPage<BookRow> page = result.page();
    ListBooksResponse.Builder out =
        ListBooksResponse.newBuilder()
            .addAllBooks(page.rows().isEmpty() ? List.of() : assembler.read(page.rows()))
            .setTotal(page.total())
            .setTotalIsLowerBound(page.totalIsLowerBound())
            .setPage(page.page())
            .setPageSize(page.pageSize())
            .setNextPageToken(page.nextPageToken());
    result.facets().ifPresent(facets -> assembler.addFacets(facets, out));
    reply(response, out.build());
  }

  @Override
  public void borrowBook(BorrowBookRequest request, StreamObserver<BorrowBookResponse> response) {
    Circulation.Borrowed loan =
        circulation.borrow(
            CallerContext.current(), request.getId(), request.getUserId(), request.getValidateOnly());
    BorrowBookResponse.Builder out =
        BorrowBookResponse.newBuilder()
            .setBookId(loan.bookId().toString())
            .setUserId(loan.userId().toString())
            .setDueAt(timestamp(loan.dueAt()))
            .setAvailableCopies(loan.availableCopies())
            .setSuccess(true);
    if (!request.getValidateOnly()) {
      out.setTransactionId(loan.loanId().toString());
      loan.fulfilledHold().ifPresent(id -> out.setFulfilledHoldId(id.toString()));
    }
    reply(response, out.build());
  }

  @Override
  public void returnBook(ReturnBookRequest request, StreamObserver<ReturnBookResponse> response) {
    Circulation.Returned back =
        circulation.giveBack(
            CallerContext.current(),
            request.getId(),
            request.getTransactionId(),
            request.getUserId());
    reply(
        response,
        ReturnBookResponse.newBuilder()
            .setTransactionId(back.loanId().toString())
            .setBookId(back.bookId().toString())
            .setReturnedAt(timestamp(back.returnedAt()))
            .setAvailableCopies(back.availableCopies())
            .setSuccess(true)
            .setReadyHoldId(back.readyHold().map(UUID::toString).orElse(""))
            .build());
  }

  @Override
  public void renewLoan(RenewLoanRequest request, StreamObserver<RenewLoanResponse> response) {
    LoanRow loan =
        circulation.renew(CallerContext.current(), request.getTransactionId(), request.getValidateOnly());
    reply(response, RenewLoanResponse.newBuilder().setLoan(toProto(loan)).build());
  }

  @Override
  public void placeHold(PlaceHoldRequest request, StreamObserver<PlaceHoldResponse> response) {
    HoldRow hold =
        holds.place(
            CallerContext.current(), request.getBookId(), request.getUserId(), request.getValidateOnly());
    Hold.Builder out = HoldMessages.toProto(hold).toBuilder();
    if (request.getValidateOnly()) {
      out.clearId();
    }
    reply(response, PlaceHoldResponse.newBuilder().setHold(out).build());
  }

  @Override
  public void cancelHold(CancelHoldRequest request, StreamObserver<CancelHoldResponse> response) {
    HoldRow hold = holds.cancel(CallerContext.current(), request.getHoldId());
    reply(response, CancelHoldResponse.newBuilder().setHold(HoldMessages.toProto(hold)).build());
  }

  @Override
  public void listHolds(ListHoldsRequest request, StreamObserver<ListHoldsResponse> response) {
    ListPage<HoldRow> page =
        holds.list(
            CallerContext.current(),
            request.getUserId(),
            request.getBookId(),
            request.getIncludeClosed(),
            request.getPage(),
            request.getPageSize(),
            request.getPageToken());
    ListHoldsResponse.Builder out =
        ListHoldsResponse.newBuilder()
            .setTotal(page.total())
            .setTotalIsLowerBound(page.totalIsLowerBound())
            .setPage(page.page())
            .setPageSize(page.pageSize())
            .setNextPageToken(page.nextPageToken());
    page.rows().forEach(hold -> out.addHolds(HoldMessages.toProto(hold)));
    reply(response, out.build());
  }

  @Override
  public void listCirculationEvents(
      ListCirculationEventsRequest request, StreamObserver<ListCirculationEventsResponse> response) {
    ListPage<EventRow> page =
        history.list(
            CallerContext.current(),
            new CirculationHistory.Query(
                request.getUserId(),
                request.getBookId(),
                HoldMessages.eventType(request.getType()),
                request.hasStartTime() ? Optional.of(instant(request.getStartTime())) : Optional.empty(),
                request.hasEndTime() ? Optional.of(instant(request.getEndTime())) : Optional.empty(),
                request.getPage(),
                request.getPageSize(),
                request.getPageToken()));
    ListCirculationEventsResponse.Builder out =
        ListCirculationEventsResponse.newBuilder()
            .setTotal(page.total())
            .setTotalIsLowerBound(page.totalIsLowerBound())
            .setPage(page.page())
            .setPageSize(page.pageSize())
            .setNextPageToken(page.nextPageToken());
    page.rows().forEach(event -> out.addEvents(HoldMessages.toProto(event)));
    reply(response, out.build());
  }

  @Override
  public void getBookRecommendations(
      GetBookRecommendationsRequest request,
      StreamObserver<GetBookRecommendationsResponse> response) {
    var rows = recommendations.forBook(request.getId(), request.getLimit());
    List<Book> books = rows.isEmpty() ? List.of() : assembler.read(rows);
    reply(
        response,
        GetBookRecommendationsResponse.newBuilder()
            .addAllBooks(books)
            .addAllRecommendations(books)
            .build());
  }

  @Override
  public void listLoans(ListLoansRequest request, StreamObserver<ListLoansResponse> response) {
    ListPage<LoanRow> page =
        circulation.loans(
            CallerContext.current(),
            request.getUserId(),
            request.getBookId(),
            status(request.getStatus()),
            request.getPage(),
            request.getPageSize(),
            request.getPageToken());
    ListLoansResponse.Builder out =
        ListLoansResponse.newBuilder()
            .setTotal(page.total())
            .setTotalIsLowerBound(page.totalIsLowerBound())
            .setPage(page.page())
            .setPageSize(page.pageSize())
            .setNextPageToken(page.nextPageToken());
    page.rows().forEach(loan -> out.addLoans(toProto(loan)));
    reply(response, out.build());
  }

  @Override
  public void countBooksByAuthor(
      CountBooksByAuthorRequest request, StreamObserver<CountBooksByAuthorResponse> response) {
    reply(
        response,
        CountBooksByAuthorResponse.newBuilder()
            .setCount(catalog.countByAuthor(request.getAuthorId()))
            .build());
  }

  private Loan toProto(LoanRow row) {
    Loan.Builder loan =
        Loan.newBuilder()
            .setId(row.id().toString())
            .setBookId(row.bookId().toString())
            .setUserId(row.userId().toString())
            .setBorrowedAt(timestamp(row.borrowedAt()))
            .setDueAt(timestamp(row.dueAt()))
            .setBookTitle(row.bookTitle())
            .setRenewalsUsed(row.renewalsUsed());
    if (row.returnedAt() != null) {
      loan.setReturnedAt(timestamp(row.returnedAt())).setStatus(LoanStatus.RETURNED);
    } else {
      boolean overdue = row.dueAt().isBefore(clock.instant());
      loan.setStatus(overdue ? LoanStatus.OVERDUE : LoanStatus.ACTIVE).setOverdue(overdue);
    }
    return loan.build();
  }

  private static java.time.Instant instant(com.google.protobuf.Timestamp t) {
    return java.time.Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static BookQuery.Sort sort(BookSortField field) {
    return switch (field) {
      case BOOK_SORT_FIELD_UNSPECIFIED, CREATED_AT -> BookQuery.Sort.CREATED_AT;
      case TITLE -> BookQuery.Sort.TITLE;
      case AUTHOR -> BookQuery.Sort.AUTHOR;
      case PUBLICATION_YEAR -> BookQuery.Sort.PUBLICATION_YEAR;
      case RELEVANCE -> BookQuery.Sort.RELEVANCE;
      default -> null;
    };
  }

  private static LoanDao.Status status(ListLoansRequest.LoanStatusFilter filter) {
    return switch (filter) {
      case LOAN_STATUS_FILTER_UNSPECIFIED -> LoanDao.Status.ANY;
      case ACTIVE -> LoanDao.Status.ACTIVE;
      case RETURNED -> LoanDao.Status.RETURNED;
      case OVERDUE -> LoanDao.Status.OVERDUE;
      default -> null;
    };
  }
}
