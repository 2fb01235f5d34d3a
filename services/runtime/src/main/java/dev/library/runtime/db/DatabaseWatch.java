package dev.library.runtime.db;

import dev.library.runtime.BackgroundThreads;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one module's database with a connection of its own (so an exhausted pool cannot hide
 * the answer): every second, and at once when a request met a lost connection. While the
 * database is unreachable the module reports NOT_SERVING; when it answers again the pool's
 * connections (all opened before the outage, all dead) are replaced, so requests succeed from
 * the next one on rather than after each stale connection has failed once.
 */
public final class DatabaseWatch implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseWatch.class);
  private static final int PROBE_TIMEOUT_SECONDS = 2;

  private final String module;
  private final String url;
  private final Properties credentials;
  private final Runnable purgePool;
  private final Consumer<Boolean> servingChanged;
  private final AtomicBoolean probeQueued = new AtomicBoolean();
  private ScheduledExecutorService loop;
  private Connection connection;
  private volatile boolean reachable = true;
  private long downSince;

  public DatabaseWatch(
      String module,
      String url,
      String user,
      String password,
      Runnable purgePool,
      Consumer<Boolean> servingChanged) {
    this.module = module;
    this.url = url;
    this.credentials = new Properties();
    credentials.setProperty("user", user);
    credentials.setProperty("password", password == null ? "" : password);
    credentials.setProperty("connectTimeout", "" + PROBE_TIMEOUT_SECONDS);
    credentials.setProperty("socketTimeout", "" + PROBE_TIMEOUT_SECONDS);
    credentials.setProperty("loginTimeout", "" + PROBE_TIMEOUT_SECONDS);
    credentials.setProperty("ApplicationName", "library-" + module + "-watch");
    this.purgePool = purgePool;
    this.servingChanged = servingChanged;
  }

  @Override
  public void start() {
    loop =
        BackgroundThreads.scheduler(module + "-database-watch");
    loop.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (loop != null) {
      loop.shutdownNow();
      loop.awaitTermination(PROBE_TIMEOUT_SECONDS * 2L, TimeUnit.SECONDS);
    }
    closeConnection();
  }

  public boolean isReachable() {
    return reachable;
  }

  /** A request found its connection lost: look now rather than at the next tick. */
  public void onFault(DatabaseFaults.Fault fault) {
    ScheduledExecutorService current = loop;
    if (fault.connectionLost() && current != null && probeQueued.compareAndSet(false, true)) {
      try {
        current.execute(this::probe);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        probeQueued.set(false);
      }
    }
  }

  private void probe() {
    probeQueued.set(false);
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(url, credentials);
      }
      try (Statement statement = connection.createStatement()) {
        statement.setQueryTimeout(PROBE_TIMEOUT_SECONDS);
        statement.execute("SELECT 1");
      }
      if (!reachable) {
        reachable = true;
        purgePool.run();
        servingChanged.accept(true);
        LOG.warn(
            "{}: database reachable again after {} ms; pool renewed, serving",
            module,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince));
      }
    } catch (SQLException | RuntimeException e) {
      closeConnection();
      if (reachable) {
        reachable = false;
        downSince = System.nanoTime();
        servingChanged.accept(false);
        LOG.warn("{}: database unreachable ({}); not serving until it answers", module, e.getMessage());
      }
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken
      }
      connection = null;
    }
  }
}
