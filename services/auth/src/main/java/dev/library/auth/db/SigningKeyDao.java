package dev.library.auth.db;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Generated signing keys (PKCS#8 private, sealed or not; X.509 public), oldest first. Rows stay
 * after their key retires: the history of which key signed when. On the caller's handle.
 */
public final class SigningKeyDao {
  /** A stored key pair in its encoded forms, and its schedule. */
  public record StoredKey(
      String kid,
      byte[] privateKey,
      byte[] publicKey,
      boolean sealed,
      Instant activatesAt,
      Instant retiresAt) {}

  private final Handle handle;

  public SigningKeyDao(Handle handle) {
    this.handle = handle;
  }

  public List<StoredKey> all() {
    return handle
        .createQuery(
            "SELECT kid, private_key, public_key, sealed, activates_at, retires_at "
                + "FROM signing_keys ORDER BY activates_at, created_at, kid")
        .map(
            (rs, ctx) ->
                new StoredKey(
                    rs.getString("kid"),
                    rs.getBytes("private_key"),
                    rs.getBytes("public_key"),
                    rs.getBoolean("sealed"),
                    rs.getTimestamp("activates_at").toInstant(),
                    rs.getTimestamp("retires_at") == null
                        ? null
                        : rs.getTimestamp("retires_at").toInstant()))
        .list();
  }

  /** Two instances starting at once may both generate a key; both rows are kept. */
  public void insertIfAbsent(StoredKey key) {
    handle
        .createUpdate(
            "INSERT INTO signing_keys (kid, private_key, public_key, sealed, activates_at) "
                + "VALUES (:kid, :priv, :pub, :sealed, :activates) ON CONFLICT (kid) DO NOTHING")
        .bind("kid", key.kid())
        .bind("priv", key.privateKey())
        .bind("pub", key.publicKey())
        .bind("sealed", key.sealed())
        .bind("activates", key.activatesAt())
        .execute();
  }

  /**
   * Adds {@code next} and schedules every key not yet retiring to leave at {@code
   * retireOthersAt}. Two statements: the caller holds the transaction that makes them one step.
   */
  public void rotate(StoredKey next, Instant retireOthersAt) {
    handle
        .createUpdate("UPDATE signing_keys SET retires_at = :at WHERE retires_at IS NULL")
        .bind("at", retireOthersAt)
        .execute();
    insertIfAbsent(next);
  }

  /** Replaces a plainly stored private key with its sealed form. */
  public void seal(String kid, byte[] sealedPrivateKey) {
    handle
        .createUpdate(
            "UPDATE signing_keys SET private_key = :priv, sealed = true "
                + "WHERE kid = :kid AND NOT sealed")
        .bind("kid", kid)
        .bind("priv", sealedPrivateKey)
        .execute();
  }
}
