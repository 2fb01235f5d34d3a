package dev.library.auth.core;

import dev.library.auth.db.AuditEventDao;
import dev.library.auth.db.SigningKeyDao;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** A rotation of the signing key as the command runs it: scheduled, then audited. */
public final class KeyRotation {
  private KeyRotation() {}

  public static SigningKeys.Rotation rotate(
      Jdbi authDatabase,
      Optional<KeyEncryptionKey> kek,
      Instant now,
      Duration publishWait,
      Duration accessTokenTtl)
      throws GeneralSecurityException {
    SigningKeys.Rotation rotation =
        SigningKeys.rotate(new SigningKeyDao(authDatabase), kek, now, publishWait, accessTokenTtl);
    new AuditTrail(new AuditEventDao(authDatabase))
        .record(
            AuditEventType.SIGNING_KEY_ROTATED,
            null,
            null,
            "",
            "",
            Map.of(
                "kid", rotation.kid(),
                "activates_at", rotation.activatesAt().toString(),
                "previous_retire_at", rotation.previousRetireAt().toString()));
    return rotation;
  }
}
