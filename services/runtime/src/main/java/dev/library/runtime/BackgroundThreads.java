package dev.library.runtime;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The schedulers of the processes' background loops (pollers, sweeps, watches, relays). Their
 * threads are daemons: a loop must never keep a stopping JVM alive; the ordered stop ends each
 * loop through its owner's {@code stop()}.
 */
public final class BackgroundThreads {
  private BackgroundThreads() {}

  /** One named daemon thread, so thread dumps and logs say which loop it is. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
