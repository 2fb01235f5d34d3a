package dev.library.bench.workload;

import dev.library.bench.data.CatalogGenerator;
import dev.library.bench.data.CatalogLoader;
import dev.library.bench.data.Ids;
import dev.library.bench.load.GrpcCalls;
import dev.library.bench.load.LoadResult;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.WorkloadReport;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.BookSortField;
import dev.library.book.v1.ListBooksRequest;
import dev.library.book.v1.ListBooksResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * ListBooks as the catalog grows (10k, 100k, 1M books, each step bulk-loaded with COPY): a title
 * search, a category filter, the first page sorted by title, a deep page by offset (half the
 * catalog) and by page token (the same depth, and the last page), and a ranked search (a word, a
 * misspelling of it, the word with facets). p50/p99 per size show how each query's cost grows
 * with the data; the goals of the report ({@code Goals}) read these rows by their names below.
 */
public final class CatalogScaleWorkload implements Workload {
  public static final String ID = "catalog-scale";
  public static final String TITLE_SEARCH =
      "title_query=\"" + CatalogGenerator.sampleTitleWord() + "\", by title, page 1";
  public static final String CATEGORY_FILTER = "category filter, by title, page 1";
  public static final String ALL_BY_TITLE = "all books by title, page 1";
  public static final String DEEP_BY_OFFSET = "all books by title, deep page (offset n/2)";
  public static final String DEEP_BY_TOKEN = "all books by title, deep page (n/2) by page_token";
  public static final String DEEPEST_BY_TOKEN = "all books by title, deepest page by page_token";
  public static final String RANKED = "query=\"" + CatalogGenerator.sampleTitleWord() + "\", ranked, page 1";
  public static final String RANKED_MISSPELT =
      "query=\"" + CatalogGenerator.sampleMisspeltTitleWord() + "\" (misspelt), ranked, page 1";
  public static final String RANKED_FACETS =
      "query=\"" + CatalogGenerator.sampleTitleWord() + "\", ranked, page 1 + facets (top 10)";

  private static final int PAGE_SIZE = 20;

  @Override
  public String id() {
    return ID;
  }

  /** The name of a row: the catalog size, then the query. */
  public static String variant(int books, String query) {
    return Format.count(books) + " · " + query;
  }

  /**
   * A ListBooks request for a catalog of the given size; the stub is there for requests that
   * need a page token first (fetched once, outside the measurement).
   */
  private record Query(String name, BiFunction<Integer, BookServiceGrpc.BookServiceBlockingStub, ListBooksRequest> request) {}

  private static final List<Query> QUERIES =
      List.of(
          new Query(
              TITLE_SEARCH,
              (size, stub) -> byTitle(1).setTitleQuery(CatalogGenerator.sampleTitleWord()).build()),
          new Query(
              CATEGORY_FILTER,
              (size, stub) -> byTitle(1).addCategoryIds(Ids.category(CatalogGenerator.sampleCategoryIndex()).toString()).build()),
          new Query(ALL_BY_TITLE, (size, stub) -> byTitle(1).build()),
          new Query(DEEP_BY_OFFSET, (size, stub) -> byTitle(middlePage(size)).build()),
          // The same depth as the offset row, reached the way a client pages on: the token of the
          // page before it (fetched by number, once).
          new Query(DEEP_BY_TOKEN, (size, stub) -> afterPage(stub, middlePage(size) - 1)),
          new Query(DEEPEST_BY_TOKEN, (size, stub) -> afterPage(stub, size / PAGE_SIZE - 1)),
          new Query(RANKED, (size, stub) -> ranked(CatalogGenerator.sampleTitleWord()).build()),
          // No book has the word, so the search falls back to trigram similarity of titles.
          new Query(RANKED_MISSPELT, (size, stub) -> ranked(CatalogGenerator.sampleMisspeltTitleWord()).build()),
          new Query(RANKED_FACETS, (size, stub) -> ranked(CatalogGenerator.sampleTitleWord()).setFacetLimit(10).build()));

  @Override
  public WorkloadReport run(BenchContext context) throws Exception {
    List<Integer> sizes = context.config().catalogSizes();
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "Catalog scale: ListBooks at " + sizes.stream().map(Format::count).collect(Collectors.joining(", ")) + " books",
            "How does the cost of ListBooks grow with the catalog?");
    String token = context.system().adminToken();
    BookServiceGrpc.BookServiceStub books = context.books(token);
    BookServiceGrpc.BookServiceBlockingStub blocking = context.blockingBooks(token);
    Map<String, Map<Integer, LoadResult>> byQuery = new LinkedHashMap<>();
    List<String> matches = new ArrayList<>();
    for (int size : sizes) {
      CatalogLoader.Step step = context.catalog().growTo(size);
      if (step.toBooks() > step.fromBooks()) {
        report.finding(
            Finding.detail(
                "COPY load " + Format.count(step.fromBooks()) + " → " + Format.count(step.toBooks()) + " books",
                Math.round(step.seconds()) + " s",
                (step.toBooks() - step.fromBooks()) + " books, " + step.authorsAdded() + " authors, "
                    + step.linksAdded() + " category links, into three databases, indexes in place"));
      }
      for (Query query : QUERIES) {
        ListBooksRequest request;
        ListBooksResponse first;
        try {
          request = query.request().apply(size, blocking);
          first = BenchContext.deadline(blocking).listBooks(request);
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
            throw e;
          }
          // Too slow to answer at all (the service's statement timeout): a figure of this size,
          // not a reason to lose the other rows.
          report.finding(
              Finding.headline(
                  variant(size, query.name()), "not measured",
                  "the first call (or the page it needs a token from) ran out of time: " + e.getStatus()));
          continue;
        }
        if (first.getBooksCount() == 0) {
          throw new IllegalStateException(query.name() + " found nothing at " + size + " books");
        }
        matches.add(Format.count(size) + " " + query.name() + ": " + first.getTotal());
        LoadResult result =
            report.add(
                variant(size, query.name()),
                1,
                context.queryLoop(1).run(client -> GrpcCalls.status(BenchContext.deadline(books)::listBooks, request)));
        if (result.ok() == 0) {
          report.finding(
              Finding.headline(
                  variant(size, query.name()), "not measured",
                  "no call finished inside the " + context.config().queryMeasured().toSeconds()
                      + " s window: each took longer (errors: " + Format.errors(result.errors()) + ")"));
          continue;
        }
        byQuery.computeIfAbsent(query.name(), q -> new LinkedHashMap<>()).put(size, result);
      }
    }
    byQuery.forEach(
        (name, results) -> {
          if (results.size() > 1) {
            report.finding(growth(name, results));
          }
        });
    if (context.config().quick()) {
      report.note("Quick mode stops at " + Format.count(sizes.get(sizes.size() - 1))
          + " books; the full run (`make bench`) goes on to 1M.");
    }
    report.note("One client (latency, not throughput), direct gRPC, page size " + PAGE_SIZE
        + "; every answer embeds authors and categories. Matching books (total): " + String.join("; ", matches) + ".");
    return report.build();
  }

  private static Finding growth(String query, Map<Integer, LoadResult> results) {
    List<Integer> sizes = new ArrayList<>(results.keySet());
    LoadResult smallest = results.get(sizes.get(0));
    LoadResult largest = results.get(sizes.get(sizes.size() - 1));
    String steps =
        sizes.stream()
            .map(size -> Format.count(size) + " " + Format.ms(results.get(size).p50Ms()))
            .collect(Collectors.joining(" → "));
    return Finding.headline(
        "ListBooks " + query + ", p50 " + Format.count(sizes.get(0)) + " → " + Format.count(sizes.get(sizes.size() - 1)),
        Format.ratio(largest.p50Ms(), smallest.p50Ms()),
        "p50 ms: " + steps + " (p99 " + Format.ms(smallest.p99Ms()) + " → " + Format.ms(largest.p99Ms()) + " ms)");
  }

  /** The page at offset n/2. */
  private static int middlePage(int size) {
    return size / 2 / PAGE_SIZE + 1;
  }

  /** The page after {@code page}, asked by the token that page returns. */
  private static ListBooksRequest afterPage(BookServiceGrpc.BookServiceBlockingStub stub, int page) {
    ListBooksResponse before = BenchContext.deadline(stub).listBooks(byTitle(page).build());
    return byTitle(0).setPageToken(before.getNextPageToken()).build();
  }

  private static ListBooksRequest.Builder ranked(String words) {
    return ListBooksRequest.newBuilder().setQuery(words).setPageSize(PAGE_SIZE);
  }

  private static ListBooksRequest.Builder byTitle(int page) {
    return ListBooksRequest.newBuilder().setSortBy(BookSortField.TITLE).setPage(page).setPageSize(PAGE_SIZE);
  }
}
