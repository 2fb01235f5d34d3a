package dev.library.bench;

import dev.library.bench.data.CatalogGenerator;
import dev.library.bench.data.CatalogLoader;
import dev.library.bench.goal.Goals;
import dev.library.bench.pg.PgBench;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.GoalResult;
import dev.library.bench.report.ReportWriter;
import dev.library.bench.report.RunReport;
import dev.library.bench.report.WorkloadReport;
import dev.library.bench.system.Directories;
import dev.library.bench.system.Machine;
import dev.library.bench.system.PostgresAddress;
import dev.library.bench.system.ProductionSettings;
import dev.library.bench.system.SystemUnderTest;
import dev.library.bench.workload.BenchContext;
import dev.library.bench.workload.BorrowReturnWorkload;
import dev.library.bench.workload.CatalogScaleWorkload;
import dev.library.bench.workload.EmptyRpcWorkload;
import dev.library.bench.workload.FanOutWorkload;
import dev.library.bench.workload.GetBookWorkload;
import dev.library.bench.workload.HoldQueueWorkload;
import dev.library.bench.workload.HotBookWorkload;
import dev.library.bench.workload.LoginWorkload;
import dev.library.bench.workload.RenewLoanWorkload;
import dev.library.bench.workload.SystemWarmUp;
import dev.library.bench.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code make bench}: starts the system, loads the first catalog size, runs the workloads in an
 * order where each leaves the next a known state (the catalog only grows in the last one), and
 * writes the reports. Exit status 1 when a workload failed or a consistency check did not hold.
 */
public final class BenchMain {
  /** Catalog-scale goes last: it grows the catalog the others measure on. */
  private static final List<Workload> WORKLOADS =
      List.of(
          new EmptyRpcWorkload(),
          new GetBookWorkload(),
          new FanOutWorkload(),
          new BorrowReturnWorkload(),
          new HotBookWorkload(),
          new HoldQueueWorkload(),
          new RenewLoanWorkload(),
          new LoginWorkload(),
          new CatalogScaleWorkload());

  public static void main(String[] args) throws Exception {
    BenchConfig config;
    try {
      config = BenchConfig.parse(args);
    } catch (BenchConfig.UsageException e) {
      System.err.println(e.getMessage());
      System.err.printf(BenchConfig.USAGE, WORKLOADS.stream().map(Workload::id).collect(Collectors.joining(",")));
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    System.exit(new BenchMain().run(config));
  }

  private int run(BenchConfig config) throws Exception {
    long started = System.nanoTime();
    LocalDateTime startedAt = LocalDateTime.now(ZoneOffset.UTC);
    System.out.printf("library bench, %s mode, %s%n", config.mode(), Machine.describe());
    Optional<PgBench> pgbench = PgBench.find();
    if (pgbench.isEmpty()) {
      System.out.println(
          "pgbench not found: the borrow/return comparison is skipped. Install it with: "
              + "apt-get install -y postgresql-client");
    }
    ProductionSettings settings = ProductionSettings.read(config.processConfig());
    Optional<PostgresAddress> server =
        config.jdbcUrl().map(url -> PostgresAddress.parse(url, config.dbUser(), config.dbPassword()));
    Path work = Files.createTempDirectory("library-bench-");
    List<WorkloadReport> reports = new ArrayList<>();
    Map<String, String> setup;
    boolean failed = false;
    try (SystemUnderTest system = SystemUnderTest.start(settings, server)) {
      System.out.printf("system started in %.1f s%n", (System.nanoTime() - started) / 1e9);
      CatalogLoader catalog =
          new CatalogLoader(new CatalogGenerator(config.seed()), system::connect);
      CatalogLoader.Step first = catalog.growTo(config.catalogSizes().get(0));
      System.out.printf("catalog of %s books loaded in %.1f s%n", Format.count(first.toBooks()), first.seconds());
      setup = setup(config, system, pgbench);
      BenchContext context = new BenchContext(config, system, catalog, pgbench, work);
      SystemWarmUp.run(context);
      for (Workload workload : WORKLOADS) {
        if (!config.runs(workload.id())) {
          continue;
        }
        try {
          reports.add(workload.run(context));
        } catch (Exception | AssertionError e) {
          failed = true;
          System.out.printf("workload %s failed: %s%n", workload.id(), e);
          e.printStackTrace(System.out);
          reports.add(new WorkloadReport(
              workload.id(), workload.id() + " (failed)", "The workload did not finish.",
              List.of(), List.of(Finding.check(workload.id(), false, "failed", e.toString())), List.of()));
        }
      }
    } finally {
      Directories.deleteTree(work);
    }
    RunReport run =
        new RunReport(
            config.mode(),
            command(config),
            startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
            (System.nanoTime() - started) / 1e9,
            Machine.describe(),
            setup,
            reports,
            Goals.evaluate(reports, config.catalogSizes()));
    Path folder =
        ReportWriter.write(
            run,
            config.resultsRoot(),
            startedAt.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + config.mode());
    System.out.printf("%nSummary%n");
    for (Finding finding : run.headlines()) {
      System.out.printf("  %-70s %s%n", finding.name(), finding.value());
    }
    System.out.printf("%nGoals%n");
    for (GoalResult goal : run.goals()) {
      System.out.printf("  %-12s %s: %s%n", goal.status().label(), goal.measure(), goal.measured());
    }
    System.out.printf("%nresults in %s (results.md, results.json, chart.svg, performance.md); took %.0f s%n",
        folder.toAbsolutePath(), run.durationSeconds());
    boolean problems = run.workloads().stream().flatMap(w -> w.findings().stream()).anyMatch(Finding::problem);
    return failed || problems ? 1 : 0;
  }

  private static Map<String, String> setup(BenchConfig config, SystemUnderTest system, Optional<PgBench> pgbench) {
    Map<String, String> setup = new LinkedHashMap<>();
    setup.put("system under test",
        "the four services and the REST gateway in one JVM, started like the system tests start it "
            + "(free ports); the load generator runs in the same JVM, on the same cores");
    setup.put("PostgreSQL", system.postgresVersion() + "; the Book service's pool: " + system.poolSize("book") + " connections");
    setup.put("pgbench", pgbench.map(p -> p.version() + " (" + p.executable() + ", Debian postgresql-client)")
        .orElse("not installed: apt-get install -y postgresql-client"));
    setup.put("bcrypt cost", system.bcryptCost() + " (" + system.settings().bcryptCostSource() + ")");
    setup.put("catalog",
        "generated from seed " + config.seed() + ": " + CatalogGenerator.CATEGORIES + " categories, one author "
            + "per 20 books, 1 to 3 categories and 1 to 5 copies per book; COPY into each service's database");
    setup.put("windows",
        "warm-up " + config.warmUp().toSeconds() + " s then " + config.measured().toSeconds()
            + " s measured per row; catalog queries " + config.queryWarmUp().toMillis() / 1000.0 + " s + "
            + config.queryMeasured().toSeconds() + " s");
    setup.put("load generator",
        "closed loop (each client one request in flight), grpc-java async stubs over one HTTP/2 "
            + "connection per service, an event-loop HTTP/1.1 client (Armeria's WebClient) for REST, HdrHistogram latencies");
    if (!config.only().isEmpty()) {
      setup.put("workloads", "only " + String.join(", ", config.only()));
    }
    return setup;
  }

  /** The command that reproduces this run. */
  private static String command(BenchConfig config) {
    List<String> args = new ArrayList<>();
    if (config.quick()) {
      args.add("--quick");
    }
    config.jdbcUrl().ifPresent(url -> args.add("--jdbc-url " + url));
    if (args.isEmpty()) {
      return "make bench";
    }
    return args.size() == 1 && config.quick() ? "make bench ARGS=--quick" : "make bench ARGS='" + String.join(" ", args) + "'";
  }
}
