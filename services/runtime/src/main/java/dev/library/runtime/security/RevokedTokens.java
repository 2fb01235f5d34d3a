package dev.library.runtime.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lowest token generation still accepted per user, as last learned from the auth service's
 * ListRevocations ({@link RevocationPoller} keeps it fresh). Checked on every call, locally: a
 * map lookup, no call to the auth service. Users never revoked are absent (every generation is
 * accepted).
 */
public final class RevokedTokens {
  private static final RevokedTokens NONE = new RevokedTokens();

  private final Map<String, Long> minimumGeneration = new ConcurrentHashMap<>();

  public static RevokedTokens none() {
    return NONE;
  }

  public static RevokedTokens empty() {
    return new RevokedTokens();
  }

  /** Whether a token of {@code generation} for {@code userId} was revoked. */
  public boolean isRevoked(String userId, long generation) {
    Long minimum = minimumGeneration.get(userId);
    return minimum != null && generation < minimum;
  }

  /** Records that tokens of {@code userId} below {@code generation} are revoked. */
  public void revokeBelow(String userId, long generation) {
    if (this == NONE) {
      throw new IllegalStateException("RevokedTokens.none() records nothing");
    }
    minimumGeneration.merge(userId, generation, Math::max);
  }

  public int size() {
    return minimumGeneration.size();
  }
}
