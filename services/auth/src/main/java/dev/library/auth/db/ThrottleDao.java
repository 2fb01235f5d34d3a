package dev.library.auth.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Rows of login_throttle: failure counts per account and per client address. On the caller's handle. */
public final class ThrottleDao {
  /** One key's state. */
  public record State(
      String key,
      int consecutive,
      Instant lastFailureAt,
      Instant blockedUntil,
      Instant hourStartedAt,
      int hourFailures) {}

  private final Handle handle;

  public ThrottleDao(Handle handle) {
    this.handle = handle;
  }

  public Optional<State> find(String key) {
    return handle
        .createQuery("SELECT * FROM login_throttle WHERE throttle_key = :key")
        .bind("key", key)
        .map(ThrottleDao::map)
        .findOne();
  }

  /**
   * Applies {@code update} to the key's state under a row lock (the row is created first if
   * absent), so concurrent failures each count. The caller holds the transaction: the lock lasts
   * until it ends.
   */
  public State update(String key, Instant now, UnaryOperator<State> update) {
    handle
        .createUpdate(
            "INSERT INTO login_throttle (throttle_key, last_failure_at, blocked_until, "
                + "hour_started_at) VALUES (:key, :now, :now, :now) "
                + "ON CONFLICT (throttle_key) DO NOTHING")
        .bind("key", key)
        .bind("now", now)
        .execute();
    State next = update.apply(lock(key));
    handle
        .createUpdate(
            "UPDATE login_throttle SET consecutive = :consecutive, "
                + "last_failure_at = :last, blocked_until = :blocked, "
                + "hour_started_at = :hourStart, hour_failures = :hourFailures "
                + "WHERE throttle_key = :key")
        .bind("key", key)
        .bind("consecutive", next.consecutive())
        .bind("last", next.lastFailureAt())
        .bind("blocked", next.blockedUntil())
        .bind("hourStart", next.hourStartedAt())
        .bind("hourFailures", next.hourFailures())
        .execute();
    return next;
  }

  /** Forgets a key's consecutive failures (after a successful login of that account). */
  public void clearConsecutive(String key, Instant now) {
    handle
        .createUpdate(
            "UPDATE login_throttle SET consecutive = 0, blocked_until = :now "
                + "WHERE throttle_key = :key AND consecutive > 0")
        .bind("key", key)
        .bind("now", now)
        .execute();
  }

  /** Drops rows whose last failure is older than {@code cutoff}: they throttle nothing. */
  public int deleteIdleSince(Instant cutoff) {
    return handle
        .createUpdate(
            "DELETE FROM login_throttle WHERE last_failure_at < :cutoff "
                + "AND blocked_until < :cutoff")
        .bind("cutoff", cutoff)
        .execute();
  }

  private State lock(String key) {
    return handle
        .createQuery("SELECT * FROM login_throttle WHERE throttle_key = :key FOR UPDATE")
        .bind("key", key)
        .map(ThrottleDao::map)
        .one();
  }

  private static State map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new State(
        rs.getString("throttle_key"),
        rs.getInt("consecutive"),
        rs.getTimestamp("last_failure_at").toInstant(),
        rs.getTimestamp("blocked_until").toInstant(),
        rs.getTimestamp("hour_started_at").toInstant(),
        rs.getInt("hour_failures"));
  }
}
