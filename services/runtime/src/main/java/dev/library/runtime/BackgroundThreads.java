package dev.library.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The threads of the processes' background work (pollers, sweeps, watches, relays, start-up
 * tasks). They are daemons: background work must never keep a stopping JVM alive; the ordered
 * stop ends each loop through its owner's {@code stop()}.
 */
public final class BackgroundThreads {
  private BackgroundThreads() {}

  /** One named daemon thread, so thread dumps and logs say which loop it is. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(named(name));
  }

  /** {@code threads} daemon threads of one name, for work done in parallel and then joined. */
  public static ExecutorService pool(String name, int threads) {
    return Executors.newFixedThreadPool(Math.max(1, threads), named(name));
  }

  private static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
