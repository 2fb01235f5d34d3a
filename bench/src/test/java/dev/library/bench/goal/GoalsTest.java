package dev.library.bench.goal;

import dev.library.bench.workload.BorrowReturnWorkload;
import dev.library.bench.workload.GetBookWorkload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.bench.load.LoadResult;
import dev.library.bench.report.Finding;
import dev.library.bench.report.GoalResult;
import dev.library.bench.report.GoalResult.Status;
import dev.library.bench.report.Measurement;
import dev.library.bench.report.WorkloadReport;
import dev.library.bench.workload.CatalogScaleWorkload;
import dev.library.bench.workload.FanOutWorkload;
import dev.library.bench.workload.HotBookWorkload;
import dev.library.bench.workload.LoginWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The goals decided from synthetic runs: every goal met, every goal missed, and runs that lack figures. */
class GoalsTest {
  private static final List<Integer> FULL = List.of(10_000, 100_000, 1_000_000);
  private static final List<Integer> QUICK = List.of(10_000, 100_000);
  private static final List<String> FIRST_PAGES =
      List.of(CatalogScaleWorkload.TITLE_SEARCH, CatalogScaleWorkload.CATEGORY_FILTER, CatalogScaleWorkload.ALL_BY_TITLE);
  private static final List<String> TOKEN_PAGES =
      List.of(CatalogScaleWorkload.DEEP_BY_TOKEN, CatalogScaleWorkload.DEEPEST_BY_TOKEN);

  /** A row with a throughput and a latency (p50 = p99 = {@code ms}, unless given apart). */
  private static LoadResult result(double opsPerSecond, double p50Ms, double p99Ms) {
    return new LoadResult(100, 1, opsPerSecond, p50Ms, p99Ms, p99Ms, p99Ms, Map.of());
  }

  private static WorkloadReport workload(String id, List<Measurement> rows, List<Finding> findings) {
    return new WorkloadReport(id, id, "?", rows, findings, List.of());
  }

  /** The catalog rows: first pages at p50 {@code firstP50} (p99 {@code firstP99}) above 10k, 2 ms at 10k. */
  private static WorkloadReport catalog(List<Integer> sizes, double firstP50, double firstP99, double tokenP99) {
    List<Measurement> rows = new ArrayList<>();
    for (int size : sizes) {
      for (String query : FIRST_PAGES) {
        LoadResult r = size == 10_000 ? result(500, 2, 4) : result(100, firstP50, firstP99);
        rows.add(new Measurement(CatalogScaleWorkload.variant(size, query), 1, r));
      }
      rows.add(new Measurement(CatalogScaleWorkload.variant(size, CatalogScaleWorkload.DEEP_BY_OFFSET), 1, result(5, 150, 200)));
      for (String query : TOKEN_PAGES) {
        rows.add(new Measurement(CatalogScaleWorkload.variant(size, query), 1, result(200, 3, tokenP99)));
      }
    }
    return workload(CatalogScaleWorkload.ID, rows, List.of());
  }

  private static WorkloadReport sideBySide(
      String id, String variant, String limit, List<Integer> concurrency, double ratio, boolean withLimit) {
    List<Measurement> rows = new ArrayList<>();
    for (int c : concurrency) {
      rows.add(new Measurement(variant, c, result(1000 * ratio, 1, 2)));
      if (withLimit) {
        rows.add(new Measurement(limit, c, result(1000, 1, 2)));
      }
    }
    return workload(id, rows, List.of());
  }

  private static List<WorkloadReport> run(
      List<Integer> sizes, double firstP50, double firstP99, double tokenP99, double restRatio,
      List<Integer> borrowConcurrency, double borrowRatio, boolean pgbench, boolean hotBookHeld,
      String perPageAt50, double loginMs) {
    return List.of(
        sideBySide(GetBookWorkload.ID, GetBookWorkload.REST, GetBookWorkload.GRPC, List.of(1, 16, 64), restRatio, true),
        workload(FanOutWorkload.ID, List.of(),
            List.of(Finding.detail(FanOutWorkload.perPageFinding(5), "2.00", "authors 1, categories 1"),
                Finding.detail(FanOutWorkload.perPageFinding(50), perPageAt50, "authors 1, categories 1"))),
        sideBySide(BorrowReturnWorkload.ID, BorrowReturnWorkload.SERVICE, BorrowReturnWorkload.PGBENCH, borrowConcurrency, borrowRatio, pgbench),
        workload(HotBookWorkload.ID, List.of(),
            List.of(Finding.check(HotBookWorkload.CONSISTENCY_CHECK, hotBookHeld,
                hotBookHeld ? "held in 10/10 rounds" : "FAILED in 1/10 rounds", "…"))),
        workload(LoginWorkload.ID,
            List.of(new Measurement(LoginWorkload.LOGIN, 1, result(4, loginMs, loginMs)),
                new Measurement(LoginWorkload.LOGIN, 2, result(8, loginMs, loginMs)),
                new Measurement(LoginWorkload.BARE_BCRYPT, 1, result(4, 240, 250))),
            List.of()),
        catalog(sizes, firstP50, firstP99, tokenP99));
  }

  @Test
  void aFullRunWithinEveryGoalMeetsThemAll() {
    List<GoalResult> goals =
        Goals.evaluate(run(FULL, 3, 20, 8, 0.7, List.of(1, 16), 0.65, true, true, "2.00", 250), FULL);

    assertThat(goals).hasSize(8).extracting(GoalResult::status).containsOnly(Status.MET);
    assertThat(goals.get(0).measured()).contains("title search \"garden\" 3.00 / 20.0 ms");
    assertThat(goals.get(1).measured()).contains("all by title 1.50×");
    assertThat(goals.get(2).measured()).contains("last page by token 3.00 / 8.00 ms").contains("offset n/2: 150 / 200 ms");
    assertThat(goals.get(3).measured()).isEqualTo("c=1 0.70× · c=16 0.70× · c=64 0.70×");
    assertThat(goals.get(5).measured()).isEqualTo("held in 10/10 rounds");
    assertThat(goals.get(7).measured()).startsWith("1.04×");
  }

  @Test
  void aFullRunOutsideEveryGoalMeetsNone() {
    List<GoalResult> goals =
        Goals.evaluate(run(FULL, 5, 60, 51, 0.55, List.of(1, 16), 0.59, true, false, "26.00", 400), FULL);

    assertThat(goals).extracting(GoalResult::status).containsOnly(Status.NOT_MET);
    assertThat(goals.get(1).measured()).contains("title search \"garden\" 2.50×");
    assertThat(goals.get(6).measured()).isEqualTo("size 5: 2.00 · size 50: 26.00");
  }

  @Test
  void oneQueryOrConcurrencyOutsideItsGoalMissesTheWholeGoal() {
    List<WorkloadReport> workloads =
        new ArrayList<>(run(FULL, 3, 20, 8, 0.7, List.of(1, 16), 0.65, true, true, "2.00", 250));
    List<Measurement> rows = new ArrayList<>(workloads.get(5).measurements());
    rows.replaceAll(m -> m.variant().equals(CatalogScaleWorkload.variant(1_000_000, CatalogScaleWorkload.CATEGORY_FILTER))
        ? new Measurement(m.variant(), 1, result(10, 3, 50)) : m);
    workloads.set(5, workload(CatalogScaleWorkload.ID, rows, List.of()));
    List<Measurement> edge = new ArrayList<>(workloads.get(0).measurements());
    edge.replaceAll(m -> m.variant().equals(GetBookWorkload.REST) && m.concurrency() == 64 ? new Measurement(m.variant(), 64, result(590, 1, 2)) : m);
    workloads.set(0, workload(GetBookWorkload.ID, edge, List.of()));

    List<GoalResult> goals = Goals.evaluate(workloads, FULL);

    assertThat(goals.get(0).status()).isEqualTo(Status.NOT_MET);
    assertThat(goals.get(2).status()).isEqualTo(Status.MET);
    assertThat(goals.get(3).status()).isEqualTo(Status.NOT_MET);
    assertThat(goals.get(3).measured()).endsWith("c=64 0.59×");
  }

  @Test
  void aQuickRunWithoutPgbenchLeavesWhatItCannotDecideNotMeasured() {
    List<GoalResult> goals =
        Goals.evaluate(run(QUICK, 3, 20, 8, 0.7, List.of(16), 0.65, false, true, "2.00", 250), QUICK);

    assertThat(goals.get(1).measured()).startsWith("100k ÷ 10k: title search");
    for (int i = 0; i < 3; i++) {
      assertThat(goals.get(i).status()).isEqualTo(Status.NOT_MEASURED);
      assertThat(goals.get(i).measured()).startsWith(i == 1 ? "100k ÷ 10k: " : "at 100k: ");
      assertThat(goals.get(i).reason()).contains("stops at 100k books");
    }
    assertThat(goals.get(3).status()).isEqualTo(Status.MET);
    assertThat(goals.get(4).status()).isEqualTo(Status.NOT_MEASURED);
    assertThat(goals.get(4).reason()).contains("pgbench is not installed");
    assertThat(goals.subList(5, 8)).extracting(GoalResult::status).containsOnly(Status.MET);
  }

  @Test
  void aFullRunWithoutARowAt1MLeavesItsGoalNotMeasured() {
    List<WorkloadReport> workloads =
        new ArrayList<>(run(FULL, 3, 20, 8, 0.7, List.of(1, 16), 0.65, true, true, "2.00", 250));
    List<Measurement> rows = new ArrayList<>(workloads.get(5).measurements());
    rows.removeIf(m -> m.variant().equals(CatalogScaleWorkload.variant(1_000_000, CatalogScaleWorkload.DEEPEST_BY_TOKEN)));
    workloads.set(5, workload(CatalogScaleWorkload.ID, rows, List.of()));

    List<GoalResult> goals = Goals.evaluate(workloads, FULL);

    assertThat(goals.get(0).status()).isEqualTo(Status.MET);
    assertThat(goals.get(2).status()).isEqualTo(Status.NOT_MEASURED);
    assertThat(goals.get(2).reason()).isEqualTo("`catalog-scale` has no figures for 1M books (see its findings)");
  }

  @Test
  void aMissingConcurrencyIsNamedAndTheOthersShown() {
    List<GoalResult> goals =
        Goals.evaluate(run(FULL, 3, 20, 8, 0.7, List.of(16), 0.65, true, true, "2.00", 250), FULL);

    assertThat(goals.get(4).status()).isEqualTo(Status.NOT_MEASURED);
    assertThat(goals.get(4).measured()).isEqualTo("c=16 0.65×");
    assertThat(goals.get(4).reason()).contains("no row at c=1");
  }

  @Test
  void workloadsNotRunOrFailedAreTheReason() {
    WorkloadReport failed =
        workload(LoginWorkload.ID, List.of(), List.of(Finding.check(LoginWorkload.ID, false, "failed", "boom")));

    List<GoalResult> goals = Goals.evaluate(List.of(failed), FULL);

    assertThat(goals).extracting(GoalResult::status).containsOnly(Status.NOT_MEASURED);
    assertThat(goals.get(0).reason()).contains("`catalog-scale` was not run");
    assertThat(goals.get(3).reason()).contains("`get-book` was not run");
    assertThat(goals.get(7).reason()).isEqualTo("`login` failed");
  }
}
