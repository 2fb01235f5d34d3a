package dev.library.auth.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Rows of login_throttle: failure counts per account and per client address. */
public final class ThrottleDao {
  /** One key's state. */
  public record State(
      String key,
      int consecutive,
      Instant lastFailureAt,
      Instant blockedUntil,
      Instant hourStartedAt,
      int hourFailures) {}

  private final Jdbi jdbi;

  public ThrottleDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<State> find(String key) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM login_throttle WHERE throttle_key = :key")
                .bind("key", key)
                .map(ThrottleDao::map)
                .findOne());
  }

  /**
   * Applies {@code update} to the key's state under a row lock (the row is created first if
   * absent), so concurrent failures each count.
   */
  public State update(String key, Instant now, java.util.function.UnaryOperator<State> update) {
    return jdbi.inTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO login_throttle (throttle_key, last_failure_at, blocked_until, "
                      + "hour_started_at) VALUES (:key, :now, :now, :now) "
                      + "ON CONFLICT (throttle_key) DO NOTHING")
              .bind("key", key)
              .bind("now", now)
              .execute();
          State current = lock(h, key);
          State next = update.apply(current);
          h.createUpdate(
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
        });
  }

  /** Forgets a key's consecutive failures (after a successful login of that account). */
  public void clearConsecutive(String key, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE login_throttle SET consecutive = 0, blocked_until = :now "
                        + "WHERE throttle_key = :key AND consecutive > 0")
                .bind("key", key)
                .bind("now", now)
                .execute());
  }

  /** Drops rows whose last failure is older than {@code cutoff}: they throttle nothing. */
  public int deleteIdleSince(Instant cutoff) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    "DELETE FROM login_throttle WHERE last_failure_at < :cutoff "
                        + "AND blocked_until < :cutoff")
                .bind("cutoff", cutoff)
                .execute());
  }

  private static State lock(Handle h, String key) {
    return h.createQuery("SELECT * FROM login_throttle WHERE throttle_key = :key FOR UPDATE")
        .bind("key", key)
        .map(ThrottleDao::map)
        .one();
  }

  private static State map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new State(
        rs.getString("throttle_key"),
        rs.getInt("consecutive"),
        rs.getTimestamp("last_failure_at").toInstant(),
        rs.getTimestamp("blocked_until").toInstant(),
        rs.getTimestamp("hour_started_at").toInstant(),
        rs.getInt("hour_failures"));
  }
}
