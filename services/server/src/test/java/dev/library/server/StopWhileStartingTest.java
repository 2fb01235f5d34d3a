package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.testing.process.LibraryProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while the process is still starting (a deploy rolled back, a pod scaled down, Ctrl-C
 * at the wrong moment): the process finishes starting, then stops in order, its embedded
 * PostgreSQL with it. Jetty's ordered stop skips a server that has not finished starting, so
 * without the wait the JVM exited at once and left PostgreSQL running on the data directory.
 */
class StopWhileStartingTest {
  private LibraryProcess process;

  @AfterEach
  void close() {
    if (process != null) {
      process.close();
    }
  }

  @Test
  void sigtermDuringStartStopsInOrderAndLeavesNoPostgresBehind() {
    process = LibraryProcess.hosting("all").launch();
    // PostgreSQL is up; migrations, services and the gateway are still to come.
    process.awaitLogLine("embedded PostgreSQL on port", Duration.ofSeconds(120));
    process.terminate();

    assertThat(process.awaitExit()).as("exit code\n%s", process.logTail(60)).isZero();
    assertThat(process.database().postmaster())
        .as("a PostgreSQL server still running on the data directory\n%s", process.logTail(60))
        .isEmpty();
    assertThat(process.logTail(Integer.MAX_VALUE))
        .containsSubsequence(
            "SIGTERM received",
            "the server is still starting",
            "embedded PostgreSQL stopped");
  }
}
