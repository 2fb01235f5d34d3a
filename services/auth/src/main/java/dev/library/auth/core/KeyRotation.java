package dev.library.auth.core;

import dev.library.auth.db.SigningKeyDao;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A rotation of the signing key as the command runs it: scheduled and audited in one
 * transaction, so no rotation goes unrecorded.
 */
public final class KeyRotation {
  private KeyRotation() {}

  public static SigningKeys.Rotation rotate(
      Jdbi authDatabase,
      Optional<KeyEncryptionKey> kek,
      Instant now,
      Duration publishWait,
      Duration accessTokenTtl)
      throws GeneralSecurityException {
    AuditTrail audit = new AuditTrail(authDatabase);
    return authDatabase.inTransaction(
        h -> {
          SigningKeys.Rotation rotation =
              SigningKeys.rotate(new SigningKeyDao(h), kek, now, publishWait, accessTokenTtl);
          audit.record(
              h,
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
        });
  }
}
