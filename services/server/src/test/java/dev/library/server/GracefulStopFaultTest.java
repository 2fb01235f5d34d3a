package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.testing.TestAccounts;
import dev.library.runtime.testing.process.LibraryProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while members borrow and return and users log in: the process reports NOT_SERVING,
 * stops accepting, lets every call in flight finish, then closes its pools and its PostgreSQL,
 * and exits 0. No caller gets a 500; a call sent before the signal gets its real answer.
 */
class GracefulStopFaultTest {
  private LibraryProcess process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.close();
    }
  }

  @Test
  void sigtermUnderLoadLetsCallsInFlightFinishAndExitsZero() throws Exception {
    process =
        LibraryProcess.hosting("all")
            // A real password hash, so that logins are in flight when the signal comes.
            .override("services.auth.settings.bcryptCost", "10")
            .override("grpcShutdownGracePeriod", "10s")
            .start();
    Rest rest = new Rest(process.gatewayPort());
    FaultFixture.Library library =
        FaultFixture.library(rest, new TestAccounts(process.channel("auth")), 8, 1000, 8);

    AtomicBoolean loggingIn = new AtomicBoolean(true);
    ConcurrentLinkedQueue<BorrowReturnLoad.Call> logins = new ConcurrentLinkedQueue<>();
    List<Thread> loginThreads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread thread = new Thread(() -> logIn(rest, loggingIn, logins), "login-" + i);
      thread.start();
      loginThreads.add(thread);
    }
    BorrowReturnLoad load = BorrowReturnLoad.start(rest, library.members(), library.books());
    load.awaitSuccesses(200, Duration.ofSeconds(60));

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

    String log = process.logTail(300);
    assertThat(log)
        .containsSubsequence(
            "SIGTERM received",
            "every service reports NOT_SERVING",
            "REST gateway stopped",
            "book: gRPC server stopped",
            "auth: gRPC server stopped",
            "embedded PostgreSQL stopped")
        .doesNotContain("cancelling them");
  }

  private static void logIn(
      Rest rest, AtomicBoolean running, ConcurrentLinkedQueue<BorrowReturnLoad.Call> calls) {
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
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
  }
}
