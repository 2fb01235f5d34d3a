package dev.library.bench.workload;

import dev.library.bench.load.LatencyHistogram;
import dev.library.bench.load.LoadResult;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.WorkloadReport;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.BookSortField;
import dev.library.book.v1.ListBooksRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Downstream RPCs per ListBooks page, counted by the process itself (the downstream.* meters on
 * the admin /metrics) around a fixed number of sequential pages: page size 5 against 50. A fixed
 * count per page, whatever its size, is the absence of the original's N+1.
 */
public final class FanOutWorkload implements Workload {
  public static final String ID = "fan-out";
  public static final List<Integer> PAGE_SIZES = List.of(5, 50);
  /** The services whose answers a page embeds (authors and categories), by method-name prefix. */
  private static final List<String> EMBEDDED_SERVICES =
      List.of("library.author.v1.AuthorService/", "library.category.v1.CategoryService/");

  /** The finding whose value is the downstream RPCs per page at a page size, as a number. */
  public static String perPageFinding(int pageSize) {
    return "downstream RPCs per page, page_size=" + pageSize;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WorkloadReport run(BenchContext context) {
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "Fan-out: downstream RPCs per ListBooks page",
            "How many calls to other services does one page of books cost, at page size 5 and 50?");
    BookServiceGrpc.BookServiceBlockingStub books = context.blockingBooks(context.system().adminToken());
    int pages = context.config().fanOutPages();
    Map<Integer, Double> perPage = new TreeMap<>();
    Map<Integer, LoadResult> timings = new TreeMap<>();
    for (int size : PAGE_SIZES) {
      // Pages across the catalog, so authors and categories differ from page to page.
      int pageCount = Math.max(1, context.catalog().books() / size);
      for (int warm = 0; warm < 5; warm++) {
        BenchContext.deadline(books).listBooks(page(size, 1 + warm));
      }
      Map<String, Long> before = context.system().downstreamCalls();
      Histogram latencies = LatencyHistogram.create();
      long start = System.nanoTime();
      for (int i = 0; i < pages; i++) {
        long begin = System.nanoTime();
        int returned = BenchContext.deadline(books).listBooks(page(size, 1 + (i * 37) % pageCount)).getBooksCount();
        LatencyHistogram.recordNanos(latencies, System.nanoTime() - begin);
        if (returned != size) {
          throw new IllegalStateException("asked for " + size + " books, got " + returned);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Long> calls = difference(before, context.system().downstreamCalls());
      // Only calls to the services a page embeds: the process's own background calls (the auth
      // revocation poll) land in the same meters now and then, and are not the page's.
      double total =
          calls.entrySet().stream()
                  .filter(e -> EMBEDDED_SERVICES.stream().anyMatch(e.getKey()::startsWith))
                  .mapToLong(Map.Entry::getValue)
                  .sum()
              / (double) pages;
      perPage.put(size, total);
      timings.put(
          size,
          report.add("ListBooks page_size=" + size + " (sequential)", 1, LoadResult.of(latencies, seconds, Map.of())));
      report.finding(
          Finding.detail(
              perPageFinding(size),
              String.format(Locale.ROOT, "%.2f", total),
              calls.entrySet().stream()
                  .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue() / (double) pages))
                  .collect(Collectors.joining(", "))
                  + " (per page, over " + pages + " pages; the value counts the author and category calls only)"));
    }
    report.finding(
        Finding.headline(
            "Downstream RPCs per ListBooks page, size 5 vs 50",
            String.format(Locale.ROOT, "%.2f vs %.2f", perPage.get(5), perPage.get(50)),
            "constant in the page size: authors and categories are fetched in one batch call each"));
    report.finding(
        Finding.detail(
            "ListBooks p50, page_size 50 / page_size 5",
            Format.ratio(timings.get(50).p50Ms(), timings.get(5).p50Ms()),
            "what ten times the rows costs end to end (" + pages + " pages one after the other, sorted by title)"));
    return report.build();
  }

  private static ListBooksRequest page(int size, int page) {
    return ListBooksRequest.newBuilder()
        .setPageSize(size)
        .setPage(page)
        .setSortBy(BookSortField.TITLE)
        .build();
  }

  private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new TreeMap<>();
    Set<String> methods = new HashSet<>(after.keySet());
    for (String method : methods) {
      long n = after.get(method) - before.getOrDefault(method, 0L);
      if (n > 0) {
        delta.put(method, n);
      }
    }
    return delta;
  }
}
