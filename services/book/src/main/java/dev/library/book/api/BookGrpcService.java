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
import dev.library.book.core.Recommendations;
import dev.library.book.db.BookQuery;
import dev.library.book.db.LoanDao;
import dev.library.runtime.api.ListPage;
import dev.library.book.db.BookRow;
import dev.library.book.db.LoanRow;
import dev.library.book.v1.BookServiceGrpc;
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

/**
 * The BookService RPCs, one method each, reading like book.proto (which also says who may call
 * each). The caller is handed to the core where a rule depends on who asks.
 */
public final class BookGrpcService extends BookServiceGrpc.BookServiceImplBase {
  private final Catalog catalog;
  private final BookSearch search;
  private final Circulation circulation;
  private final Recommendations recommendations;
  private final BookAssembler assembler;
  private final Clock clock;

  /** Wires the service; the assembler that embeds authors and categories stays internal. */
  public static BookGrpcService create(
      Catalog catalog,
      BookSearch search,
      Circulation circulation,
      Recommendations recommendations,
      AuthorDirectory authors,
      CategoryDirectory categories,
      AuthorNames authorNames,
      Clock clock) {
    return new BookGrpcService(
        catalog,
        search,
        circulation,
        recommendations,
        new BookAssembler(authors, categories, authorNames),
        clock);
  }

  private BookGrpcService(
      Catalog catalog,
      BookSearch search,
      Circulation circulation,
      Recommendations recommendations,
      BookAssembler assembler,
      Clock clock) {
    this.catalog = catalog;
    this.search = search;
    this.circulation = circulation;
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
    reply(response, DeleteBookResponse.getDefaultInstance());
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
    Circulation.Borrowed loan = circulation.borrow(CallerContext.current(), request.getId(), request.getUserId());
    reply(
        response,
        BorrowBookResponse.newBuilder()
            .setTransactionId(loan.loanId().toString())
            .setBookId(loan.bookId().toString())
            .setUserId(loan.userId().toString())
            .setDueAt(timestamp(loan.dueAt()))
            .setAvailableCopies(loan.availableCopies())
            .build());
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
            .build());
  }

  @Override
  public void getBookRecommendations(
      GetBookRecommendationsRequest request,
      StreamObserver<GetBookRecommendationsResponse> response) {
    var rows = recommendations.forBook(request.getId(), request.getLimit());
    reply(
        response,
        GetBookRecommendationsResponse.newBuilder()
            .addAllBooks(rows.isEmpty() ? List.of() : assembler.read(rows))
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
            .setBookTitle(row.bookTitle());
    if (row.returnedAt() != null) {
      loan.setReturnedAt(timestamp(row.returnedAt())).setStatus(LoanStatus.RETURNED);
    } else {
      loan.setStatus(
          row.dueAt().isBefore(clock.instant()) ? LoanStatus.OVERDUE : LoanStatus.ACTIVE);
    }
    return loan.build();
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
