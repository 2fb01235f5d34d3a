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
    JwksSigningKeyResolver resolver = new JwksSigningKeyResolver(url());

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
