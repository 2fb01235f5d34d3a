package dev.library.runtime.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an access token: RS256 only (so {@code alg: none} and HMAC tricks fail), signature by a
 * key of the auth service, issuer, expiry, and a {@code sub} and {@code roles} claim.
 */
public final class AccessTokenVerifier {
  public static final String ALGORITHM = "RS256";
  public static final String ROLES_CLAIM = "roles";
  /** The user's token generation; see {@link RevokedTokens}. */
  public static final String GENERATION_CLAIM = "gen";

  private final SigningKeyResolver keys;
  private final String issuer;
  private final RevokedTokens revoked;
  /**
   * One verifier per signing key, built once: every call of every service passes here. Keys are
   * few (the auth service's current and previous ones), so the map stays small.
   */
  private final Map<RSAPublicKey, JWTVerifier> verifiers = new ConcurrentHashMap<>();

  /** A verifier that knows of no revocation (the auth service checks its database instead). */
  public AccessTokenVerifier(SigningKeyResolver keys, String issuer) {
    this(keys, issuer, RevokedTokens.none());
  }

  public AccessTokenVerifier(SigningKeyResolver keys, String issuer, RevokedTokens revoked) {
    this.keys = keys;
    this.issuer = issuer;
    this.revoked = revoked;
  }

  public VerifiedToken verify(String token) throws InvalidTokenException {
    DecodedJWT unverified;
    try {
      unverified = JWT.decode(token);
    } catch (JWTDecodeException e) {
      throw new InvalidTokenException("malformed access token");
    }
    if (!ALGORITHM.equals(unverified.getAlgorithm())) {
      throw new InvalidTokenException("access token must be signed with " + ALGORITHM);
    }
    if (unverified.getKeyId() == null) {
      throw new InvalidTokenException("access token has no key id");
    }
    JWTVerifier verifier =
        verifiers.computeIfAbsent(keys.publicKey(unverified.getKeyId()), this::verifierFor);
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(unverified);
    } catch (TokenExpiredException e) {
      throw new InvalidTokenException("TOKEN_EXPIRED", "access token expired");
    } catch (AlgorithmMismatchException e) {
      throw new InvalidTokenException("access token must be signed with " + ALGORITHM);
    } catch (JWTVerificationException e) {
      throw new InvalidTokenException("invalid access token");
    }
    List<String> claims = jwt.getClaim(ROLES_CLAIM).asList(String.class);
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (claims != null) {
      claims.forEach(c -> Role.fromClaim(c).ifPresent(roles::add));
    }
    Long generation = jwt.getClaim(GENERATION_CLAIM).asLong();
    long gen = generation == null ? 0 : generation;
    if (revoked.isRevoked(jwt.getSubject(), gen)) {
      throw new InvalidTokenException(
          "TOKEN_REVOKED",
          "access token was revoked (roles or password changed, or signed out); sign in again");
    }
    return new VerifiedToken(jwt.getSubject(), roles, jwt.getExpiresAtAsInstant(), gen);
  }

  private JWTVerifier verifierFor(RSAPublicKey key) {
    return JWT.require(Algorithm.RSA256(key, null))
        .withIssuer(issuer)
        .withClaimPresence("sub")
        .withClaimPresence(ROLES_CLAIM)
        .withClaimPresence("exp")
        .build();
  }
}
