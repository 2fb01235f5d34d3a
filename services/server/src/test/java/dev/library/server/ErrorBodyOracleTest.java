package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fuzz tests' oracle must bite: each kind of bad answer is caught, good ones pass. */
class ErrorBodyOracleTest {
  private static final String JSON = "application/json";

  private static FuzzRequest request(boolean mustBeRefused, String... echoes) {
    return new FuzzRequest(
        "Op", "POST", "/api/v1/x", Map.of(), null, "NONE", mustBeRefused, List.of(echoes));
  }

  private static List<String> problems(int status, String body) {
    return ErrorBodyOracle.problems(request(false), status, JSON, body, false);
  }

  @Test
  void aWellFormedErrorPasses() {
    assertThat(
            problems(
                400,
                "{\"code\":3,\"message\":\"title: must be 1 to 500 characters\",\"details\":"
                    + "[{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":[]}]}"))
        .isEmpty();
    assertThat(problems(415, "{\"code\":3,\"message\":\"the request body must be JSON\"}")).isEmpty();
    assertThat(problems(200, "{\"book\":{}}")).isEmpty();
  }

  @Test
  void serverErrorsFailUnlessADependencyIsDown() {
    String unavailable = "{\"code\":14,\"message\":\"library.book.v1.BookService is unavailable\"}";
    assertThat(problems(503, unavailable)).isNotEmpty();
    assertThat(ErrorBodyOracle.problems(request(false), 503, JSON, unavailable, true)).isEmpty();
    assertThat(ErrorBodyOracle.problems(request(false), 500, JSON,
        "{\"code\":13,\"message\":\"internal error\"}", true)).isNotEmpty();
  }

  @Test
  void aCodeThatDoesNotGoWithTheStatusFails() {
    assertThat(problems(414, "{\"code\":8,\"message\":\"too long\"}")).isNotEmpty();
    assertThat(problems(413, "{\"code\":8,\"message\":\"too large\"}")).isNotEmpty();
    assertThat(problems(400, "{\"code\":5,\"message\":\"x\"}")).isNotEmpty();
    assertThat(problems(418, "{\"code\":3,\"message\":\"x\"}")).isNotEmpty();
  }

  @Test
  void aBodyThatIsNotAStatusFails() {
    assertThat(problems(400, "<html>bad request</html>")).isNotEmpty();
    assertThat(ErrorBodyOracle.problems(request(false), 400, "text/plain", "{\"code\":3,\"message\":\"x\"}", false))
        .isNotEmpty();
    assertThat(problems(400, "{\"message\":\"x\"}")).isNotEmpty();
    assertThat(problems(400, "{\"code\":3}")).isNotEmpty();
    assertThat(problems(400, "{\"code\":3,\"message\":\"x\",\"stack\":\"...\"}")).isNotEmpty();
    assertThat(problems(400, "{\"code\":3,\"message\":\"x\",\"details\":[{\"a\":1}]}")).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "java.lang.NullPointerException",
        "com.google.protobuf.InvalidProtocolBufferException: x",
        "io.grpc.StatusRuntimeException: UNKNOWN",
        "at dev.library.book.core.Catalog.create(Catalog.java:42)",
        "ERROR: duplicate key value violates unique constraint \\\"books_isbn_key\\\"",
        "SELECT id FROM books WHERE isbn = $1",
        "Connection to localhost:5432 refused",
        "upstream connect error: 10.0.0.7:50054",
        "could not reach book:50054"
      })
  void internalsInAMessageFail(String message) {
    assertThat(problems(400, "{\"code\":3,\"message\":\"" + message + "\"}")).isNotEmpty();
  }

  @Test
  void aQuotedValueTheCallerSentIsNotAnInternal() {
    FuzzRequest request = request(false, "SELECT x FROM y");
    assertThat(
            ErrorBodyOracle.problems(
                request, 400, JSON, "{\"code\":3,\"message\":\"no such title: SELECT x FROM y\"}",
                false))
        .isEmpty();
  }

  @Test
  void acceptingWhatMustBeRefusedFails() {
    assertThat(ErrorBodyOracle.problems(request(true), 200, JSON, "{}", false)).isNotEmpty();
    assertThat(
            ErrorBodyOracle.problems(request(true), 415, JSON, "{\"code\":3,\"message\":\"x\"}", false))
        .isEmpty();
  }
}
