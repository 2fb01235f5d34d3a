package dev.library.bench.goal;

import dev.library.bench.load.LoadResult;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.GoalResult;
import dev.library.bench.report.Measurement;
import dev.library.bench.report.WorkloadReport;
import dev.library.bench.workload.BorrowReturnWorkload;
import dev.library.bench.workload.CatalogScaleWorkload;
import dev.library.bench.workload.GetBookWorkload;
import dev.library.bench.workload.FanOutWorkload;
import dev.library.bench.workload.HotBookWorkload;
import dev.library.bench.workload.LoginWorkload;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The performance goals of issue 13, decided from a run's own rows and findings: each is met, not
 * met, or not measured (with the reason) when the run lacks what decides it. Goals are read, not
 * enforced: a goal not met does not change the exit status, which stays about failures and
 * consistency checks.
 */
public final class Goals {
  /** The catalog size the ListBooks goals are set at, and the size growth is measured from. */
  static final int GOAL_BOOKS = 1_000_000;

  static final int BASE_BOOKS = 10_000;
  static final double PAGE_P99_MS = 50;
  static final double GROWTH = 2.0;
  static final double MIN_RATIO = 0.6;
  static final double DOWNSTREAM_PER_PAGE = 2.0;
  static final double LOGIN_PER_BCRYPT = 1.5;

  // The rows of the get-book and borrow-return workloads, by the names those workloads give them.
  static final List<Integer> EDGE_CONCURRENCY = List.of(1, 16, 64);
  static final List<Integer> BORROW_CONCURRENCY = List.of(1, 16);

  private record Part(String label, String query) {}

  private static final List<Part> FIRST_PAGES =
      List.of(
          new Part("title search \"garden\"", CatalogScaleWorkload.TITLE_SEARCH),
          new Part("category filter", CatalogScaleWorkload.CATEGORY_FILTER),
          new Part("all by title", CatalogScaleWorkload.ALL_BY_TITLE));

  private static final List<Part> TOKEN_PAGES =
      List.of(
          new Part("n/2 by token", CatalogScaleWorkload.DEEP_BY_TOKEN),
          new Part("last page by token", CatalogScaleWorkload.DEEPEST_BY_TOKEN));

  private final List<WorkloadReport> workloads;
  private final List<Integer> catalogSizes;

  private Goals(List<WorkloadReport> workloads, List<Integer> catalogSizes) {
    this.workloads = workloads;
    this.catalogSizes = catalogSizes;
  }

  /** The goals, in the order, against the workloads of a run over these catalog sizes. */
  public static List<GoalResult> evaluate(List<WorkloadReport> workloads, List<Integer> catalogSizes) {
    Goals goals = new Goals(workloads, catalogSizes);
    return List.of(
        goals.firstPages(),
        goals.growth(),
        goals.deepPage(),
        goals.restEdge(),
        goals.borrowReturn(),
        goals.hotBook(),
        goals.fanOut(),
        goals.login());
  }

  private GoalResult firstPages() {
    String measure = "ListBooks page 1 at " + Format.count(GOAL_BOOKS) + " books, p50 / p99: "
        + FIRST_PAGES.stream().map(Part::label).collect(Collectors.joining(" · "));
    String goal = "p99 < " + millis(PAGE_P99_MS) + " each";
    return catalog(measure, goal, FIRST_PAGES, size -> catalogRows(size, FIRST_PAGES)
        .map(rows -> atSize(size) + figures(FIRST_PAGES, rows, r -> Format.ms(r.p50Ms()) + " / " + Format.ms(r.p99Ms()) + " ms"))
        .orElse(null), rows -> rows.stream().allMatch(r -> r.p99Ms() < PAGE_P99_MS));
  }

  private GoalResult growth() {
    String measure = "ListBooks page 1, p50 at " + Format.count(GOAL_BOOKS) + " ÷ p50 at " + Format.count(BASE_BOOKS)
        + " (same three queries)";
    String goal = "≤ " + times(GROWTH) + " each";
    Optional<List<LoadResult>> base = catalogRows(BASE_BOOKS, FIRST_PAGES);
    if (base.isEmpty()) {
      return GoalResult.notMeasured(measure, goal, "", missing(CatalogScaleWorkload.ID, Format.count(BASE_BOOKS) + " books"));
    }
    Function<Integer, String> ratios =
        size -> catalogRows(size, FIRST_PAGES)
            .map(rows -> {
              List<String> parts = new ArrayList<>();
              for (int i = 0; i < rows.size(); i++) {
                parts.add(FIRST_PAGES.get(i).label() + " " + Format.ratio(rows.get(i).p50Ms(), base.get().get(i).p50Ms()));
              }
              String prefix = size == GOAL_BOOKS ? "" : Format.count(size) + " ÷ " + Format.count(BASE_BOOKS) + ": ";
              return prefix + String.join(" · ", parts);
            })
            .orElse(null);
    return catalog(measure, goal, FIRST_PAGES, ratios, rows -> {
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i).p50Ms() > GROWTH * base.get().get(i).p50Ms()) {
          return false;
        }
      }
      return true;
    });
  }

  private GoalResult deepPage() {
    String measure = "Deep pages at " + Format.count(GOAL_BOOKS) + " books through a page token, p50 / p99: "
        + TOKEN_PAGES.stream().map(Part::label).collect(Collectors.joining(" · "));
    String goal = "p99 < " + millis(PAGE_P99_MS) + " at any depth";
    return catalog(measure, goal, TOKEN_PAGES, size -> catalogRows(size, TOKEN_PAGES)
        .map(rows -> atSize(size) + figures(TOKEN_PAGES, rows, r -> Format.ms(r.p50Ms()) + " / " + Format.ms(r.p99Ms()) + " ms")
            + row(CatalogScaleWorkload.ID, CatalogScaleWorkload.variant(size, CatalogScaleWorkload.DEEP_BY_OFFSET), 1)
                .map(r -> " (offset n/2: " + Format.ms(r.p50Ms()) + " / " + Format.ms(r.p99Ms()) + " ms)")
                .orElse(""))
        .orElse(null), rows -> rows.stream().allMatch(r -> r.p99Ms() < PAGE_P99_MS));
  }

  /**
   * A ListBooks goal at {@link #GOAL_BOOKS}: decided there, or not measured with the figures of
   * the largest size the run did reach ({@code figures} gives null for a size without the rows).
   */
  private GoalResult catalog(
      String measure, String goal, List<Part> parts, Function<Integer, String> figures,
      Predicate<List<LoadResult>> met) {
    Optional<List<LoadResult>> atGoal = catalogRows(GOAL_BOOKS, parts);
    if (atGoal.isPresent()) {
      return GoalResult.decided(measure, goal, figures.apply(GOAL_BOOKS), met.test(atGoal.get()));
    }
    if (catalogSizes.contains(GOAL_BOOKS)) {
      return GoalResult.notMeasured(measure, goal, "", missing(CatalogScaleWorkload.ID, Format.count(GOAL_BOOKS) + " books"));
    }
    for (int i = catalogSizes.size() - 1; i >= 0; i--) {
      int size = catalogSizes.get(i);
      if (size < GOAL_BOOKS && size > BASE_BOOKS && catalogRows(size, parts).isPresent()) {
        return GoalResult.notMeasured(
            measure, goal, figures.apply(size),
            "this run stops at " + Format.count(size) + " books (`make bench` goes on to " + Format.count(GOAL_BOOKS) + ")");
      }
    }
    return GoalResult.notMeasured(measure, goal, "", missing(CatalogScaleWorkload.ID, Format.count(GOAL_BOOKS) + " books"));
  }

  private GoalResult restEdge() {
    return sideBySide(
        "GetBook throughput, REST through the gateway ÷ direct gRPC",
        "≥ " + times(MIN_RATIO) + " at every concurrency (" + concurrencies(EDGE_CONCURRENCY) + ")",
        GetBookWorkload.ID, GetBookWorkload.REST, GetBookWorkload.GRPC, EDGE_CONCURRENCY);
  }

  private GoalResult borrowReturn() {
    String measure = "BorrowBook + ReturnBook throughput, service ÷ pgbench running the same SQL (durable commits both sides)";
    String goal = "≥ " + times(MIN_RATIO) + " at " + concurrencies(BORROW_CONCURRENCY);
    List<Measurement> rows = workload(BorrowReturnWorkload.ID).map(WorkloadReport::measurements).orElse(List.of());
    if (!rows.isEmpty() && rows.stream().noneMatch(m -> m.variant().equals(BorrowReturnWorkload.PGBENCH))) {
      return GoalResult.notMeasured(measure, goal, "", "pgbench is not installed (apt-get install -y postgresql-client)");
    }
    return sideBySide(measure, goal, BorrowReturnWorkload.ID, BorrowReturnWorkload.SERVICE, BorrowReturnWorkload.PGBENCH, BORROW_CONCURRENCY);
  }

  /** Throughput of {@code variant} ÷ {@code limit} at each concurrency, each at least {@link #MIN_RATIO}. */
  private GoalResult sideBySide(
      String measure, String goal, String workload, String variant, String limit, List<Integer> concurrency) {
    List<String> parts = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    boolean met = true;
    for (int clients : concurrency) {
      Optional<LoadResult> measured = row(workload, variant, clients);
      Optional<LoadResult> bound = row(workload, limit, clients);
      if (measured.isEmpty() || bound.isEmpty()) {
        missing.add(clients);
        continue;
      }
      parts.add("c=" + clients + " " + Format.ratio(measured.get().opsPerSecond(), bound.get().opsPerSecond()));
      met &= measured.get().opsPerSecond() >= MIN_RATIO * bound.get().opsPerSecond();
    }
    String figures = String.join(" · ", parts);
    if (missing.isEmpty()) {
      return GoalResult.decided(measure, goal, figures, met);
    }
    String reason =
        parts.isEmpty() && workload(workload).map(w -> w.measurements().isEmpty()).orElse(true)
            ? missing(workload, "its rows")
            : "this run has no row at " + concurrencies(missing) + " (`make bench` runs " + concurrencies(concurrency) + ")";
    return GoalResult.notMeasured(measure, goal, figures, reason);
  }

  private GoalResult hotBook() {
    String measure = "Hot book: 64 simultaneous borrows of 10 copies, exactly 10 lent and the counts agree";
    String goal = "exact in every round (10 rounds in `make bench`)";
    return finding(HotBookWorkload.ID, HotBookWorkload.CONSISTENCY_CHECK)
        .map(check -> GoalResult.decided(measure, goal, check.value(), !check.problem()))
        .orElseGet(() -> GoalResult.notMeasured(measure, goal, "", missing(HotBookWorkload.ID, "its check")));
  }

  private GoalResult fanOut() {
    String measure = "Downstream RPCs per ListBooks page, page size "
        + FanOutWorkload.PAGE_SIZES.stream().map(String::valueOf).collect(Collectors.joining(" and "));
    String goal = String.format(Locale.ROOT, "%.0f at each size", DOWNSTREAM_PER_PAGE);
    List<String> parts = new ArrayList<>();
    boolean met = true;
    for (int size : FanOutWorkload.PAGE_SIZES) {
      Optional<Double> perPage = finding(FanOutWorkload.ID, FanOutWorkload.perPageFinding(size)).flatMap(Goals::number);
      if (perPage.isEmpty()) {
        return GoalResult.notMeasured(measure, goal, "", missing(FanOutWorkload.ID, "page size " + size));
      }
      parts.add("size " + size + ": " + String.format(Locale.ROOT, "%.2f", perPage.get()));
      // Averages over whole pages of the meters' counts: any extra call shows in the second decimal.
      met &= Math.abs(perPage.get() - DOWNSTREAM_PER_PAGE) < 0.005;
    }
    return GoalResult.decided(measure, goal, String.join(" · ", parts), met);
  }

  private GoalResult login() {
    String measure = "Login ÷ one bare bcrypt verification at the same cost, p50 with one client";
    String goal = "about one bcrypt per login (≤ " + times(LOGIN_PER_BCRYPT) + ")";
    Optional<LoadResult> login = row(LoginWorkload.ID, LoginWorkload.LOGIN, 1);
    Optional<LoadResult> bcrypt = row(LoginWorkload.ID, LoginWorkload.BARE_BCRYPT, 1);
    if (login.isEmpty() || bcrypt.isEmpty()) {
      return GoalResult.notMeasured(measure, goal, "", missing(LoginWorkload.ID, "its rows"));
    }
    return GoalResult.decided(
        measure, goal,
        Format.ratio(login.get().p50Ms(), bcrypt.get().p50Ms()) + " (" + Format.ms(login.get().p50Ms()) + " vs "
            + Format.ms(bcrypt.get().p50Ms()) + " ms)",
        login.get().p50Ms() <= LOGIN_PER_BCRYPT * bcrypt.get().p50Ms());
  }

  /** The rows of these catalog queries at a size, all or none. */
  private Optional<List<LoadResult>> catalogRows(int size, List<Part> parts) {
    List<LoadResult> rows = new ArrayList<>();
    for (Part part : parts) {
      Optional<LoadResult> row = row(CatalogScaleWorkload.ID, CatalogScaleWorkload.variant(size, part.query()), 1);
      if (row.isEmpty()) {
        return Optional.empty();
      }
      rows.add(row.get());
    }
    return Optional.of(rows);
  }

  /** Figures of a size other than the goal's say which. */
  private static String atSize(int size) {
    return size == GOAL_BOOKS ? "" : "at " + Format.count(size) + ": ";
  }

  /** A goal's factor as the issue writes it: 0.6×, 2×. */
  private static String times(double factor) {
    return new BigDecimal(Double.toString(factor)).stripTrailingZeros().toPlainString() + "×";
  }

  private static String millis(double ms) {
    return String.format(Locale.ROOT, "%.0f ms", ms);
  }

  private static String figures(List<Part> parts, List<LoadResult> rows, Function<LoadResult, String> figure) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      out.add(parts.get(i).label() + " " + figure.apply(rows.get(i)));
    }
    return String.join(" · ", out);
  }

  private Optional<WorkloadReport> workload(String id) {
    return workloads.stream().filter(w -> w.id().equals(id)).findFirst();
  }

  private Optional<LoadResult> row(String workload, String variant, int concurrency) {
    return workload(workload).flatMap(
        w -> w.measurements().stream()
            .filter(m -> m.variant().equals(variant) && m.concurrency() == concurrency)
            .map(Measurement::result)
            .filter(r -> r.ok() > 0)
            .findFirst());
  }

  private Optional<Finding> finding(String workload, String name) {
    return workload(workload).flatMap(w -> w.findings().stream().filter(f -> f.name().equals(name)).findFirst());
  }

  private static Optional<Double> number(Finding finding) {
    try {
      return Optional.of(Double.parseDouble(finding.value()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Why a workload's figures are missing: not selected, failed, or without these rows. */
  private String missing(String id, String what) {
    Optional<WorkloadReport> report = workload(id);
    if (report.isEmpty()) {
      return "`" + id + "` was not run (--only)";
    }
    if (report.get().findings().stream().anyMatch(f -> f.problem() && f.name().equals(id))) {
      return "`" + id + "` failed";
    }
    return "`" + id + "` has no figures for " + what + " (see its findings)";
  }

  private static String concurrencies(List<Integer> clients) {
    List<String> c = clients.stream().map(n -> "c=" + n).toList();
    return c.size() == 1 ? c.get(0) : String.join(", ", c.subList(0, c.size() - 1)) + " and " + c.get(c.size() - 1);
  }
}
