package dev.library.runtime.observe;

import io.dropwizard.db.ManagedDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;

/**
 * A module's connection pool as the services use it: the time each connection took to get
 * ({@code db.client.connection.wait_time}), gauges of the pool (OpenTelemetry's
 * {@code db.client.connection.*} names: connections used and idle, requests waiting, the maximum),
 * and, when tracing is on, a span per statement of a traced request. Connections taken outside a
 * request (the outbox relay's polls every second, the backlog gauge) are not traced: they would
 * be a stream of one-span traces. Lifecycle calls go to the pool itself.
 */
public final class InstrumentedPool implements ManagedDataSource {
  static final String POOL = "db.client.connection.pool.name";

  private final ManagedDataSource pool;
  private final DataSource traced;
  private final Timer waits;

  private InstrumentedPool(ManagedDataSource pool, DataSource traced, Timer waits) {
    this.pool = pool;
    this.traced = traced;
    this.waits = waits;
  }

  public static InstrumentedPool of(String name, ManagedDataSource pool, Telemetry telemetry) {
    MeterRegistry meters = telemetry.meters();
    if (pool instanceof DataSourceProxy tomcat) {
      gauge(meters, "db.client.connection.count", name, tomcat, DataSourceProxy::getActive, "used");
      gauge(meters, "db.client.connection.count", name, tomcat, DataSourceProxy::getIdle, "idle");
      gauge(meters, "db.client.connection.pending_requests", name, tomcat, DataSourceProxy::getWaitCount, null);
      gauge(meters, "db.client.connection.max", name, tomcat, DataSourceProxy::getMaxActive, null);
    }
    Timer waits =
        Timer.builder("db.client.connection.wait_time")
            .description("Time it took to obtain a connection from the pool")
            .tag(POOL, name)
            .serviceLevelObjectives(Buckets.LATENCY)
            .register(meters);
    return new InstrumentedPool(pool, telemetry.tracing().instrument(pool), waits);
  }

  private static void gauge(
      MeterRegistry meters,
      String metric,
      String pool,
      DataSourceProxy tomcat,
      ToDoubleFunction<DataSourceProxy> value,
      String state) {
    Gauge.Builder<DataSourceProxy> gauge = Gauge.builder(metric, tomcat, value).tag(POOL, pool);
    if (state != null) {
      gauge.tag("db.client.connection.state", state);
    }
    gauge.register(meters);
  }

  /** The traced data source inside a traced request, else the pool itself. */
  private DataSource connections() {
    return traced != pool && Span.current().getSpanContext().isValid() ? traced : pool;
  }

  @Override
  public Connection getConnection() throws SQLException {
    long start = System.nanoTime();
    try {
      return connections().getConnection();
    } finally {
      waits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    long start = System.nanoTime();
    try {
      return connections().getConnection(username, password);
    } finally {
      waits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void start() throws Exception {
    pool.start();
  }

  @Override
  public void stop() throws Exception {
    pool.stop();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(pool) ? type.cast(pool) : pool.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(pool) || pool.isWrapperFor(type);
  }
}
