package dev.library.auth.core;

import dev.library.auth.db.UserDao;
import dev.library.auth.db.UserDao.Revoked;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** What ListRevocations answers: users whose earlier access tokens are revoked. */
public final class Revocations {
  /** Revocations since a moment, and the database time of the answer (the next "since"). */
  public record Since(List<Revoked> revoked, Instant asOf) {}

  private final Jdbi jdbi;
  private final Duration accessTokenTtl;

  public Revocations(Jdbi jdbi, Duration accessTokenTtl) {
    this.jdbi = jdbi;
    this.accessTokenTtl = accessTokenTtl;
  }

  /**
   * Revocations after {@code since} (null: from the start). Older than the access-token lifetime
   * they no longer matter (every token they revoked has expired), so they are never sent.
   */
  public Since since(Instant since) {
    return jdbi.withHandle(h -> since(new UserDao(h), since));
  }

  private Since since(UserDao users, Instant since) {
    Instant now = users.now();
    // A minute of margin for clocks of token issuers and verifiers that disagree a little.
    Instant relevant = now.minus(accessTokenTtl).minus(Duration.ofMinutes(1));
    Instant from = since == null || since.isBefore(relevant) ? relevant : since;
    return new Since(users.revokedSince(from), now);
  }
}
