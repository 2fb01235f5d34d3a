package dev.library.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.library.auth.v1.LoginRequest;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.ListBooksRequest;
import dev.library.testing.Rest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the gateway refuses by itself, as Envoy's configuration refuses it, before any service
 * sees the request: bodies that are not JSON (415), JSON that is not strictly one value in UTF-8
 * (400), paths and query strings that are not UTF-8 (400), request lines and headers over
 * Envoy's limit (414, 431), bodies over it (413). Every refusal is a google.rpc.Status JSON body
 * whose code is the one envoy.yaml's local replies give the status, and the upstream never sees
 * the request; what is within the rules (100 category ids in a query string, a bare POST) goes
 * through. The gateway runs on the packaged envoy.yaml in front of a {@link FakeUpstream}.
 */
class EdgeRefusalsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOGIN = "/api/v1/auth/login";
  private static final String VALID_LOGIN = "{\"username\":\"ada\",\"password\":\"pw\"}";

  private static FakeUpstream upstream;
  private static GatewayServer gateway;
  private static Rest rest;
  private static int headerLimit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    String address = "localhost:" + upstream.port();
    GatewaySettings settings =
        new GatewaySettings()
            .port(0)
            .useServiceAddresses(false)
            .requestTimeout(Duration.ofSeconds(10))
            .clusterAddresses(
                Map.of("auth", address, "book", address, "author", address, "category", address));
    EnvoyConfig envoy = GatewayModule.envoyConfig(settings);
    headerLimit = envoy.maxRequestHeadersBytes();
    gateway =
        GatewayServer.plaintext(
            envoy,
            settings,
            ProtoDescriptors.load(),
            GatewayModule.clusterAddresses(settings, envoy, null),
            null);
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

  // ---- 415 ---------------------------------------------------------------------------------

  /** A cross-site form or text/plain POST needs no CORS preflight: it must not reach Login. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonp",
        "text/json"
      })
  void aBodyThatIsNotDeclaredJsonIs415(String contentType) throws Exception {
    Rest.Reply response =
        refused(rest.post(LOGIN).header("content-type", contentType).rawBody(body(VALID_LOGIN)));

    assertRefusal(response, 415, 3);
    assertThat(message(response)).contains("application/json");
  }

  @Test
  void aBodyWithoutAContentTypeIs415() throws Exception {
    assertRefusal(refused(rest.post(LOGIN).rawBody(body(VALID_LOGIN))), 415, 3);
  }

  @Test
  void aGetThatDeclaresAnotherContentTypeIs415AsInEnvoy() throws Exception {
    assertRefusal(
        refused(rest.get("/api/v1/books/b-1").header("content-type", "text/plain")), 415, 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON"})
  void jsonInAnySpellingIsTranscoded(String contentType) throws Exception {
    Rest.Reply response =
        rest.post(LOGIN).header("content-type", contentType).rawBody(body(VALID_LOGIN)).send();

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(upstream.lastRequest.get())
        .isEqualTo(LoginRequest.newBuilder().setUsername("ada").setPassword("pw").build());
  }

  /** `curl -X POST …/borrow` sends neither a body nor a Content-Type: nothing to refuse. */
  @Test
  void aBarePostWithoutBodyNeedsNoContentType() throws Exception {
    Rest.Reply response =
        rest.post("/api/v1/books/b-7/borrow").send();

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(upstream.lastRequest.get())
        .isEqualTo(BorrowBookRequest.newBuilder().setId("b-7").build());
  }

  // ---- strict JSON -------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"username\":\"ada\"} x",
        "{\"username\":\"ada\"}{}",
        "{\"username\":\"ada\"} {\"password\":\"pw\"}",
        "{\"username\":\"ada\"}\n\n]",
        "{} []",
        "{} 1"
      })
  void contentAfterTheJsonValueIs400(String json) throws Exception {
    assertRefusal(refused(jsonPost(LOGIN, json)), 400, 3);
  }

  @Test
  void whitespaceAfterTheJsonValueIsFine() throws Exception {
    assertThat(jsonPost(LOGIN, VALID_LOGIN + " \n\t\r\n").send().status()).isEqualTo(200);
  }

  /** Gson, under protobuf's JsonFormat, would read all of these in its lenient mode. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'username':'ada'}",
        "{username:\"ada\"}",
        "{\"username\":\"ada\",}",
        "/* c */ {\"username\":\"ada\"}",
        "{\"username\":\"ada\"} // c",
        "{\"username\":\"ada\";\"password\":\"pw\"}",
        "{\"username\"=\"ada\"}",
        "\"just a string\" \"and another\"",
        " ",
        "{\"username\":\"ada\",\"username\":\"bob\"}"
      })
  void jsonThatIsNotStrictlyJsonIs400(String json) throws Exception {
    assertRefusal(refused(jsonPost(LOGIN, json)), 400, 3);
  }

  @Test
  void deepNestingIs400() throws Exception {
    String deep = "{\"username\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertRefusal(refused(jsonPost(LOGIN, deep)), 400, 3);
  }

  // ---- UTF-8 -------------------------------------------------------------------------------

  static List<byte[]> invalidUtf8() {
    return List.of(
        new byte[] {(byte) 0xff}, // never valid
        new byte[] {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate, encoded (CESU-8)
        new byte[] {(byte) 0xe2, (byte) 0x82}, // truncated '€'
        new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // beyond U+10FFFF
  }

  /** Protobuf would read these as U+FFFD and the service would store what nobody sent. */
  @Test
  void aBodyThatIsNotUtf8Is400() throws Exception {
    for (byte[] bad : invalidUtf8()) {
      ByteArrayOutputStream json = new ByteArrayOutputStream();
      json.writeBytes("{\"username\":\"a".getBytes(StandardCharsets.UTF_8));
      json.writeBytes(bad);
      json.writeBytes("b\",\"password\":\"pw\"}".getBytes(StandardCharsets.UTF_8));
      Rest.Reply response =
          refused(
              rest.post(LOGIN)
                  .header("content-type", "application/json")
                  .rawBody(json.toByteArray()));
      assertRefusal(response, 400, 3);
      assertThat(message(response)).contains("UTF-8");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\ud800", "a\\udc00b", "\\ud83d", "\\ude00\\ud83d"})
  void anEscapedLoneSurrogateIs400(String escaped) throws Exception {
    String json = "{\"username\":\"" + escaped + "\",\"password\":\"pw\"}";
    assertRefusal(refused(jsonPost(LOGIN, json)), 400, 3);
  }

  @Test
  void anEscapedSurrogatePairIsOneCharacter() throws Exception {
    Rest.Reply response =
        jsonPost(LOGIN, "{\"username\":\"\\ud83d\\ude00\",\"password\":\"pw\"}").send();

    assertThat(response.status()).isEqualTo(200);
    assertThat(((LoginRequest) upstream.lastRequest.get()).getUsername()).isEqualTo("😀");
  }

  @ParameterizedTest
  @ValueSource(strings = {"%FF", "a%C0%AFb", "%ED%A0%80", "%E2%82", "%F4%90%80%80"})
  void aQueryValueThatIsNotUtf8Is400(String encoded) throws Exception {
    Rest.Reply response = refused(rest.get("/api/v1/books?title_query=" + encoded));
    assertRefusal(response, 400, 3);
    assertThat(message(response)).contains("UTF-8");
  }

  @Test
  void aPathThatIsNotUtf8Is400() throws Exception {
    assertRefusal(refused(rest.get("/api/v1/books/%FF")), 400, 3);
  }

  @Test
  void percentEncodedUtf8ArrivesAsTheCharacters() throws Exception {
    Rest.Reply response =
        rest.get("/api/v1/books?title_query=caf%C3%A9%20%F0%9F%98%80").send();

    assertThat(response.status()).isEqualTo(200);
    assertThat(((ListBooksRequest) upstream.lastRequest.get()).getTitleQuery()).isEqualTo("café 😀");
  }

  // ---- limits ------------------------------------------------------------------------------

  /** The documented maximum of ListBooks, in a query string, in both spellings. */
  @ParameterizedTest
  @ValueSource(strings = {"category_ids", "categoryIds"})
  void aHundredCategoryIdsFitInAQueryString(String name) throws Exception {
    List<String> ids = IntStream.range(0, 100).mapToObj(i -> UUID.randomUUID().toString()).toList();
    String query = ids.stream().map(id -> name + "=" + id).collect(Collectors.joining("&"));

    Rest.Reply response =
        rest.get("/api/v1/books?" + query + "&sort_by=TITLE").header("authorization",
            "Bearer " + "t".repeat(1200)).send();

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(((ListBooksRequest) upstream.lastRequest.get()).getCategoryIdsList())
        .containsExactlyElementsOf(ids);
  }

  @Test
  void aRequestLineOverTheLimitIs414() throws Exception {
    String query = "title_query=" + "x".repeat(headerLimit + 10);
    Rest.Reply response = refused(rest.get("/api/v1/books?" + query));

    assertRefusal(response, 414, 3);
  }

  @Test
  void headersOverTheLimitAre431() throws Exception {
    Rest.Reply response =
        refused(rest.get("/api/v1/books").header("x-padding", "y".repeat(headerLimit + 10)));

    assertRefusal(response, 431, 3);
  }

  /** Envoy counts the URL with the headers: each under the limit, together over it. */
  @Test
  void aUrlAndHeadersTogetherOverTheLimitAre431() throws Exception {
    String query = "title_query=" + "x".repeat(headerLimit * 2 / 3);
    Rest.Reply response =
        refused(
            rest.get("/api/v1/books?" + query)
                .header("x-padding", "y".repeat(headerLimit * 2 / 3)));

    assertRefusal(response, 431, 3);
    assertThat(message(response)).contains(String.valueOf(headerLimit));
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    String big = "{\"username\":\"" + "x".repeat(1024 * 1024 + 1) + "\"}";
    assertRefusal(refused(jsonPost(LOGIN, big).resendOnEarlyReset()), 413, 3);
  }

  // ---- gRPC clients of the proxy ------------------------------------------------------------

  private static final io.grpc.MethodDescriptor.Marshaller<byte[]> BYTES =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public java.io.InputStream stream(byte[] value) {
          return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  /** Bytes that are not a LoginRequest: the caller's mistake, not the gateway's INTERNAL. */
  @Test
  void aGrpcClientsMalformedMessageIsInvalidArgument() throws Exception {
    io.grpc.MethodDescriptor<byte[], byte[]> login =
        io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("library.auth.v1.AuthService/Login")
            .build();
    for (byte[] malformed :
        List.of(
            new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x7f, 1}, // truncated
            new byte[] {0x0a, 0x02, (byte) 0xc3, (byte) 0x28})) { // a string that is not UTF-8
      assertThat(grpcCode(channel -> io.grpc.stub.ClientCalls.blockingUnaryCall(
              channel, login, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS),
              malformed)))
          .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    }
  }

  private static io.grpc.Status.Code grpcCode(
      java.util.function.Consumer<io.grpc.ManagedChannel> call) throws InterruptedException {
    io.grpc.ManagedChannel channel =
        io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", gateway.port())
            .usePlaintext()
            .build();
    int before = upstream.calls.get();
    try {
      call.accept(channel);
      return io.grpc.Status.Code.OK;
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().getCode();
    } finally {
      channel.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(upstream.calls.get()).as("the upstream saw a refused call").isEqualTo(before);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Sends a request the upstream must never see. */
  private static Rest.Reply refused(Rest.Call request) {
    int before = upstream.calls.get();
    Rest.Reply response = request.send();
    assertThat(upstream.calls.get())
        .as("the upstream saw a refused request (%s %s)", response.status(), response.body())
        .isEqualTo(before);
    return response;
  }

  /** A google.rpc.Status JSON body with the code and a message, under the HTTP status. */
  private static void assertRefusal(Rest.Reply response, int status, int code) {
    JsonNode body = response.expectError(status, code);
    assertThat(body.path("message").asText())
        .as("no internals")
        .doesNotContain("Exception", "com.", "io.", "java.", "`");
  }

  private static String message(Rest.Reply response) throws IOException {
    return JSON.readTree(response.body()).path("message").asText();
  }

  private static Rest.Call jsonPost(String path, String json) {
    return rest.post(path).body(json);
  }

  private static byte[] body(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
