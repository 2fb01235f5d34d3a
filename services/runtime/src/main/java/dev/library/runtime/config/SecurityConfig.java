package dev.library.runtime.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;

/** How every service checks its callers. */
public class SecurityConfig {
  /** How strict startup is about secrets; see {@link Mode}. */
  public enum Mode {
    /** Generated keys may be stored unencrypted; `make run` needs no secret at all. */
    DEVELOPMENT,
    /** Refuses to start without the secrets production needs (the key-encryption key). */
    PRODUCTION
  }

  @jakarta.validation.constraints.NotNull @JsonProperty private Mode mode = Mode.PRODUCTION;

  public Mode getMode() {
    return mode;
  }

  /** The auth service's JWKS document; every service verifies access tokens against it. */
  @NotBlank @JsonProperty private String jwksUrl = "http://localhost:8081/.well-known/jwks.json";

  /** The `iss` claim the auth service writes and every verifier requires. */
  @NotBlank @JsonProperty private String issuer = "library-auth";

  /**
   * Pre-shared key for service-to-service calls (`server-key` metadata). Empty means a random
   * key per process: fine when every service runs in one process, refused across processes.
   */
  @JsonProperty private String serverKey = "";

  /**
   * Comma-separated IP addresses of the proxies in front of the services (Envoy, the gateway):
   * only a call from one of them may name the client address in `x-forwarded-for`. Loopback by
   * default, where the gateway of a one-process deployment calls from.
   */
  @JsonProperty private String trustedProxies = "127.0.0.1,::1";

  /** How often each process asks the auth service for revoked tokens (revocation delay). */
  @jakarta.validation.constraints.NotNull @JsonProperty
  private io.dropwizard.util.Duration revocationPollInterval = io.dropwizard.util.Duration.seconds(2);

  public String getJwksUrl() {
    return jwksUrl;
  }

  public void setJwksUrl(String jwksUrl) {
    this.jwksUrl = jwksUrl;
  }

  public String getIssuer() {
    return issuer;
  }

  public String getTrustedProxies() {
    return trustedProxies;
  }

  public java.time.Duration getRevocationPollInterval() {
    return java.time.Duration.ofMillis(revocationPollInterval.toMilliseconds());
  }

  public String getServerKey() {
    return serverKey;
  }

  public void setServerKey(String serverKey) {
    this.serverKey = serverKey;
  }

  @Override
  public String toString() {
    return "SecurityConfig{jwksUrl=" + jwksUrl + ", issuer=" + issuer + ", trustedProxies=" + trustedProxies
        + ", serverKey=<hidden>}";
  }
}
