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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * ListBooks as the catalog grows (10k, 100k, 1M books, each step bulk-loaded with COPY): a title
 * search, a category filter, the first page sorted by title, a deep page (offset half the
 * catalog), the last page by page token, and a ranked search with and without facets. p50/p99 per size show how each query's cost grows with the data.
 */
public final class CatalogScaleWorkload implements Workload {
  private static final int PAGE_SIZE = 20;

  @Override
  public String id() {
    return "catalog-scale";
  }

  /**
   * A ListBooks request for a catalog of the given size; the stub is there for requests that
   * need a page token first (fetched once, outside the measurement).
   */
  private record Query(String name, BiFunction<Integer, BookServiceGrpc.BookServiceBlockingStub, ListBooksRequest> request) {}

  private static final List<Query> QUERIES =
      List.of(
          new Query(
              "title_query=\"" + CatalogGenerator.sampleTitleWord() + "\", by title, page 1",
              (size, stub) -> byTitle(1).setTitleQuery(CatalogGenerator.sampleTitleWord()).build()),
          new Query(
              "category filter, by title, page 1",
              (size, stub) -> byTitle(1).addCategoryIds(Ids.category(CatalogGenerator.sampleCategoryIndex()).toString()).build()),
          new Query("all books by title, page 1", (size, stub) -> byTitle(1).build()),
          new Query(
              "all books by title, deep page (offset n/2)",
              (size, stub) -> byTitle(size / 2 / PAGE_SIZE + 1).build()),
          new Query(
              "all books by title, deepest page by page_token",
              (size, stub) -> {
                // The page before the last one, by number (once), gives the last page's token.
                ListBooksResponse beforeLast =
                    BenchContext.deadline(stub).listBooks(byTitle(size / PAGE_SIZE - 1).build());
                return byTitle(0).setPageToken(beforeLast.getNextPageToken()).build();
              }),
          new Query(
              "query=\"" + CatalogGenerator.sampleTitleWord() + "\", ranked, page 1",
              (size, stub) -> ranked().build()),
          new Query(
              "query=\"" + CatalogGenerator.sampleTitleWord() + "\", ranked, page 1 + facets (top 10)",
              (size, stub) -> ranked().setFacetLimit(10).build()));
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
        ListBooksRequest request = query.request().apply(size, blocking);
        ListBooksResponse first = BenchContext.deadline(blocking).listBooks(request);
        if (first.getBooksCount() == 0) {
          throw new IllegalStateException(query.name() + " found nothing at " + size + " books");
        }
        matches.add(Format.count(size) + " " + query.name() + ": " + first.getTotal());
        LoadResult result =
            report.add(
                Format.count(size) + " · " + query.name(),
                1,
                context.queryLoop(1).run(client -> GrpcCalls.status(BenchContext.deadline(books)::listBooks, request)));
        byQuery.computeIfAbsent(query.name(), q -> new LinkedHashMap<>()).put(size, result);
      }
    }
    byQuery.forEach((name, results) -> report.finding(growth(name, results)));
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

  private static ListBooksRequest.Builder ranked() {
    return ListBooksRequest.newBuilder().setQuery(CatalogGenerator.sampleTitleWord()).setPageSize(PAGE_SIZE);
  }

  private static ListBooksRequest.Builder byTitle(int page) {
    return ListBooksRequest.newBuilder().setSortBy(BookSortField.TITLE).setPage(page).setPageSize(PAGE_SIZE);
  }
}
