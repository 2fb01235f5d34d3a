package dev.library.runtime.db;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The request_id ledger of one service's database ({@code request_outcomes}). */
public final class RequestOutcomeDao {
  /** Whose request, to which method, under which id. */
  public record Key(String caller, String method, UUID requestId) {}

  /** A ledger row as a later attempt finds it. */
  public record Stored(
      byte[] fingerprint, boolean applied, boolean claimExpired, byte[] status, byte[] response) {
    public boolean finished() {
      return status != null;
    }
  }

  private static final String KEY = "caller = :caller AND method = :method AND request_id = :id";
  private static final String LEASE_END = "now() + :leaseMs * interval '1 millisecond'";

  private final Handle handle;

  public RequestOutcomeDao(Handle handle) {
    this.handle = handle;
  }

  /**
   * Records a first attempt; false when the key is taken (by an earlier or concurrent one).
   *
   * <p>The claim's commit does not wait for its WAL flush (synchronous_commit off for this one
   * statement's transaction). It needs none of its own: WAL is flushed in order, so the durable
   * commit of the request's work (which marks the claim applied) or of its answer flushes the
   * claim too; a crash before either loses only a claim of an attempt that changed nothing,
   * whose retry then runs afresh, as it would after taking the expired claim over.
   */
  public boolean claim(Key key, byte[] fingerprint, Duration lease) {
    return handle
            .createUpdate(
                "INSERT INTO request_outcomes (caller, method, request_id, fingerprint, "
                    + "claimed_until) SELECT :caller, :method, :id, :fingerprint, "
                    + LEASE_END
                    + " FROM (SELECT set_config('synchronous_commit', 'off', true)) unflushed"
                    + " ON CONFLICT DO NOTHING")
            .bindMap(values(key))
            .bind("fingerprint", fingerprint)
            .bind("leaseMs", lease.toMillis())
            .execute()
        == 1;
  }

  public Optional<Stored> find(Key key) {
    return handle
        .createQuery(
            "SELECT fingerprint, applied, claimed_until < now() AS expired, status, response "
                + "FROM request_outcomes WHERE "
                + KEY)
        .bindMap(values(key))
        .map(
            (rs, ctx) ->
                new Stored(
                    rs.getBytes("fingerprint"),
                    rs.getBoolean("applied"),
                    rs.getBoolean("expired"),
                    rs.getBytes("status"),
                    rs.getBytes("response")))
        .findOne();
  }

  /** Takes over the claim of an attempt that died before changing anything. */
  public boolean takeOver(Key key, Duration lease) {
    return handle
            .createUpdate(
                "UPDATE request_outcomes SET claimed_until = "
                    + LEASE_END
                    + " WHERE "
                    + KEY
                    + " AND status IS NULL AND NOT applied AND claimed_until < now()")
            .bindMap(values(key))
            .bind("leaseMs", lease.toMillis())
            .execute()
        == 1;
  }

  /** In the request's own transaction: what it changes commits together with this mark. */
  public void markApplied(Key key) {
    handle
        .createUpdate("UPDATE request_outcomes SET applied = true WHERE " + KEY)
        .bindMap(values(key))
        .execute();
  }

  public void finish(Key key, byte[] status, byte[] response) {
    handle
        .createUpdate(
            "UPDATE request_outcomes SET status = :status, response = :response WHERE " + KEY)
        .bindMap(values(key))
        .bind("status", status)
        .bind("response", response)
        .execute();
  }

  /** Forgets an attempt that changed nothing (so a retry runs again); false if it did change. */
  public boolean releaseUnapplied(Key key) {
    return handle
            .createUpdate(
                "DELETE FROM request_outcomes WHERE " + KEY + " AND NOT applied AND status IS NULL")
            .bindMap(values(key))
            .execute()
        == 1;
  }

  public int purgeOlderThan(Duration age) {
    return handle
        .createUpdate(
            "DELETE FROM request_outcomes WHERE created_at < now() - :ageMs * interval '1 millisecond'")
        .bind("ageMs", age.toMillis())
        .execute();
  }

  private static java.util.Map<String, Object> values(Key key) {
    return java.util.Map.of("caller", key.caller(), "method", key.method(), "id", key.requestId());
  }
}
