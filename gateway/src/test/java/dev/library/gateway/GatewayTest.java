package dev.library.gateway;

import dev.library.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.LoginRequest;
import dev.library.auth.v1.LoginResponse;
import dev.library.book.v1.BookSortField;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.ListBooksRequest;
import dev.library.testing.Rest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway over real HTTP, configured from the packaged copy of envoy/envoy.yaml, in front of
 * real gRPC servers. The author and category clusters point at a closed port: their calls show
 * what a caller gets while a service is down.
 */
class GatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final String ALLOWED_ORIGIN = "http://localhost:3000";

  private static FakeUpstream upstream;
  private static GatewayServer gateway;
  private static Rest rest;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    int closed = FreePorts.next();
    GatewaySettings settings =
        new GatewaySettings()
            .port(0)
            .useServiceAddresses(false)
            .requestTimeout(REQUEST_TIMEOUT)
            .clusterAddresses(
                Map.of(
                    "auth", "localhost:" + upstream.port(),
                    "book", "localhost:" + upstream.port(),
                    "author", "localhost:" + closed,
                    "category", "localhost:" + closed));
    // The packaged envoy.yaml allows no origin; this copy lists one, as README says to.
    settings.envoyConfig(withAllowedOrigin(ALLOWED_ORIGIN).toString());
    EnvoyConfig envoy = GatewayModule.envoyConfig(settings);
    gateway =
        GatewayServer.plaintext(
            envoy,
            settings,
            ProtoDescriptors.load(),
            GatewayModule.clusterAddresses(settings, envoy, null),
            new DocsRoutes());
    gateway.start();
    rest = new Rest(gateway.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.stop();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void postWithBodyStarMapsTheWholeBodyAndPrintsPrimitiveDefaults() throws Exception {
    Rest.Reply response =
        rest.post("/api/v1/auth/login").body("{\"username\":\"ada\",\"password\":\"secret-pw\"}").send();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("accessToken").asText()).isEqualTo("access-ada");
    assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
    // always_print_primitive_fields: the empty string is there; lowerCamelCase names.
    assertThat(body.has("refreshToken")).isTrue();
    assertThat(body.get("refreshToken").asText()).isEmpty();
    assertThat(body.get("accessTokenExpiresAt").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(body.has("access_token")).isFalse();
    assertThat(upstream.lastRequest.get())
        .isEqualTo(LoginRequest.newBuilder().setUsername("ada").setPassword("secret-pw").build());
  }

  @Test
  void boolsAndRepeatedFieldsArePrintedWhenEmpty() throws Exception {
    Rest.Reply response = rest.post("/api/v1/auth/verify").body("{\"token\":\"x\"}").send();

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("valid").isBoolean()).isTrue();
    assertThat(body.get("valid").asBoolean()).isFalse();
    assertThat(body.get("userId").asText()).isEmpty();
    assertThat(body.get("roles").isArray()).isTrue();
    // A message field that is not set stays absent, as in Envoy.
    assertThat(body.has("expiresAt")).isFalse();
  }

  @Test
  void getMapsQueryParametersIncludingRepeatedOnesAndEnums() throws Exception {
    Rest.Reply response =
        rest.get(
                "/api/v1/books?category_ids=c1&category_ids=c2&sort_by=TITLE&sortDesc=true"
                    + "&page_size=5&title_query=dune%20messiah&available_only=true")
            .send();

    assertThat(response.status()).isEqualTo(200);
    assertThat(upstream.lastRequest.get())
        .isEqualTo(
            ListBooksRequest.newBuilder()
                .addCategoryIds("c1")
                .addCategoryIds("c2")
                .setSortBy(BookSortField.TITLE)
                .setSortDesc(true)
                .setPageSize(5)
                .setTitleQuery("dune messiah")
                .setAvailableOnly(true)
                .build());
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("books").isArray()).isTrue();
    assertThat(body.get("total").asInt()).isZero();
    assertThat(body.get("page").asInt()).isEqualTo(1);
    assertThat(body.get("pageSize").asInt()).isZero();
  }

  @Test
  void getMapsThePathVariableAndPrintsNestedMessages() throws Exception {
    Rest.Reply response = rest.get("/api/v1/books/b-42").send();

    assertThat(response.status()).isEqualTo(200);
    assertThat(upstream.lastRequest.get())
        .isEqualTo(GetBookRequest.newBuilder().setId("b-42").build());
    JsonNode book = JSON.readTree(response.body()).get("book");
    assertThat(book.get("id").asText()).isEqualTo("b-42");
    assertThat(book.get("author").get("name").asText()).isEqualTo("Frank Herbert");
    assertThat(book.get("totalCopies").asInt()).isEqualTo(1);
    assertThat(book.get("availableCopies").asInt()).isZero();
    assertThat(book.get("publicationYear").asInt()).isZero();
    assertThat(book.get("categoryIds")).hasSize(1);
    assertThat(book.get("categories").isArray()).isTrue();
  }

  @Test
  void postMapsPathVariableAndBodyTogether() throws Exception {
    Rest.Reply response = rest.post("/api/v1/books/b-7/borrow").body("{\"userId\":\"u-1\"}").send();

    assertThat(response.status()).isEqualTo(200);
    assertThat(upstream.lastRequest.get())
        .isEqualTo(BorrowBookRequest.newBuilder().setId("b-7").setUserId("u-1").build());
    assertThat(JSON.readTree(response.body()).get("transactionId").asText()).isEqualTo("t1");
  }

  @ParameterizedTest
  @CsvSource({
    "INVALID_ARGUMENT, 400",
    "FAILED_PRECONDITION, 400",
    "OUT_OF_RANGE, 400",
    "UNAUTHENTICATED, 401",
    "PERMISSION_DENIED, 403",
    "NOT_FOUND, 404",
    "ALREADY_EXISTS, 409",
    "ABORTED, 409",
    "RESOURCE_EXHAUSTED, 429",
    "CANCELLED, 499",
    "UNIMPLEMENTED, 501",
    "UNAVAILABLE, 503",
    "INTERNAL, 500",
    "UNKNOWN, 500",
    "DATA_LOSS, 500"
  })
  void upstreamErrorsBecomeHttpStatusesWithGoogleRpcStatusBodies(String code, int httpStatus)
      throws Exception {
    Rest.Reply response = rest.get("/api/v1/books/" + code).send();

    assertThat(response.status()).isEqualTo(httpStatus);
    assertThat(response.header("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asInt()).isEqualTo(Status.Code.valueOf(code).value());
    assertThat(body.get("message").asText()).isEqualTo("scripted " + code + ": ünïcode 100%");
    JsonNode detail = body.get("details").get(0);
    assertThat(detail.get("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.BadRequest");
    assertThat(detail.get("fieldViolations").get(0).get("field").asText()).isEqualTo("id");
    assertThat(detail.get("fieldViolations").get(0).get("description").asText())
        .isEqualTo("scripted failure");
  }

  @Test
  void forwardsAuthorizationAndOtherHeadersButNeverTheServerKey() throws Exception {
    Rest.Reply response =
        rest.get("/api/v1/books/b-1")
            .header("authorization", "Bearer token-123")
            .header("server-key", "forged")
            .header("x-request-id", "req-9")
            .send();

    assertThat(response.status()).isEqualTo(200);
    Metadata seen = upstream.lastHeaders.get();
    assertThat(seen.get(key("authorization"))).isEqualTo("Bearer token-123");
    assertThat(seen.get(key("x-request-id"))).isEqualTo("req-9");
    assertThat(seen.containsKey(key("server-key"))).isFalse();
    assertThat(seen.containsKey(key("host"))).isFalse();
  }

  @Test
  void theUpstreamSeesTheGatewaysDeadlineOrTheCallersIfShorter() throws Exception {
    rest.get("/api/v1/books/b-1").send();
    long gatewayDeadline = upstream.lastDeadline.get().timeRemaining(TimeUnit.MILLISECONDS);
    // The smaller of the gateway's requestTimeout and the route timeout in envoy.yaml.
    Duration routeTimeout =
        GatewayModule.envoyConfig(new GatewaySettings())
            .routeForService("library.book.v1.BookService")
            .flatMap(EnvoyConfig.Route::timeout)
            .orElse(REQUEST_TIMEOUT);
    long limit = Math.min(REQUEST_TIMEOUT.toMillis(), routeTimeout.toMillis());
    assertThat(gatewayDeadline).isPositive().isLessThanOrEqualTo(limit).isGreaterThan(limit - 2_000);

    rest.get("/api/v1/books/b-1").header("grpc-timeout", "3S").send();
    long callerDeadline = upstream.lastDeadline.get().timeRemaining(TimeUnit.MILLISECONDS);
    assertThat(callerDeadline).isPositive().isLessThanOrEqualTo(3_000);
  }

  @Test
  void anUpstreamThatDoesNotAnswerInTimeIsA504() throws Exception {
    Rest.Reply response = rest.get("/api/v1/books/hang").header("grpc-timeout", "300m").send();

    assertThat(response.status()).isEqualTo(504);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asInt()).isEqualTo(Status.Code.DEADLINE_EXCEEDED.value());
    assertThat(body.get("message").asText()).doesNotContain("remote_addr").doesNotContain("127.0.0.1");
    assertThat(upstream.hangingCallCancelled).succeedsWithin(Duration.ofSeconds(5));
  }

  @Test
  void anUpstreamThatIsDownIsA503AtOnce() throws Exception {
    Instant started = Instant.now();
    Rest.Reply response = rest.get("/api/v1/authors/a-1").send();

    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(5));
    assertThat(response.status()).isEqualTo(503);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asInt()).isEqualTo(Status.Code.UNAVAILABLE.value());
    assertThat(body.get("message").asText()).isEqualTo("library.author.v1.AuthorService is unavailable");

    // Still prompt the second time (grpc-java's reconnect backoff must not turn into a hang).
    started = Instant.now();
    assertThat(rest.get("/api/v1/categories").send().status()).isEqualTo(503);
    assertThat(rest.get("/api/v1/categories").send().status()).isEqualTo(503);
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anUnknownPathIsA404WithAJsonStatus() throws Exception {
    for (String path : new String[] {"/api/v1/nothing", "/", "/api/v1/books/b-1/nope"}) {
      Rest.Reply response = rest.get(path).send();
      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.header("content-type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/json"));
      assertThat(JSON.readTree(response.body()).get("code").asInt()).isEqualTo(5);
    }
  }

  @Test
  void aKnownPathWithAnUnknownMethodIsA404AsInEnvoy() throws Exception {
    Rest.Reply response =
        rest.call("PATCH", "/api/v1/auth/login").rawBody("{}".getBytes(StandardCharsets.UTF_8)).send();
    assertThat(response.status()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).get("code").asInt()).isEqualTo(5);
  }

  @Test
  void malformedJsonIsA400WithAJsonStatus() throws Exception {
    Rest.Reply response = rest.post("/api/v1/auth/login").body("{\"username\": \"ada\"").send();

    assertThat(response.status()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("code").asInt()).isEqualTo(3);
  }

  @Test
  void aFieldTheMessageDoesNotHaveIsA400() throws Exception {
    Rest.Reply response =
        rest.post("/api/v1/auth/login").body("{\"username\":\"ada\",\"pasword\":\"x\"}").send();

    assertThat(response.status()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asInt()).isEqualTo(3);
  }

  @Test
  void aValueOfTheWrongTypeIsA400() throws Exception {
    assertThat(rest.get("/api/v1/books?page_size=many").send().status()).isEqualTo(400);
    assertThat(rest.get("/api/v1/books?sort_by=NOT_A_FIELD").send().status()).isEqualTo(400);
    Rest.Reply response =
        rest.post("/api/v1/auth/login").body("{\"username\":{\"nested\":true}}").send();
    assertThat(response.status()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("code").asInt()).isEqualTo(3);
  }

  @Test
  void anUnknownQueryParameterIsRejectedAsEnvoysConfigSays() throws Exception {
    Rest.Reply response = rest.get("/api/v1/books?titel_query=dune").send();

    assertThat(response.status()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asInt()).isEqualTo(3);
    assertThat(body.get("message").asText()).contains("titel_query");
  }

  @Test
  void aBodyOverEnvoysLimitIsA413() throws Exception {
    String big = "{\"username\":\"" + "x".repeat(1024 * 1024 + 1) + "\"}";
    Rest.Reply response = rest.post("/api/v1/auth/login").body(big).resendOnEarlyReset().send();

    assertThat(response.status()).isEqualTo(413);
    assertThat(JSON.readTree(response.body()).get("code").asInt()).isEqualTo(3);
  }

  @Test
  void answersCorsPreflightsAsEnvoysPolicySays() throws Exception {
    Rest.Reply response =
        rest.preflight("/api/v1/books", "http://localhost:3000", "POST", "authorization, content-type").send();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("access-control-allow-origin")).isPresent();
    assertThat(response.header("access-control-allow-methods").orElseThrow())
        .contains("POST");
    assertThat(response.header("access-control-allow-headers").orElseThrow())
        .containsIgnoringCase("authorization")
        .containsIgnoringCase("content-type");

    Rest.Reply actual =
        rest.get("/api/v1/books/b-1").header("origin", "http://localhost:3000").send();
    assertThat(actual.header("access-control-allow-origin")).isPresent();
  }

  /**
   * An origin the policy does not list is served as if it sent no Origin, as Envoy does: no CORS
   * headers, so a browser keeps the answer from the page; its preflight is refused.
   */
  @Test
  void anOriginThePolicyDoesNotListGetsNoCorsHeaders() throws Exception {
    Rest.Reply preflight =
        rest.preflight("/api/v1/auth/login", "https://evil.example", "POST", "content-type").send();
    // Armeria answers a preflight that no CORS policy takes 403, Envoy 404 (an unknown method):
    // either way it fails, and nothing tells the browser the origin may call.
    assertThat(preflight.status()).isIn(403, 404);
    assertThat(preflight.header("access-control-allow-origin")).isEmpty();
    assertThat(preflight.header("access-control-allow-methods")).isEmpty();

    Rest.Reply actual =
        rest.get("/api/v1/books/b-1").header("origin", "https://evil.example").send();
    assertThat(actual.status()).isEqualTo(200);
    assertThat(actual.header("access-control-allow-origin")).isEmpty();
  }

  @Test
  void gRpcClientsUseTheSamePortAndCannotPresentTheServerKey() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      headers.put(key("server-key"), "forged");
      headers.put(key("authorization"), "Bearer grpc-token");
      LoginResponse response =
          AuthServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .login(LoginRequest.newBuilder().setUsername("grace").build());

      assertThat(response.getAccessToken()).isEqualTo("access-grace");
      assertThat(upstream.lastHeaders.get().containsKey(key("server-key"))).isFalse();
      assertThat(upstream.lastHeaders.get().get(key("authorization")))
          .isEqualTo("Bearer grpc-token");

      StatusRuntimeException notFound =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () ->
                  dev.library.book.v1.BookServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .getBook(GetBookRequest.newBuilder().setId("NOT_FOUND").build()));
      assertThat(notFound.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(io.grpc.protobuf.StatusProto.fromThrowable(notFound).getDetailsCount()).isOne();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesSwaggerUiAndTheOpenApiDocumentsOnTheSamePort() throws Exception {
    Rest.Reply redirect = rest.get("/docs").send();
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("location")).hasValue("/docs/");

    Rest.Reply page = rest.get("/docs/").send();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type").orElseThrow()).startsWith("text/html");

    assertThat(rest.get("/docs/swagger-ui-bundle.js").send().status()).isEqualTo(200);

    Rest.Reply document = rest.get("/openapi/book.swagger.json").send();
    assertThat(document.status()).isEqualTo(200);
    assertThat(JSON.readTree(document.body()).get("paths").has("/api/v1/books")).isTrue();

    Rest.Reply missing = rest.get("/openapi/nothing.swagger.json").send();
    assertThat(missing.status()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("code").asInt()).isEqualTo(5);
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  /** A copy of the packaged envoy.yaml whose CORS policy allows {@code origin}. */
  static java.nio.file.Path withAllowedOrigin(String origin) throws IOException {
    String packaged;
    try (var in =
        GatewayTest.class.getClassLoader().getResourceAsStream(GatewaySettings.PACKAGED_ENVOY_CONFIG)) {
      packaged = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String none = "allow_origin_string_match: []";
    assertThat(packaged).contains(none);
    java.nio.file.Path copy = java.nio.file.Files.createTempFile("envoy-", ".yaml");
    copy.toFile().deleteOnExit();
    java.nio.file.Files.writeString(
        copy, packaged.replace(none, "allow_origin_string_match: [{exact: \"" + origin + "\"}]"));
    return copy;
  }

}
