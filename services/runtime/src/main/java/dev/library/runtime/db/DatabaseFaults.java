package dev.library.runtime.db;

import dev.library.runtime.errors.DomainException;
import dev.library.runtime.errors.TimedOutException;
import dev.library.runtime.errors.UnavailableException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a database failure that is the database's state (down, frozen, overloaded, too slow) from
 * a bug. The first kind is what the caller sees as UNAVAILABLE or DEADLINE_EXCEEDED: the request
 * was fine and may be retried; nothing of it was committed.
 */
public final class DatabaseFaults {
  /** A database failure as the caller sees it, and whether the connection itself was lost. */
  public record Fault(DomainException refusal, boolean connectionLost) {}

  private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03");
  private static final Set<String> RETRYABLE_CONFLICT = Set.of("40001", "40P01", "55P03");

  private DatabaseFaults() {}

  /** The fault {@code error} stands for, if it is one of the database's state. */
  public static Optional<Fault> classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return Optional.of(lost("the database did not answer in time"));
      }
      if (t.getClass().getName().equals("org.apache.tomcat.jdbc.pool.PoolExhaustedException")) {
        return Optional.of(
            new Fault(
                unavailable("DATABASE_BUSY", "the service is busy: no database connection is free"),
                false));
      }
      if (!(t instanceof SQLException sql)) {
        continue;
      }
      String state = sql.getSQLState() == null ? "" : sql.getSQLState();
      if (state.equals("57014")) {
        return Optional.of(
            new Fault(
                new TimedOutException(
                    "DATABASE_TIMEOUT",
                    "the database did not finish in time; nothing was changed",
                    Map.of("dependency", "database")),
                false));
      }
      if (RETRYABLE_CONFLICT.contains(state)) {
        return Optional.of(
            new Fault(
                unavailable("DATABASE_CONFLICT", "a concurrent change got in the way; retry"),
                false));
      }
      if (state.startsWith("08")
          || SERVER_GONE.contains(state)
          || state.startsWith("53")
          || state.equals("25P03")
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException) {
        return Optional.of(lost("the database is unavailable; retry later"));
      }
    }
    return Optional.empty();
  }

  private static Fault lost(String message) {
    return new Fault(unavailable("DATABASE_UNAVAILABLE", message), true);
  }

  private static UnavailableException unavailable(String reason, String message) {
    return new UnavailableException(reason, message, Map.of("dependency", "database"));
  }
}
