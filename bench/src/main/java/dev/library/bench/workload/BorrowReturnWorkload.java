package dev.library.bench.workload;

import dev.library.bench.data.Ids;
import dev.library.bench.load.GrpcCalls;
import dev.library.bench.load.LoadResult;
import dev.library.bench.pg.PgBench;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.WorkloadReport;
import dev.library.bench.system.PostgresAddress;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.BorrowBookResponse;
import dev.library.book.v1.ReturnBookRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Borrow-and-return cycles over the catalog's five-copy books, each client a member of its own:
 * through the service (two RPCs per cycle) and as the same SQL transactions run by pgbench
 * against the same PostgreSQL at the same concurrency. service/pgbench is how close the service
 * comes to what the database alone can do. The script must stay the service's statements, the
 * request_id ledger's included (the calls carry request ids): a script that skips some of them
 * measures a database doing less work than the service asks of it.
 *
 * <p>pgbench runs the transactions a second time with {@code synchronous_commit=off}: commits
 * that return before their WAL is on disk, as the embedded PostgreSQL ran before durability was
 * made the default. on/off is what durable commits cost.
 */
public final class BorrowReturnWorkload implements Workload {
  private static final String SCRIPT = "borrow-return.sql";
  private static final Map<String, String> DURABLE = Map.of("synchronous_commit", "on");
  private static final Map<String, String> NOT_DURABLE = Map.of("synchronous_commit", "off");

  public static final String ID = "borrow-return";
  /** The rows' names, which the report's goals read the ratio from. */
  public static final String SERVICE = "service: BorrowBook + ReturnBook (gRPC)";
  public static final String PGBENCH = "pgbench: same SQL, same database";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WorkloadReport run(BenchContext context) throws Exception {
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "Borrow + return cycles: the service vs pgbench",
            "How close do BorrowBook + ReturnBook come to the same SQL transactions run by pgbench "
                + "on the same PostgreSQL at the same concurrency?");
    String token = context.system().adminToken();
    BookServiceGrpc.BookServiceStub books = context.books(token);
    // Every fifth catalog book has 5 copies: clients rarely meet, and never run a book dry.
    int fiveCopyBooks = context.catalog().books() / 5;
    PostgresAddress bookDatabase = context.system().database("book");
    for (int concurrency : context.config().borrowConcurrency()) {
      long run = context.nextRunKey();
      LoadResult service =
          report.add(
              SERVICE,
              concurrency,
              context.loop(concurrency).run(client -> cycle(books, run, client, fiveCopyBooks)));
      if (context.pgbench().isEmpty()) {
        continue;
      }
      LoadResult limit = pgbench(context, report, bookDatabase, concurrency, fiveCopyBooks);
      report.finding(
          Finding.headline(
              "Borrow+return service/pgbench throughput, c=" + concurrency,
              Format.ratio(service.opsPerSecond(), limit.opsPerSecond()),
              Format.rate(service.opsPerSecond()) + " vs " + Format.rate(limit.opsPerSecond())
                  + " cycles/s; p50 " + Format.ms(service.p50Ms()) + " vs " + Format.ms(limit.p50Ms()) + " ms"));
    }
    if (context.pgbench().isEmpty()) {
      report.note("pgbench not found, so no comparison: install it with `apt-get install -y postgresql-client`.");
    }
    checkCopies(context, report);
    report.note(
        "A cycle is BorrowBook then ReturnBook of a random five-copy book (" + fiveCopyBooks + " of them) "
            + "for the client's own member (the admin token acts for members, as a librarian does). "
            + "pgbench script: bench/src/main/resources/dev/library/bench/pg/" + SCRIPT
            + " (prepared statements, same database, pgbench's per-transaction log for the "
            + "percentiles): statement for statement the service's, its request_id ledger included "
            + "(per call a claim, the work's transaction, the recorded answer). The service also pays "
            + "gRPC, the token check, JDBI and the pool (whose validation query runs at most every "
            + "30 s per connection, not per borrowed connection). The service and the first pgbench row commit "
            + "durably (synchronous_commit=on, the embedded server's fsync on); the second pgbench "
            + "row sets synchronous_commit=off for its sessions only (PGOPTIONS), on the same server, "
            + "right after the first.");
    return report.build();
  }

  /** One borrow-and-return of a random five-copy book by client {@code client}'s own member. */
  static CompletableFuture<String> cycle(
      BookServiceGrpc.BookServiceStub books, long run, int client, int fiveCopyBooks) {
    String bookId = Ids.book(5 * ThreadLocalRandom.current().nextInt(fiveCopyBooks) + 4).toString();
    String member = Ids.member(run * 1000 + client).toString();
    CompletableFuture<BorrowBookResponse> borrowed =
        GrpcCalls.unary(
            BenchContext.deadline(books)::borrowBook,
            BorrowBookRequest.newBuilder()
                .setId(bookId)
                .setUserId(member)
                // As a careful client does, so that a retry after a timeout lends once.
                .setRequestId(UUID.randomUUID().toString())
                .build());
    return borrowed.thenCompose(
        loan ->
            GrpcCalls.status(
                BenchContext.deadline(books)::returnBook,
                ReturnBookRequest.newBuilder()
                    .setId(bookId)
                    .setTransactionId(loan.getTransactionId())
                    .setUserId(member)
                    .setRequestId(UUID.randomUUID().toString())
                    .build()));
  }

  private static LoadResult pgbench(
      BenchContext context, WorkloadReport.Builder report, PostgresAddress database, int concurrency, int fiveCopyBooks)
      throws Exception {
    PgBench pgbench = context.pgbench().orElseThrow();
    Path script = PgBench.script(SCRIPT, context.workDirectory());
    // Warm-up as its own pgbench run (pgbench cannot leave its first seconds out of the log).
    pgbench.run(database, script, concurrency, context.config().warmUp(),
        variables(context.nextRunKey(), fiveCopyBooks), context.workDirectory(), false);
    BookUpdates before = BookUpdates.read(context);
    LoadResult result =
        report.add(
            PGBENCH,
            concurrency,
            pgbench.run(database, script, concurrency, context.config().measured(),
                variables(context.nextRunKey(), fiveCopyBooks), DURABLE, context.workDirectory(), true));
    report.finding(BookUpdates.read(context).since(before).finding(concurrency));
    // Right after the durable run, so the database is as warm: the same transactions, each commit
    // answered before its WAL is flushed.
    LoadResult unsynced =
        report.add(
            "pgbench: same SQL, synchronous_commit=off",
            concurrency,
            pgbench.run(database, script, concurrency, context.config().measured(),
                variables(context.nextRunKey(), fiveCopyBooks), NOT_DURABLE, context.workDirectory(), true));
    report.finding(
        Finding.headline(
            "Durable commits, pgbench borrow+return synchronous_commit on/off, c=" + concurrency,
            Format.ratio(result.opsPerSecond(), unsynced.opsPerSecond()),
            Format.rate(result.opsPerSecond()) + " vs " + Format.rate(unsynced.opsPerSecond())
                + " cycles/s; p50 " + Format.ms(result.p50Ms()) + " vs " + Format.ms(unsynced.p50Ms())
                + " ms: what waiting for the WAL flush at each commit costs"));
    return result;
  }

  /**
   * PostgreSQL's counters of updates to the books table, of them HOT (heap-only: no new index
   * entries). Read around a pgbench run, whose backends report their counts when they exit.
   */
  private record BookUpdates(long updates, long hot, long indexes, long ginIndexes) {
    static BookUpdates read(BenchContext context) throws SQLException {
      try (Connection db = context.system().connect("book");
          Statement sql = db.createStatement();
          ResultSet row =
              sql.executeQuery(
                  "SELECT n_tup_upd, n_tup_hot_upd, (SELECT count(*) FROM pg_indexes WHERE tablename = 'books'), "
                      + "(SELECT count(*) FROM pg_indexes WHERE tablename = 'books' AND indexdef LIKE '% USING gin %') "
                      + "FROM pg_stat_user_tables WHERE relname = 'books'")) {
        row.next();
        return new BookUpdates(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
      }
    }

    BookUpdates since(BookUpdates before) {
      return new BookUpdates(updates - before.updates, hot - before.hot, indexes, ginIndexes);
    }

    Finding finding(int concurrency) {
      return Finding.detail(
          "HOT share of books updates during pgbench, c=" + concurrency,
          updates == 0 ? "n/a" : Math.round(100.0 * hot / updates) + "%",
          hot + " of " + updates + " updates were heap-only. Borrows and returns change only "
              + "available_copies, which no index covers, so they can stay on the page; an update "
              + "that is not HOT adds an entry to each of the " + indexes + " indexes of books ("
              + ginIndexes + " of them GIN)");
    }
  }

  private static Map<String, String> variables(long run, int fiveCopyBooks) {
    return Map.of("run", Long.toString(run), "books5", Integer.toString(fiveCopyBooks));
  }

  /** Reads back, for every book, that copies on the shelf plus copies on loan make the total. */
  private static void checkCopies(BenchContext context, WorkloadReport.Builder report) throws SQLException {
    try (Connection db = context.system().connect("book");
        Statement sql = db.createStatement();
        ResultSet row =
            sql.executeQuery(
                "SELECT count(*) FILTER (WHERE b.available_copies <> b.total_copies - coalesce(l.active, 0)), "
                    + "coalesce(sum(l.active), 0) FROM books b LEFT JOIN (SELECT book_id, count(*) AS active "
                    + "FROM loans WHERE returned_at IS NULL GROUP BY book_id) l ON l.book_id = b.id")) {
      row.next();
      long wrong = row.getLong(1);
      long active = row.getLong(2);
      report.finding(
          Finding.check(
              "available = total − active loans, every book, after the cycles",
              wrong == 0,
              wrong == 0 ? "holds" : "BROKEN for " + wrong + " books",
              active + " loans still active (read from the book database)"));
    }
  }
}
