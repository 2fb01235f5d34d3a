package dev.library.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against the JDK's HTTP server: what Rest sends, and what its assertions accept. */
class RestTest {
  private static HttpServer server;
  private static Rest rest;
  private static final AtomicReference<HttpExchange> seen = new AtomicReference<>();
  private static final AtomicReference<byte[]> seenBody = new AtomicReference<>();

  /** Answers with the status and JSON body the path names: /{status}/{json}. */
  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seenBody.set(exchange.getRequestBody().readAllBytes());
          seen.set(exchange);
          String[] parts = exchange.getRequestURI().getPath().split("/", 3);
          byte[] body = (parts.length > 2 ? parts[2] : "{}").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(Integer.parseInt(parts[1]), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    rest = new Rest(server.getAddress().getPort());
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static String answering(int status, String json) {
    return "/" + status + "/" + Rest.encode(json);
  }

  @Test
  void aJsonBodyIsDeclaredJsonAndCarriesTheToken() {
    var body = rest.post(answering(200, "{\"ok\":true}")).bearer("t-1").body(Map.of("name", "Ada")).send().expect(200);
    assertThat(body.path("ok").asBoolean()).isTrue();
    assertThat(seen.get().getRequestMethod()).isEqualTo("POST");
    assertThat(seen.get().getRequestHeaders().getFirst("content-type")).isEqualTo("application/json");
    assertThat(seen.get().getRequestHeaders().getFirst("authorization")).isEqualTo("Bearer t-1");
    assertThat(new String(seenBody.get(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Ada\"}");
  }

  @Test
  void aRawBodyGoesAsItIsWithNoContentType() {
    byte[] notUtf8 = {'{', (byte) 0xff, '}'};
    rest.call("PATCH", "/200").rawBody(notUtf8).header("x-one", "1").send();
    assertThat(seen.get().getRequestMethod()).isEqualTo("PATCH");
    assertThat(seenBody.get()).isEqualTo(notUtf8);
    assertThat(seen.get().getRequestHeaders().containsKey("content-type")).isFalse();
    assertThat(seen.get().getRequestHeaders().getFirst("x-one")).isEqualTo("1");
  }

  @Test
  void expectErrorAcceptsAGoogleRpcStatusAndNamesTheRequestWhenItIsNot() {
    rest.get(answering(404, "{\"code\":5,\"message\":\"no such book\"}")).send().expectError(404, 5);
    assertThat(
            Rest.violatedFields(
                rest.get(
                        answering(
                            400,
                            "{\"code\":3,\"message\":\"bad\",\"details\":[{\"@type\":"
                                + "\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":"
                                + "[{\"field\":\"isbn\"}]}]}"))
                    .send()
                    .expectViolation("isbn")))
        .containsExactly("isbn");
    assertThatThrownBy(() -> rest.get(answering(500, "{\"code\":13}")).send().expectError(404, 5))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET /500/");
  }
}
