package dev.library.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import dev.library.runtime.errors.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The JWKS client against a real HTTP server whose key set changes (key rotation). */
class JwksSigningKeyResolverTest {
  private HttpServer server;
  private final List<String> published = new CopyOnWriteArrayList<>();
  private final AtomicInteger fetches = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body =
              ("{\"keys\":[" + String.join(",", published) + "]}").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void anUnknownKidTriggersAFreshFetch() throws Exception {
    RSAPublicKey first = rsa();
    RSAPublicKey second = rsa();
    published.add(jwk("first", first));
    JwksSigningKeyResolver resolver =
        new JwksSigningKeyResolver(url(), Duration.ZERO, Clock.systemUTC());

    assertThat(resolver.publicKey("first")).isEqualTo(first);
    assertThat(resolver.publicKey("first")).isEqualTo(first);
    assertThat(fetches.get()).as("cached after the first fetch").isEqualTo(1);

    published.add(jwk("second", second)); // the auth service rotated its key
    assertThat(resolver.publicKey("second")).isEqualTo(second);
    assertThat(fetches.get()).isEqualTo(2);
  }

  @Test
  void aKidNobodyPublishesIsAnInvalidToken() throws Exception {
    published.add(jwk("first", rsa()));
    JwksSigningKeyResolver resolver = new JwksSigningKeyResolver(url());
    assertThatThrownBy(() -> resolver.publicKey("forged")).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void anUnreachableAuthServiceIsUnavailableNotUnauthenticated() {
    server.stop(0);
    JwksSigningKeyResolver resolver = new JwksSigningKeyResolver(url());
    assertThatThrownBy(() -> resolver.publicKey("any"))
        .isInstanceOf(UnavailableException.class)
        .satisfies(
            e ->
                assertThat(((UnavailableException) e).reason())
                    .isEqualTo("SIGNING_KEYS_UNAVAILABLE"));
  }

  @Test
  void aFloodOfForgedKidsCannotKeepAGenuineNewKeyOut() throws Exception {
    RSAPublicKey first = rsa();
    RSAPublicKey rotated = rsa();
    published.add(jwk("first", first));
    MutableClock clock = new MutableClock();
    JwksSigningKeyResolver resolver =
        new JwksSigningKeyResolver(url(), Duration.ofSeconds(1), clock);
    assertThat(resolver.publicKey("first")).isEqualTo(first);

    // Ten thousand forged kids within one cooldown: one fetch at most, each refused.
    for (int i = 0; i < 10_000; i++) {
      String forged = "forged-" + i;
      assertThatThrownBy(() -> resolver.publicKey(forged)).isInstanceOf(InvalidTokenException.class);
    }
    assertThat(fetches.get()).isLessThanOrEqualTo(2);

    // The auth service publishes its next key; forged tokens keep arriving every moment.
    published.add(jwk("rotated", rotated));
    for (int second = 0; second < 3; second++) {
      clock.advance(Duration.ofMillis(1_100));
      int n = second;
      assertThatThrownBy(() -> resolver.publicKey("flood-" + n))
          .isInstanceOf(InvalidTokenException.class);
    }
    // The flood's fetches brought the new key: the genuine token passes with no fetch of its own.
    int before = fetches.get();
    assertThat(resolver.publicKey("rotated")).isEqualTo(rotated);
    assertThat(fetches.get()).isEqualTo(before);
    // Remembered unknown kids cost no fetch, even after the cooldown.
    clock.advance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> resolver.publicKey("flood-0")).isInstanceOf(InvalidTokenException.class);
    assertThat(fetches.get()).isEqualTo(before);
  }

  @Test
  void withoutAFloodTheFirstGenuineNewKidFetchesAfterTheCooldown() throws Exception {
    RSAPublicKey first = rsa();
    RSAPublicKey rotated = rsa();
    published.add(jwk("first", first));
    MutableClock clock = new MutableClock();
    JwksSigningKeyResolver resolver =
        new JwksSigningKeyResolver(url(), Duration.ofSeconds(1), clock);
    assertThat(resolver.publicKey("first")).isEqualTo(first);
    published.add(jwk("rotated", rotated));
    clock.advance(Duration.ofMillis(1_100));
    assertThat(resolver.publicKey("rotated")).isEqualTo(rotated);
  }

  /** A clock the test moves, so cooldowns are exact whatever the machine's load. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
  }

  private static RSAPublicKey rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return (RSAPublicKey) generator.generateKeyPair().getPublic();
  }

  private static String jwk(String kid, RSAPublicKey key) {
    return "{\"kty\":\"RSA\",\"kid\":\""
        + kid
        + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
        + b64(key.getModulus())
        + "\",\"e\":\""
        + b64(key.getPublicExponent())
        + "\"}";
  }

  private static String b64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
