package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.server.HostileRequests.Caller;
import dev.library.server.OpenApiOperations.Operation;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The fuzz test of {@link RestFuzzTest} with the Category and Book services down (the process
 * hosts auth, author and the gateway only): an operation that needs a stopped service may answer
 * 503, and only such an operation; everything else holds as with every service up.
 */
class RestFuzzWithServicesDownTest {
  static final int TRIES = 400;

  /** Operations that need the Category or Book service. */
  static final Set<String> DOWN_SERVICES = Set.of("category", "book");

  /** An author service operation that asks the Book service first. */
  static final Set<String> CALLS_A_DOWN_SERVICE = Set.of("DeleteAuthor");

  static LibrarySystem system;
  static HttpClient http;
  static String base;
  static List<Operation> operations;
  static HostileRequests requests;

  @BeforeContainer
  static void start() {
    system = LibrarySystem.start("auth,author,gateway");
    Rest rest = new Rest(system.gatewayPort());
    base = "http://localhost:" + system.gatewayPort();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    operations = OpenApiOperations.read(rest);

    TestAccounts accounts = new TestAccounts(system);
    TestAccounts.User member = accounts.member();
    TestAccounts.User librarian = accounts.librarian();
    Map<Caller, String> tokens = new EnumMap<>(Caller.class);
    tokens.put(Caller.MEMBER, member.token());
    tokens.put(Caller.LIBRARIAN, librarian.token());
    tokens.put(Caller.ADMIN, accounts.admin().token());
    String author = rest.createAuthor(librarian.token(), "Fuzz Author");
    requests =
        new HostileRequests(
            new HostileRequests.Context(
                tokens,
                Map.of("author", List.of(author), "user", List.of(member.id(), librarian.id()))));
  }

  @AfterContainer
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Provide
  Arbitrary<FuzzRequest> requests() {
    return RestFuzzTest.requests(operations, requests);
  }

  @Property(tries = TRIES, seed = "20261204", shrinking = ShrinkingMode.BOUNDED)
  void onlyOperationsThatNeedAStoppedServiceMayAnswer503(@ForAll("requests") FuzzRequest request) {
    HttpResponse<String> response = RestFuzzTest.send(http, base, request);
    Operation operation =
        operations.stream()
            .filter(o -> o.operationId().equals(request.operation()))
            .findFirst()
            .orElseThrow();
    boolean needsAStoppedService =
        DOWN_SERVICES.contains(operation.service())
            || CALLS_A_DOWN_SERVICE.contains(operation.operationId());

    Statistics.label("status").collect(response.statusCode());
    assertThat(
            ErrorBodyOracle.problems(
                request,
                response.statusCode(),
                response.headers().firstValue("content-type").orElse(null),
                response.body(),
                needsAStoppedService))
        .as("answer %s %s to %s", response.statusCode(), RestFuzzTest.clip(response.body()), request)
        .isEmpty();
    if (needsAStoppedService && response.statusCode() < 400) {
      throw new AssertionError("a stopped service answered: " + request);
    }
  }
}
