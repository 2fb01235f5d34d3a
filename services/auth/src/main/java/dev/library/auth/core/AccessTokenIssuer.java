package dev.library.auth.core;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.library.auth.db.User;
import dev.library.runtime.security.AccessTokenVerifier;
import dev.library.runtime.security.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Signs access tokens: RS256, {@code sub} = user id, {@code roles}, {@code gen} (the user's token
 * generation, for revocation), {@code iss}, {@code exp}.
 */
public final class AccessTokenIssuer {
  private final SigningKeys keys;
  /** One Algorithm per key, built once; keys are few (the current and the next one). */
  private final java.util.Map<String, Algorithm> algorithms =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final String issuer;
  private final Duration ttl;
  private final Clock clock;

  public AccessTokenIssuer(SigningKeys keys, String issuer, Duration ttl, Clock clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.ttl = ttl;
    this.clock = clock;
  }

  public String issue(User user, Instant expiresAt) {
    Instant now = clock.instant();
    SigningKey key = keys.active();
    Algorithm algorithm =
        algorithms.computeIfAbsent(
            key.kid(), kid -> Algorithm.RSA256(key.publicKey(), key.privateKey()));
    return JWT.create()
        .withKeyId(key.kid())
        .withIssuer(issuer)
        .withSubject(user.id().toString())
        .withClaim("preferred_username", user.username())
        .withClaim(
            AccessTokenVerifier.ROLES_CLAIM,
            user.roles().stream().sorted().map(Role::claim).toList())
        .withClaim(AccessTokenVerifier.GENERATION_CLAIM, user.tokenGeneration())
        .withIssuedAt(now)
        .withExpiresAt(expiresAt)
        .withJWTId(UUID.randomUUID().toString())
        .sign(algorithm);
  }

  public Instant nextExpiry() {
    return clock.instant().plus(ttl);
  }
}
