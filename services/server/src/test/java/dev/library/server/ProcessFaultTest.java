package dev.library.server;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.grpc.GrpcServer;
import dev.library.runtime.testing.TestAccounts;
import dev.library.runtime.testing.process.LibraryProcess;
import dev.library.testing.Rest;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole library in one real process (the {@code make run} shape), put through what only a
 * real process meets, in this order on the same process and data (starting a process is the
 * costly part of these tests):
 *
 * <ol>
 *   <li>{@code kill -9} while members borrow and return, then a start on the same data: it works
 *       the first time (the PostgreSQL the dead JVM left running is stopped first), and every
 *       borrow and return a client was answered 200 for is in the database;
 *   <li>its database misbehaving under load: PostgreSQL killed, PostgreSQL frozen (SIGSTOP, with
 *       more clients than pooled connections), a statement stuck behind a lock. Callers get 503
 *       or 504, never 500; the service reports NOT_SERVING (gRPC health and /healthcheck) while
 *       its database cannot answer; it heals by itself (a killed PostgreSQL is restarted by the
 *       application); nothing acknowledged is lost; the log has a line per burst of failures;
 *   <li>SIGTERM while members borrow and return and users log in: every call in flight gets its
 *       real answer, later ones 503 or a refused connection, none 500, and the process exits 0
 *       after draining in order.
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessFaultTest {
  private static LibraryProcess process;
  private static Rest rest;
  private static FaultFixture.Library library;

  @BeforeAll
  static void start() {
    process =
        LibraryProcess.hosting("all")
            // Shorter than the defaults (10 s, 5 s) only to keep the frozen-database part short.
            .override("services.book.database.socketTimeout", "4s")
            .override("services.book.database.statementTimeout", "2s")
            .override("grpcShutdownGracePeriod", "10s")
            .start();
    rest = new Rest(process.gatewayPort());
    // More members than the Book service's 16 pooled connections.
    library = FaultFixture.library(rest, new TestAccounts(process.channel("auth")), 16, 1000, 32);
  }

  @AfterAll
  static void stop() {
    if (process != null) {
      process.close();
    }
  }

  @Test
  @Order(1)
  void everyAcknowledgedBorrowAndReturnSurvivesKillNineAndTheFirstRestartWorks() throws Exception {
    BorrowReturnLoad load =
        BorrowReturnLoad.start(rest, library.members().subList(0, 8), library.books());
    load.awaitSuccesses(150, Duration.ofSeconds(60));
    long orphan = process.database().postmaster().orElseThrow().pid();
    process.kill();
    load.close();
    // The JVM is gone; its PostgreSQL is not: that is what made the next start fail before.
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

    process.start();

    assertThat(process.database().postmaster().orElseThrow().pid()).isNotEqualTo(orphan);
    assertThat(process.logTail(400)).contains("left running by an earlier process");
    FaultFixture.assertNothingAcknowledgedLost(process, load);
    assertThat(load.outcomes()).doesNotContainKey(500);
  }

  /** What the Book service's grpc.health.v1 said, and when. */
  private record HealthSample(long atNanos, String status) {}

  @Test
  @Order(2)
  void aKilledAFrozenAndALockedDatabaseGive503Or504ThenHealWithNothingLost() throws Exception {
    ConcurrentLinkedQueue<HealthSample> health = new ConcurrentLinkedQueue<>();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> sampleHealth(process.channel("book"), sampling, health));
    sampler.start();
    BorrowReturnLoad load = BorrowReturnLoad.start(rest, library.members(), library.books());
    try {
      load.awaitSuccesses(100, Duration.ofSeconds(60));

      // 1. PostgreSQL killed: the application starts it again on the same port; pools reconnect.
      long killedAt = System.nanoTime();
      long killed = process.database().kill();
      await().atMost(Duration.ofSeconds(30))
          .alias("a new postmaster")
          .until(() -> process.database().postmaster().map(p -> p.pid() != killed).orElse(false));
      load.awaitSuccesses(100, Duration.ofSeconds(30));
      System.out.printf(
          "PostgreSQL killed: borrows and returns failed for %d ms%n", outage(load, killedAt).toMillis());
      List<String> afterKill = statusesSince(health, killedAt);
      assertThat(afterKill).as("book health after the kill").contains("NOT_SERVING");
      assertThat(afterKill.get(afterKill.size() - 1)).isEqualTo("SERVING");

      // 2. PostgreSQL frozen: connections open, nothing answers; 32 clients, 16 connections.
      long frozenAt = System.nanoTime();
      process.database().freeze();
      try {
        await().atMost(Duration.ofSeconds(15))
            .alias("book health NOT_SERVING")
            .until(() -> statusesSince(health, frozenAt), s -> s.contains("NOT_SERVING"));
        // What liveness probes ask stays SERVING: the database is down, not the process, and an
        // orchestrator must not restart it for that.
        assertThat(
                HealthGrpc.newBlockingStub(process.channel("book"))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(GrpcServer.LIVENESS).build())
                    .getStatus())
            .isEqualTo(ServingStatus.SERVING);
        await().atMost(Duration.ofSeconds(15)).alias("/healthcheck 500")
            .until(ProcessFaultTest::healthcheck, s -> s == 500);
        await().atMost(Duration.ofSeconds(30))
            .alias("32 failed borrows and returns")
            .until(() -> failuresSince(load, frozenAt), n -> n >= 32);
      } finally {
        process.database().thaw();
      }
      long thawedAt = System.nanoTime();
      load.awaitSuccesses(100, Duration.ofSeconds(30));
      System.out.printf(
          "PostgreSQL frozen for %d ms: borrows and returns failed for %d ms%n",
          Duration.ofNanos(thawedAt - frozenAt).toMillis(), outage(load, frozenAt).toMillis());
      await().atMost(Duration.ofSeconds(15)).alias("/healthcheck 200")
          .until(ProcessFaultTest::healthcheck, s -> s == 200);
      assertThat(statusesSince(health, thawedAt)).last().isEqualTo("SERVING");
      List<String> frozenReasons =
          load.calls().stream()
              .filter(c -> c.sentNanos() > frozenAt && c.sentNanos() < thawedAt && c.status() == 503)
              .map(c -> reason(c.body()))
              .distinct()
              .toList();
      assertThat(frozenReasons).as("why calls failed while frozen").contains("DATABASE_BUSY");
    } finally {
      load.close();
      sampling.set(false);
      sampler.join();
    }

    // 3. A statement stuck behind a row lock ends at statement_timeout: 504, nothing changed.
    String book = library.books().get(0);
    try (Connection holder = process.database().connect("library_book")) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock =
          holder.prepareStatement("SELECT 1 FROM books WHERE id = ? FOR UPDATE")) {
        lock.setObject(1, UUID.fromString(book));
        lock.executeQuery().close();
      }
      JsonNode timedOut =
          rest.post("/api/v1/books/" + book + "/borrow")
              .bearer(library.members().get(0).token())
              .body("{}")
              .send()
              .expectError(504, 4);
      assertThat(reason(timedOut.toString())).isEqualTo("DATABASE_TIMEOUT");
      holder.rollback();
    }

    Map<Integer, Long> outcomes = load.outcomes();
    assertThat(outcomes).as("outcomes %s", outcomes).doesNotContainKey(500).containsKey(503);
    assertThat(outcomes.keySet()).as("outcomes %s", outcomes).isSubsetOf(200, 400, 503, 504);
    FaultFixture.assertNothingAcknowledgedLost(process, load);

    String log = String.join("\n", Files.readAllLines(process.log()));
    long failures = outcomes.getOrDefault(503, 0L) + outcomes.getOrDefault(504, 0L);
    long faultLines = log.lines().filter(l -> l.contains("book database: DATABASE_")).count();
    assertThat(faultLines)
        .as("log lines about %d failed requests", failures)
        .isPositive()
        .isLessThan(Math.max(10, failures / 20));
    assertThat(log).doesNotContain("unexpected failure in").contains("more failures in the last burst");
  }

  @Test
  @Order(3)
  void sigtermUnderLoadLetsCallsInFlightFinishAndExitsZero() throws Exception {
    AtomicBoolean loggingIn = new AtomicBoolean(true);
    ConcurrentLinkedQueue<BorrowReturnLoad.Call> logins = new ConcurrentLinkedQueue<>();
    List<Thread> loginThreads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread thread = new Thread(() -> logIn(loggingIn, logins), "login-" + i);
      thread.start();
      loginThreads.add(thread);
    }
    BorrowReturnLoad load =
        BorrowReturnLoad.start(rest, library.members().subList(8, 16), library.books());
    load.awaitSuccesses(100, Duration.ofSeconds(60));

    long signalled = System.nanoTime();
    process.terminate();
    int exitCode = process.awaitExit();
    load.close();
    loggingIn.set(false);
    for (Thread thread : loginThreads) {
      thread.join();
    }

    List<BorrowReturnLoad.Call> calls = new ArrayList<>(load.calls());
    calls.addAll(logins);
    assertThat(exitCode).as("exit code after SIGTERM\n%s", process.logTail(80)).isZero();
    assertThat(calls).as("calls answered 500").noneMatch(call -> call.status() == 500);
    List<BorrowReturnLoad.Call> inFlight =
        calls.stream().filter(c -> c.sentNanos() < signalled && c.answeredNanos() > signalled).toList();
    assertThat(inFlight)
        .as("calls in flight when SIGTERM came: each got its real answer")
        .isNotEmpty()
        .allSatisfy(call -> assertThat(call.status()).as("%s", call).isIn(200, 400));
    assertThat(inFlight.stream().filter(c -> c.operation().equals("login")))
        .as("logins in flight when SIGTERM came")
        .isNotEmpty();
    assertThat(calls)
        .as("calls after the signal: answered, refused as unavailable, or not connected")
        .allSatisfy(call -> assertThat(call.status()).as("%s", call).isIn(0, 200, 400, 503));
    // The request log (a line per call under this load) would push the lifecycle out of any
    // short tail: read the whole log without it.
    String lifecycle =
        process
            .logTail(Integer.MAX_VALUE)
            .lines()
            .filter(line -> !line.contains("dev.library.access") && !line.contains("dev.library.requests"))
            .collect(java.util.stream.Collectors.joining("\n"));
    assertThat(lifecycle)
        .containsSubsequence(
            "SIGTERM received",
            "every service reports NOT_SERVING",
            "REST gateway stopped",
            "book: gRPC server stopped",
            "auth: gRPC server stopped",
            "embedded PostgreSQL stopped")
        .doesNotContain("cancelling them");
  }

  private static void logIn(AtomicBoolean running, ConcurrentLinkedQueue<BorrowReturnLoad.Call> calls) {
    while (running.get()) {
      long sent = System.nanoTime();
      int status;
      String body;
      try {
        Rest.Reply reply =
            rest.post("/api/v1/auth/login")
                .body(Map.of("username", "admin", "password", TestAccounts.ADMIN_PASSWORD))
                .send();
        status = reply.status();
        body = reply.body();
      } catch (RuntimeException noAnswer) {
        status = 0;
        body = String.valueOf(noAnswer.getMessage());
      }
      calls.add(new BorrowReturnLoad.Call("login", sent, System.nanoTime(), status, body));
      if (status != 200) {
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
  }

  private static void sampleHealth(
      ManagedChannel book, AtomicBoolean running, ConcurrentLinkedQueue<HealthSample> samples) {
    HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(book);
    while (running.get()) {
      String status;
      try {
        ServingStatus serving =
            stub.withDeadlineAfter(1, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus();
        status = serving.name();
      } catch (RuntimeException e) {
        status = "ERROR";
      }
      samples.add(new HealthSample(System.nanoTime(), status));
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  private static List<String> statusesSince(ConcurrentLinkedQueue<HealthSample> samples, long since) {
    return samples.stream().filter(s -> s.atNanos() > since).map(HealthSample::status).toList();
  }

  /** From the first call after {@code since} that failed to the first success sent after it. */
  private static Duration outage(BorrowReturnLoad load, long since) {
    List<BorrowReturnLoad.Call> calls =
        load.calls().stream()
            .filter(c -> c.sentNanos() > since)
            .sorted(Comparator.comparingLong(BorrowReturnLoad.Call::sentNanos))
            .toList();
    long firstFailure =
        calls.stream()
            .filter(c -> c.status() != 200)
            .mapToLong(BorrowReturnLoad.Call::answeredNanos)
            .min()
            .orElse(since);
    long recovered =
        calls.stream()
            .filter(c -> c.sentNanos() > firstFailure && c.status() == 200)
            .mapToLong(BorrowReturnLoad.Call::answeredNanos)
            .min()
            .orElse(firstFailure);
    return Duration.ofNanos(recovered - firstFailure);
  }

  private static long failuresSince(BorrowReturnLoad load, long since) {
    return load.calls().stream().filter(c -> c.sentNanos() > since && c.status() != 200).count();
  }

  private static int healthcheck() {
    try {
      return new Rest(process.adminPort()).get("/healthcheck").timeout(Duration.ofSeconds(10)).send().status();
    } catch (RuntimeException noAnswer) {
      return -1;
    }
  }

  /** The ErrorInfo reason of a google.rpc.Status JSON body. */
  private static String reason(String body) {
    try {
      for (JsonNode detail : Rest.JSON.readTree(body).path("details")) {
        if (detail.path("@type").asText().endsWith("google.rpc.ErrorInfo")) {
          return detail.path("reason").asText();
        }
      }
    } catch (java.io.IOException e) {
      return "not JSON: " + body;
    }
    return "no ErrorInfo: " + body;
  }
}
