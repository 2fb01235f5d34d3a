package dev.library.runtime.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * POSIX signals to other processes, for fault tests. Java sends only SIGTERM and SIGKILL itself
 * ({@link ProcessHandle#destroy}); freezing a process (SIGSTOP) and thawing it (SIGCONT) need
 * {@code kill}.
 */
public final class Signals {
  private Signals() {}

  /** Freezes the processes: they keep their sockets open and accept connections, but never answer. */
  public static void stop(Collection<Long> pids) {
    send("STOP", pids);
  }

  public static void resume(Collection<Long> pids) {
    send("CONT", pids);
  }

  public static void send(String signal, Collection<Long> pids) {
    if (pids.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(pid -> command.add(Long.toString(pid)));
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException(
            command + " failed: " + new String(kill.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
