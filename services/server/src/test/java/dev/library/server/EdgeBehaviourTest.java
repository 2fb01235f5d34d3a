package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.GetAuthorRequest;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.StatusAssertions;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the REST edge does on its own, seen from outside: it strips the server key, answers CORS,
 * answers every error (its own and the services') as google.rpc.Status JSON, and fails fast when
 * a service is down. The process hosts auth and author only: category and book are "down".
 */
class EdgeBehaviourTest {
  private static final Set<String> RUNNING = Set.of("auth", "author");
  private static final String ALLOWED_ORIGIN = "http://app.example.org";
  private static final int FUZZED_REQUESTS = 400;

  /**
   * DESIGN.md §1, the fixed REST API: service, RPC, method, path. Every row must reach its
   * service through the edge.
   */
  private static final List<String[]> API =
      List.of(
          row("auth", "Register", "POST /api/v1/auth/register"),
          row("auth", "Login", "POST /api/v1/auth/login"),
          row("auth", "RefreshToken", "POST /api/v1/auth/refresh"),
          row("auth", "VerifyToken", "POST /api/v1/auth/verify"),
          row("author", "CreateAuthor", "POST /api/v1/authors"),
          row("author", "GetAuthor", "GET /api/v1/authors/{id}"),
          row("author", "UpdateAuthor", "PUT /api/v1/authors/{id}"),
          row("author", "DeleteAuthor", "DELETE /api/v1/authors/{id}"),
          row("author", "ListAuthors", "GET /api/v1/authors"),
          row("category", "CreateCategory", "POST /api/v1/categories"),
          row("category", "GetCategory", "GET /api/v1/categories/{id}"),
          row("category", "UpdateCategory", "PUT /api/v1/categories/{id}"),
          row("category", "DeleteCategory", "DELETE /api/v1/categories/{id}"),
          row("category", "ListCategories", "GET /api/v1/categories"),
          row("category", "UpdateItemCategories", "PUT /api/v1/items/{item_id}/categories"),
          row("category", "BulkAddItemToCategories", "POST /api/v1/categories/bulk-add-item"),
          row("category", "GetItemCategories", "GET /api/v1/items/{item_id}/categories"),
          row("category", "GetItemsByCategories", "GET /api/v1/categories/items"),
          row("book", "CreateBook", "POST /api/v1/books"),
          row("book", "GetBook", "GET /api/v1/books/{id}"),
          row("book", "UpdateBook", "PUT /api/v1/books/{id}"),
          row("book", "DeleteBook", "DELETE /api/v1/books/{id}"),
          row("book", "ListBooks", "GET /api/v1/books"),
          row("book", "BorrowBook", "POST /api/v1/books/{id}/borrow"),
          row("book", "ReturnBook", "POST /api/v1/books/{id}/return"),
          row("book", "GetBookRecommendations", "GET /api/v1/books/{id}/recommendations"));

  private static LibrarySystem system;
  private static Rest rest;
  private static TestAccounts.User librarian;
  private static TestAccounts.User member;
  private static String authorId;

  @BeforeAll
  static void start() {
    // Envoy's file allows no CORS origin; this copy allows one, as README tells an operator.
    system =
        LibrarySystem.start(
            "auth,author,gateway",
            Map.of(
                "edges.gateway.envoyConfig",
                EnvoyCopies.withAllowedOrigin(ALLOWED_ORIGIN).toString()));
    rest = new Rest(system.gatewayPort());
    TestAccounts accounts = new TestAccounts(system);
    librarian = accounts.librarian();
    member = accounts.member();
    authorId =
        rest.post("/api/v1/authors")
            .bearer(librarian.token())
            .body(Map.of("name", "Ursula K. Le Guin", "birthDate", "1929-10-21"))
            .send()
            .expect(200)
            .path("author")
            .path("id")
            .asText();
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void theTableHasEveryRowOfTheDesign() {
    assertThat(API).hasSize(26);
    assertThat(API.stream().map(r -> r[2]).distinct()).hasSize(26);
  }

  @Test
  void anIncomingServerKeyIsStripped() {
    // The premise: the author service itself takes this key from a service caller.
    assertThat(
            StatusAssertions.code(
                () ->
                    AuthorServiceGrpc.newBlockingStub(system.channel("author"))
                        .withCallCredentials(Credentials.serverKey(LibrarySystem.SERVER_KEY))
                        .getAuthor(GetAuthorRequest.newBuilder().setId(authorId).build())))
        .isEqualTo(Status.Code.OK);

    String path = "/api/v1/authors/" + authorId;
    // Through the edge the key is gone, so the call has no credentials at all.
    rest.get(path).header("server-key", LibrarySystem.SERVER_KEY).send().expectError(401, 16);
    rest.get(path).header("Server-Key", LibrarySystem.SERVER_KEY).send().expectError(401, 16);

    for (String token : List.of(librarian.token(), member.token())) {
      JsonNode author =
          rest.get(path)
              .header("server-key", LibrarySystem.SERVER_KEY)
              .bearer(token)
              .send()
              .expect(200);
      assertThat(author.path("author").path("id").asText()).isEqualTo(authorId);
      assertThat(author.path("author").path("name").asText()).isEqualTo("Ursula K. Le Guin");
    }
  }

  @Test
  void aGrpcClientOfTheEdgeCannotPresentTheServerKeyEither() throws InterruptedException {
    ManagedChannel edge =
        NettyChannelBuilder.forAddress("localhost", system.gatewayPort()).usePlaintext().build();
    try {
      AuthorServiceGrpc.AuthorServiceBlockingStub author =
          AuthorServiceGrpc.newBlockingStub(edge).withDeadlineAfter(10, TimeUnit.SECONDS);
      GetAuthorRequest request = GetAuthorRequest.newBuilder().setId(authorId).build();

      assertThat(
              StatusAssertions.code(
                  () -> author.withCallCredentials(Credentials.bearer(member.token())).getAuthor(request)))
          .as("the edge proxies gRPC")
          .isEqualTo(Status.Code.OK);
      assertThat(
              StatusAssertions.code(
                  () ->
                      author
                          .withCallCredentials(Credentials.serverKey(LibrarySystem.SERVER_KEY))
                          .getAuthor(request)))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    } finally {
      edge.shutdownNow();
      edge.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void corsPreflightIsAnsweredForTheApi() {
    Rest.Reply preflight =
        rest.preflight("/api/v1/books", "http://app.example.org", "POST", "authorization,content-type").send();

    assertThat(preflight.status()).as("preflight status").isBetween(200, 299);
    assertThat(preflight.header("access-control-allow-origin"))
        .hasValueSatisfying(o -> assertThat(o).isEqualTo(ALLOWED_ORIGIN));
    assertThat(headerTokens(preflight, "access-control-allow-headers"))
        .contains("authorization", "content-type");
    assertThat(headerTokens(preflight, "access-control-allow-methods")).contains("post");
    assertThat(preflight.header("access-control-allow-credentials"))
        .as("credentials stay disallowed")
        .isEmpty();
  }

  /** Any other origin is served as if it sent none: no CORS headers, so the browser refuses. */
  @Test
  void anOriginTheConfigurationDoesNotListGetsNoCorsHeaders() {
    Rest.Reply preflight =
        rest.preflight("/api/v1/auth/login", "https://evil.example", "POST", "content-type").send();
    assertThat(preflight.status()).isGreaterThanOrEqualTo(400);
    assertThat(preflight.header("access-control-allow-origin")).isEmpty();

    Rest.Reply reply =
        rest.get("/api/v1/authors/" + authorId)
            .header("origin", "https://evil.example")
            .bearer(member.token())
            .send();
    reply.expect(200);
    assertThat(reply.header("access-control-allow-origin")).isEmpty();
  }

  @Test
  void aCrossOriginCallGetsCorsHeaders() {
    Rest.Reply reply =
        rest.get("/api/v1/authors/" + authorId)
            .header("origin", "http://app.example.org")
            .bearer(member.token())
            .send();
    reply.expect(200);
    assertThat(reply.header("access-control-allow-origin"))
        .hasValueSatisfying(o -> assertThat(o).isEqualTo(ALLOWED_ORIGIN));
    assertThat(headerTokens(reply, "access-control-expose-headers")).contains("grpc-status");
  }

  @Test
  void anUnknownPathIsAJson404() {
    rest.get("/api/v1/no-such-thing").bearer(member.token()).send().expectError(404, 5);
    rest.get("/no-such-page").send().expectError(404, 5);
    rest.post("/api/v1/authors/" + authorId + "/no-such-action")
        .bearer(librarian.token())
        .body("{}")
        .send()
        .expectError(404, 5);
  }

  @Test
  void aMalformedJsonBodyIsAJson400() {
    rest.post("/api/v1/auth/login").body("{\"username\": \"ada\", ").send().expectError(400, 3);
    rest.post("/api/v1/authors")
        .bearer(librarian.token())
        .body("this is not json")
        .send()
        .expectError(400, 3);
    // JSON, but not the message's: an unknown field.
    rest.post("/api/v1/authors")
        .bearer(librarian.token())
        .body("{\"nmae\": \"Octavia Butler\"}")
        .send()
        .expectError(400, 3);
  }

  @Test
  void aServiceThatIsNotRunningIsAQuick503() {
    // The timeout is the failure detector: an edge that waits for the service to come up would
    // hang until it gives up (30 s by default), far past it.
    rest.get("/api/v1/books")
        .bearer(member.token())
        .timeout(Duration.ofSeconds(5))
        .send()
        .expectError(503, 14);
    // Again: a down upstream is retried per request, not remembered as a hang.
    rest.get("/api/v1/categories")
        .bearer(member.token())
        .timeout(Duration.ofSeconds(5))
        .send()
        .expectError(503, 14);
  }

  /**
   * The fuzz test of {@link RestFuzzTest} against this process, where the Category and Book
   * services are down: only an operation that needs one of them may answer 503; every other
   * rule of {@link ErrorBodyOracle} holds as with every service up. (Generated from a fixed seed
   * with jqwik's generators, here rather than in a property of its own class, so that it shares
   * this process instead of starting another.)
   */
  @Test
  void fuzzedRequestsGet503OnlyFromOperationsThatNeedAStoppedService() {
    List<OpenApiOperations.Operation> operations = OpenApiOperations.read(rest);
    Map<HostileRequests.Caller, String> tokens = new java.util.EnumMap<>(HostileRequests.Caller.class);
    tokens.put(HostileRequests.Caller.MEMBER, member.token());
    tokens.put(HostileRequests.Caller.LIBRARIAN, librarian.token());
    tokens.put(HostileRequests.Caller.ADMIN, new TestAccounts(system).admin().token());
    String author = rest.createAuthor(librarian.token(), "Fuzz Author");
    HostileRequests requests =
        new HostileRequests(
            new HostileRequests.Context(
                tokens, Map.of("author", List.of(author), "user", List.of(member.id(), librarian.id()))));
    var generator = RestFuzzTest.requests(operations, requests).generator(1000);
    java.util.Random random = new java.util.Random(20261204L);
    int unavailable = 0;
    for (int i = 0; i < FUZZED_REQUESTS; i++) {
      FuzzRequest request = generator.next(random).value();
      Rest.Reply response = RestFuzzTest.send(rest, request);
      OpenApiOperations.Operation operation =
          operations.stream()
              .filter(o -> o.operationId().equals(request.operation()))
              .findFirst()
              .orElseThrow();
      boolean needsAStoppedService =
          !RUNNING.contains(operation.service()) || operation.operationId().equals("DeleteAuthor");
      assertThat(
              ErrorBodyOracle.problems(
                  request,
                  response.status(),
                  response.header("content-type").orElse(null),
                  response.body(),
                  needsAStoppedService))
          .as("answer %s %s to %s", response.status(), RestFuzzTest.clip(response.body()), request)
          .isEmpty();
      if (response.status() == 503) {
        unavailable++;
      }
    }
    assertThat(unavailable).as("the premise: calls reached the stopped services").isPositive();
  }

  static Stream<Arguments> apiRows() {
    return API.stream().map(r -> Arguments.of(r[0], r[1], r[2]));
  }

  /**
   * Every API row without credentials: a JSON answer, never an HTML page. A running service
   * answers it (so not the edge's 404 or 405: the route exists); a service that is not running
   * is a 503.
   */
  @ParameterizedTest(name = "anonymous {2} ({1})")
  @MethodSource("apiRows")
  void everyApiRowAnonymously(String service, String rpc, String route) {
    Rest.Reply reply = callRow(route, null);
    assertJsonAnswer(reply);
    if (RUNNING.contains(service)) {
      assertThat(reply.status())
          .as("%s reaches %s: %s", route, service, reply.body())
          .isBetween(200, 499)
          .isNotIn(404, 405);
      if (service.equals("author")) {
        reply.expectError(401, 16);
      }
    } else {
      reply.expectError(503, 14);
    }
  }

  /** Every API row as a librarian: still JSON, never a 5xx from a running service. */
  @ParameterizedTest(name = "librarian {2} ({1})")
  @MethodSource("apiRows")
  void everyApiRowAsALibrarian(String service, String rpc, String route) {
    Rest.Reply reply = callRow(route, librarian.token());
    assertJsonAnswer(reply);
    if (RUNNING.contains(service)) {
      assertThat(reply.status())
          .as("%s as a librarian: %s", route, reply.body())
          .isBetween(200, 499);
    } else {
      reply.expectError(503, 14);
    }
  }

  private static Rest.Reply callRow(String route, String token) {
    String[] parts = route.split(" ", 2);
    String method = parts[0];
    String path =
        parts[1]
            .replace("{id}", UUID.randomUUID().toString())
            .replace("{item_id}", UUID.randomUUID().toString());
    Rest.Call call = rest.call(method, path).timeout(Duration.ofSeconds(10));
    if (method.equals("POST") || method.equals("PUT")) {
      call.body("{}");
    }
    if (token != null) {
      call.bearer(token);
    }
    return call.send();
  }

  private static void assertJsonAnswer(Rest.Reply reply) {
    assertThat(reply.body().stripLeading())
        .as("%s answered a page, not JSON", reply.request())
        .doesNotStartWith("<");
    reply.json();
    assertThat(reply.status())
        .as("%s: %s", reply.request(), reply.body())
        .satisfiesAnyOf(s -> assertThat(s).isLessThan(500), s -> assertThat(s).isEqualTo(503));
  }

  private static List<String> headerTokens(Rest.Reply reply, String name) {
    return reply.headers(name).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(v -> v.trim().toLowerCase(Locale.ROOT))
        .filter(v -> !v.isEmpty())
        .toList();
  }

  private static String[] row(String service, String rpc, String route) {
    return new String[] {service, rpc, route};
  }
}
