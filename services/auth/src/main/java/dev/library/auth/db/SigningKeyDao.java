package dev.library.auth.db;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Generated signing keys (PKCS#8 private, X.509 public), oldest first. */
public final class SigningKeyDao {
  /** A stored key pair in its encoded forms. */
  public record StoredKey(String kid, byte[] privateKey, byte[] publicKey) {}

  private final Jdbi jdbi;

  public SigningKeyDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public List<StoredKey> all() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT kid, private_key, public_key FROM signing_keys ORDER BY created_at, kid")
                .map(
                    (rs, ctx) ->
                        new StoredKey(
                            rs.getString("kid"), rs.getBytes("private_key"), rs.getBytes("public_key")))
                .list());
  }

  /** Two instances starting at once may both generate a key; both rows are kept. */
  public void insertIfAbsent(StoredKey key) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO signing_keys (kid, private_key, public_key) "
                        + "VALUES (:kid, :priv, :pub) ON CONFLICT (kid) DO NOTHING")
                .bind("kid", key.kid())
                .bind("priv", key.privateKey())
                .bind("pub", key.publicKey())
                .execute());
  }
}
