package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.server.HostileRequests.Caller;
import dev.library.server.HostileRequests.Hostility;
import dev.library.server.OpenApiOperations.Operation;
import dev.library.testing.Rest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A property-based fuzz test of every REST operation of the OpenAPI documents the edge serves,
 * against the whole system (four services, the gateway, embedded PostgreSQL): requests generated
 * from each operation's schemas, made hostile in one of many ways ({@link Hostility}), sent with
 * no token, a forged one, or a valid token of each role. Every answer must pass {@link
 * ErrorBodyOracle}: no 5xx (every service is up), errors as google.rpc.Status JSON whose code
 * goes with the HTTP status, no internals in messages, and no 2xx for what must be refused.
 *
 * <p>The seed is fixed, so a failure reproduces; jqwik prints the falsifying request.
 */
class RestFuzzTest {
  /** Requests per run: about 15 s here, most of them refusals answered in a millisecond. */
  static final int TRIES = 1500;
  /** Rounds of interleaved traffic, each 4 workers × 8 hostile/valid pairs. */
  static final int INTERLEAVED_TRIES = 8;
  static final int INTERLEAVED_PAIRS = 32;

  static LibrarySystem system;
  /** One client for seeding, fuzzing and the interleaved traffic: they share its connections. */
  static Rest rest;
  static List<Operation> operations;
  static HostileRequests requests;
  static InterleavedTraffic interleaved;

  @BeforeContainer
  static void start() {
    system = LibrarySystem.start("all");
    rest = new Rest(system.gatewayPort());
    operations = OpenApiOperations.read(rest);
    HostileRequests.Context context = seed(system, rest);
    requests = new HostileRequests(context);
    interleaved = new InterleavedTraffic(system, rest, context.tokens().get(Caller.LIBRARIAN));
  }

  @AfterContainer
  static void stop() {
    if (interleaved != null) {
      interleaved.close();
    }
    if (system != null) {
      system.close();
    }
  }

  /** Accounts of each role and a few things that exist, for generated calls to find. */
  static HostileRequests.Context seed(LibrarySystem system, Rest rest) {
    TestAccounts accounts = new TestAccounts(system);
    TestAccounts.User member = accounts.member();
    TestAccounts.User librarian = accounts.librarian();
    TestAccounts.User admin = accounts.admin();
    Map<Caller, String> tokens = new EnumMap<>(Caller.class);
    tokens.put(Caller.MEMBER, member.token());
    tokens.put(Caller.LIBRARIAN, librarian.token());
    tokens.put(Caller.ADMIN, admin.token());

    List<String> authors = new ArrayList<>();
    List<String> categories = new ArrayList<>();
    List<String> books = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      authors.add(rest.createAuthor(librarian.token(), "Fuzz Author " + i));
      categories.add(rest.createCategory(librarian.token(), "Fuzz Category " + i));
    }
    Random random = new Random(7);
    for (int i = 0; i < 3; i++) {
      books.add(
          rest.post("/api/v1/books")
              .bearer(librarian.token())
              .body(
                  Map.of(
                      "title", "Fuzz Book " + i,
                      "authorId", authors.get(i),
                      "isbn", HostileRequests.isbn13(random),
                      "totalCopies", 3,
                      "categoryIds", List.of(categories.get(i))))
              .send()
              .expect(200)
              .path("book")
              .path("id")
              .asText());
    }
    String loan =
        rest.post("/api/v1/books/" + books.get(0) + "/borrow")
            .bearer(member.token())
            .body("{}")
            .send()
            .expect(200)
            .path("transactionId")
            .asText();
    return new HostileRequests.Context(
        tokens,
        Map.of(
            "author", authors,
            "category", categories,
            "book", books,
            "user", List.of(member.id(), librarian.id()),
            "loan", List.of(loan)));
  }

  @Provide
  Arbitrary<FuzzRequest> requests() {
    return requests(operations, requests);
  }

  static Arbitrary<FuzzRequest> requests(List<Operation> operations, HostileRequests requests) {
    // Mostly signed-in callers and well-formed requests, so that calls get past the token check
    // and the input rules into the services' deeper paths; every hostility still comes up often.
    Arbitrary<Caller> callers =
        Arbitraries.frequency(
            Tuple.of(1, Caller.ANONYMOUS),
            Tuple.of(1, Caller.FORGED_TOKEN),
            Tuple.of(2, Caller.MEMBER),
            Tuple.of(4, Caller.LIBRARIAN),
            Tuple.of(1, Caller.ADMIN));
    List<Tuple.Tuple2<Integer, Hostility>> weights = new ArrayList<>();
    for (Hostility hostility : Hostility.values()) {
      int weight =
          switch (hostility) {
            case NONE -> 12;
            case HOSTILE_STRINGS -> 4;
            default -> 1;
          };
      weights.add(Tuple.of(weight, hostility));
    }
    return Combinators.combine(
            Arbitraries.of(operations),
            callers,
            Arbitraries.frequency(weights),
            Arbitraries.longs())
        .as((operation, caller, hostility, seed) ->
            requests.generate(operation, caller, hostility, new Random(seed)));
  }

  @Property(tries = TRIES, seed = "20261202", shrinking = ShrinkingMode.BOUNDED)
  void everyAnswerIsASuccessOrAClientErrorInTheDocumentedShape(
      @ForAll("requests") FuzzRequest request) {
    Rest.Reply response = send(rest, request);

    Statistics.label("status").collect(response.status());
    Statistics.label("hostility").collect(request.hostility().split("/")[0]);
    assertThat(
            ErrorBodyOracle.problems(
                request,
                response.status(),
                response.header("content-type").orElse(null),
                response.body(),
                false))
        .as("answer %s %s to %s", response.status(), clip(response.body()), request)
        .isEmpty();
  }

  @Provide
  Arbitrary<List<InterleavedTraffic.Step>> traffic() {
    Arbitrary<InterleavedTraffic.Step> hostile =
        Arbitraries.oneOf(
            requests()
                .filter(r -> !r.hostility().startsWith("NONE/"))
                .map(InterleavedTraffic.HostileRest::new),
            Arbitraries.of(InterleavedTraffic.GrpcHostility.class)
                .map(InterleavedTraffic.HostileGrpc::new));
    Arbitrary<InterleavedTraffic.Step> valid =
        Arbitraries.of(InterleavedTraffic.ValidKind.class).map(InterleavedTraffic.Valid::new);
    // Hostile, valid, hostile, valid, ...: each worker's share alternates.
    return Combinators.combine(hostile, valid)
        .as(List::of)
        .list()
        .ofSize(INTERLEAVED_PAIRS)
        .map(pairs -> pairs.stream().flatMap(List::stream).toList());
  }

  /**
   * Hostile and valid requests alternate on shared connections (HTTP/1.1 keep-alive, one of them
   * a single hand-written connection, and two HTTP/2 gRPC channels), four workers at once: every
   * valid request succeeds, every hostile one is refused as documented.
   */
  @Property(tries = INTERLEAVED_TRIES, seed = "20261203", shrinking = ShrinkingMode.OFF)
  void validRequestsInterleavedWithHostileOnesOnSharedConnectionsAllSucceed(
      @ForAll("traffic") List<InterleavedTraffic.Step> steps) throws Exception {
    assertThat(interleaved.run(steps, 4)).isEmpty();
  }

  /** Every operation of the four documents takes part, and the fixed API's rows are among them. */
  @net.jqwik.api.Example
  void theDocumentsListEveryOperation() {
    Set<String> ids = new TreeSet<>();
    operations.forEach(o -> ids.add(o.operationId()));
    assertThat(ids)
        .contains(
            "Register", "Login", "RefreshToken", "VerifyToken", "CreateAuthor", "GetAuthor",
            "UpdateAuthor", "DeleteAuthor", "ListAuthors", "CreateCategory", "GetCategory",
            "UpdateCategory", "DeleteCategory", "ListCategories", "UpdateItemCategories",
            "BulkAddItemToCategories", "GetItemCategories", "GetItemsByCategories", "CreateBook",
            "GetBook", "UpdateBook", "DeleteBook", "ListBooks", "BorrowBook", "ReturnBook",
            "GetBookRecommendations");
    for (Operation operation : operations) {
      if (operation.method().equals("POST") || operation.method().equals("PUT")) {
        assertThat(operation.body()).as("%s has a body schema", operation).isNotNull();
      }
    }
  }

  static Rest.Reply send(Rest rest, FuzzRequest request) {
    Rest.Call call = rest.call(request.method(), request.target()).headers(request.headers());
    if (request.body() != null) {
      call.rawBody(request.body());
      if (request.body().length > HostileRequests.EDGE_BODY_LIMIT) {
        call.resendOnEarlyReset();
      }
    }
    try {
      return call.send();
    } catch (UncheckedIOException e) {
      // The whole request (headers, body) says more than its method and path.
      throw new UncheckedIOException("no answer to " + request + ": " + e.getCause(), e.getCause());
    }
  }

  static String clip(String body) {
    return body.length() <= 600 ? body : body.substring(0, 600) + "…";
  }

  static JsonNode json(String body) {
    try {
      return Rest.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
