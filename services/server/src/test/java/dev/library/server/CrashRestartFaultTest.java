package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.testing.TestAccounts;
import dev.library.runtime.testing.process.LibraryProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the whole process while members borrow and return, then a start on the same
 * data: the start works the first time (the PostgreSQL the dead JVM left running is stopped
 * first), and every borrow and return a client was answered 200 for is in the database, because
 * commits are synchronous and fsynced.
 */
class CrashRestartFaultTest {
  private LibraryProcess process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.close();
    }
  }

  @Test
  void everyAcknowledgedBorrowAndReturnSurvivesKillNineAndTheFirstRestartWorks() throws Exception {
    process = LibraryProcess.hosting("all").start();
    Rest rest = new Rest(process.gatewayPort());
    FaultFixture.Library library =
        FaultFixture.library(rest, new TestAccounts(process.channel("auth")), 8, 1000, 8);

    BorrowReturnLoad load = BorrowReturnLoad.start(rest, library.members(), library.books());
    load.awaitSuccesses(300, Duration.ofSeconds(60));
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
    // And the restarted system serves.
    rest.post("/api/v1/books/" + library.books().get(0) + "/borrow")
        .bearer(library.members().get(0).token())
        .body("{}")
        .send()
        .expect(200);
  }
}
