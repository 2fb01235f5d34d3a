package dev.library.bench.workload;

import dev.library.bench.BenchConfig;
import dev.library.bench.data.CatalogLoader;
import dev.library.bench.data.Ids;
import dev.library.bench.load.ClosedLoop;
import dev.library.bench.pg.PgBench;
import dev.library.bench.system.SystemUnderTest;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.runtime.testing.Credentials;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What workloads share: the running system, its catalog, pgbench, and the run's settings. */
public final class BenchContext {
  /** Every call gets this deadline, so a hang is counted as DEADLINE_EXCEEDED, not waited out. */
  static final long DEADLINE_SECONDS = 30;

  private final BenchConfig config;
  private final SystemUnderTest system;
  private final CatalogLoader catalog;
  private final Optional<PgBench> pgbench;
  private final Path workDirectory;
  private final AtomicLong runKeys = new AtomicLong();
  /** Clients per run never exceed this (the highest concurrency measured is 64). */
  private static final int MEMBERS_PER_RUN = 128;

  public BenchContext(
      BenchConfig config,
      SystemUnderTest system,
      CatalogLoader catalog,
      Optional<PgBench> pgbench,
      Path workDirectory) {
    this.config = config;
    this.system = system;
    this.catalog = catalog;
    this.pgbench = pgbench;
    this.workDirectory = workDirectory;
  }

  public BenchConfig config() {
    return config;
  }

  public SystemUnderTest system() {
    return system;
  }

  public CatalogLoader catalog() {
    return catalog;
  }

  public Optional<PgBench> pgbench() {
    return pgbench;
  }

  public Path workDirectory() {
    return workDirectory;
  }

  /** A closed loop with the run's warm-up and window. */
  public ClosedLoop loop(int concurrency) {
    return new ClosedLoop(concurrency, config.warmUp(), config.measured());
  }

  /** A closed loop with the (shorter) windows of the catalog queries, of which there are many. */
  public ClosedLoop queryLoop(int concurrency) {
    return new ClosedLoop(concurrency, config.queryWarmUp(), config.queryMeasured());
  }

  /** Async Book stub acting with {@code token}; add a deadline per call with {@link #deadline}. */
  public BookServiceGrpc.BookServiceStub books(String token) {
    return BookServiceGrpc.newStub(system.channel("book")).withCallCredentials(Credentials.bearer(token));
  }

  public BookServiceGrpc.BookServiceBlockingStub blockingBooks(String token) {
    return BookServiceGrpc.newBlockingStub(system.channel("book"))
        .withCallCredentials(Credentials.bearer(token));
  }

  /** The stub with a fresh deadline (a stub's deadline is absolute, so one per call). */
  static <S extends io.grpc.stub.AbstractStub<S>> S deadline(S stub) {
    return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * A number no other run of this bench process has: it keeps each run's members fresh. The
   * members {@code run * 1000 + client} of the new run get accounts in the auth database (the
   * Book service lends only to accounts that exist), added directly like the catalog is.
   */
  public long nextRunKey() {
    long run = runKeys.incrementAndGet();
    try (Connection auth = system.connect("auth");
        PreparedStatement insert =
            auth.prepareStatement(
                "INSERT INTO users (id, username, email, password_hash) "
                    + "VALUES (?, ?, ?, '!') ON CONFLICT DO NOTHING")) {
      for (int client = 0; client < MEMBERS_PER_RUN; client++) {
        long key = run * 1000 + client;
        insert.setObject(1, Ids.member(key));
        insert.setString(2, "bench-" + key);
        insert.setString(3, "bench-" + key + "@bench.invalid");
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the run's members in the auth database", e);
    }
    return run;
  }

  /** One of {@code ids}, chosen at random. */
  public static String randomBookId(String[] ids) {
    return ids[ThreadLocalRandom.current().nextInt(ids.length)];
  }

  /** Ids of the first {@code n} catalog books, computed once (md5 per call would be load-generator work). */
  public static String[] bookIds(int n) {
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Ids.book(i).toString();
    }
    return ids;
  }
}
