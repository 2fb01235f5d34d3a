package dev.library.runtime.security;

import com.auth0.jwk.JwkException;
import com.auth0.jwk.JwkProvider;
import com.auth0.jwk.JwkProviderBuilder;
import com.auth0.jwk.NetworkException;
import com.auth0.jwk.SigningKeyNotFoundException;
import dev.library.runtime.errors.UnavailableException;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.TimeUnit;

/**
 * Public keys from the auth service's JWKS document, cached. A {@code kid} missing from the cache
 * triggers a fresh fetch (keys rotate); fetches are rate-limited so random key ids in forged
 * tokens cannot make this service hammer the auth service.
 */
public final class JwksSigningKeyResolver implements SigningKeyResolver {
  private final JwkProvider provider;

  public JwksSigningKeyResolver(String jwksUrl) {
    try {
      this.provider =
          new JwkProviderBuilder(URI.create(jwksUrl).toURL())
              .cached(16, 6, TimeUnit.HOURS)
              .rateLimited(20, 1, TimeUnit.MINUTES)
              .timeouts(5_000, 5_000)
              .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("security.jwksUrl is not a valid URL: " + jwksUrl, e);
    }
  }

  private static UnavailableException keysUnavailable() {
    return new UnavailableException(
        "SIGNING_KEYS_UNAVAILABLE",
        "signing keys cannot be fetched from the auth service",
        java.util.Map.of("dependency", "auth"));
  }

  @Override
  public RSAPublicKey publicKey(String kid) throws InvalidTokenException {
    try {
      PublicKey key = provider.get(kid).getPublicKey();
      if (key instanceof RSAPublicKey rsa) {
        return rsa;
      }
      throw new InvalidTokenException("access token key is not an RSA key");
    } catch (NetworkException e) {
      throw keysUnavailable();
    } catch (SigningKeyNotFoundException e) {
      if (e.getCause() instanceof NetworkException || e.getCause() instanceof java.io.IOException) {
        throw keysUnavailable();
      }
      throw new InvalidTokenException("access token signed by an unknown key");
    } catch (JwkException e) {
      throw new InvalidTokenException("access token signed by an unknown key");
    }
  }
}
