package dev.library.auth.db;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Hashed refresh tokens. Works inside the caller's transaction (a {@link Handle}). */
public final class RefreshTokenDao {
  private final Handle handle;

  public RefreshTokenDao(Handle handle) {
    this.handle = handle;
  }

  public void insert(byte[] hash, UUID userId, Instant expiresAt) {
    handle
        .createUpdate(
            "INSERT INTO refresh_tokens (token_hash, user_id, expires_at) "
                + "VALUES (:hash, :user, :expires)")
        .bind("hash", hash)
        .bind("user", userId)
        .bind("expires", expiresAt)
        .execute();
  }

  /**
   * Spends the token if it is unspent and unexpired: one statement, so two concurrent refreshes
   * with the same token cannot both succeed. Returns its owner.
   */
  public Optional<UUID> spend(byte[] hash) {
    return handle
        .createQuery(
            "UPDATE refresh_tokens SET used_at = now() "
                + "WHERE token_hash = :hash AND used_at IS NULL AND expires_at > now() "
                + "RETURNING user_id")
        .bind("hash", hash)
        .mapTo(UUID.class)
        .findOne();
  }

  /** The owner of an already spent token, if it is one. */
  public Optional<UUID> ownerOfSpent(byte[] hash) {
    return handle
        .createQuery("SELECT user_id FROM refresh_tokens WHERE token_hash = :hash AND used_at IS NOT NULL")
        .bind("hash", hash)
        .mapTo(UUID.class)
        .findOne();
  }

  /** Spends every live token of a user (used when a spent token is replayed). */
  public int revokeAll(UUID userId) {
    return handle
        .createUpdate(
            "UPDATE refresh_tokens SET used_at = now() WHERE user_id = :user AND used_at IS NULL")
        .bind("user", userId)
        .execute();
  }

  /** Forgets tokens that expired a while ago; they can no longer be used anyway. */
  public int deleteExpiredBefore(Instant cutoff) {
    return handle
        .createUpdate("DELETE FROM refresh_tokens WHERE expires_at < :cutoff")
        .bind("cutoff", cutoff)
        .execute();
  }
}
