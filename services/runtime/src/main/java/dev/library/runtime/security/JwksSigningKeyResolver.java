package dev.library.runtime.security;

import com.auth0.jwk.Jwk;
import com.auth0.jwk.JwkException;
import com.auth0.jwk.UrlJwkProvider;
import dev.library.runtime.errors.UnavailableException;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public keys from the auth service's JWKS document, cached. A {@code kid} missing from the cache
 * triggers a fresh fetch (keys rotate), at most one per {@code cooldown}: a flood of forged
 * tokens with random key ids costs the auth service one fetch per cooldown, never a budget that
 * runs dry. A kid a fresh fetch did not have is remembered as unknown for a while (bounded), and
 * refused without a fetch. So after any flood, the first genuine token with a new kid that
 * arrives after the cooldown gets a fetch; and since the auth service publishes a new key longer
 * than the cooldown before signing with it, any fetch after that already holds it.
 */
public final class JwksSigningKeyResolver implements SigningKeyResolver {
  public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(1);
  static final Duration UNKNOWN_MEMORY = Duration.ofMinutes(5);
  static final int MAX_UNKNOWN = 10_000;
  /** Five seconds: two flaked under load when the auth service was busy with bcrypt. */
  static final int TIMEOUT_MILLIS = 5_000;

  private final UrlJwkProvider provider;
  private final Duration cooldown;
  private final Clock clock;
  private volatile Map<String, RSAPublicKey> known = Map.of();
  /** Unknown kids and when they were found unknown; insertion order, oldest evicted first. */
  private final LinkedHashMap<String, Instant> unknown = new LinkedHashMap<>();
  private Instant lastFetch = Instant.MIN;

  public JwksSigningKeyResolver(String jwksUrl) {
    this(jwksUrl, DEFAULT_COOLDOWN, Clock.systemUTC());
  }

  public JwksSigningKeyResolver(String jwksUrl, Duration cooldown, Clock clock) {
    try {
      this.provider =
          new UrlJwkProvider(URI.create(jwksUrl).toURL(), TIMEOUT_MILLIS, TIMEOUT_MILLIS);
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("security.jwksUrl is not a valid URL: " + jwksUrl, e);
    }
    this.cooldown = cooldown;
    this.clock = clock;
  }

  private static UnavailableException keysUnavailable() {
    return new UnavailableException(
        "SIGNING_KEYS_UNAVAILABLE",
        "signing keys cannot be fetched from the auth service",
        Map.of("dependency", "auth"));
  }

  @Override
  public RSAPublicKey publicKey(String kid) throws InvalidTokenException {
    RSAPublicKey key = known.get(kid);
    if (key != null) {
      return key;
    }
    return fetchFor(kid);
  }

  /** One thread fetches at a time; the others find its result or the cooldown. */
  private synchronized RSAPublicKey fetchFor(String kid) throws InvalidTokenException {
    RSAPublicKey key = known.get(kid);
    if (key != null) {
      return key;
    }
    Instant now = clock.instant();
    Instant unknownSince = unknown.get(kid);
    if (unknownSince != null && unknownSince.plus(UNKNOWN_MEMORY).isAfter(now)) {
      throw unknownKey();
    }
    if (lastFetch.plus(cooldown).isAfter(now)) {
      // Fetched moments ago, and that answer did not have it: most likely forged.
      throw unknownKey();
    }
    lastFetch = now;
    known = fetch();
    key = known.get(kid);
    if (key != null) {
      unknown.remove(kid);
      return key;
    }
    unknown.remove(kid);
    unknown.put(kid, now);
    while (unknown.size() > MAX_UNKNOWN) {
      unknown.remove(unknown.keySet().iterator().next());
    }
    throw unknownKey();
  }

  private Map<String, RSAPublicKey> fetch() {
    List<Jwk> jwks;
    try {
      jwks = provider.getAll();
    } catch (JwkException | RuntimeException e) {
      throw keysUnavailable();
    }
    Map<String, RSAPublicKey> keys = new HashMap<>();
    for (Jwk jwk : jwks) {
      try {
        PublicKey key = jwk.getPublicKey();
        if (jwk.getId() != null && key instanceof RSAPublicKey rsa) {
          keys.put(jwk.getId(), rsa);
        }
      } catch (JwkException e) {
        // A key of a kind this verifier does not use: skip it.
      }
    }
    return Map.copyOf(keys);
  }

  private static InvalidTokenException unknownKey() {
    return new InvalidTokenException("access token signed by an unknown key");
  }
}
