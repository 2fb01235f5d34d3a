package dev.library.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What every answer of the REST edge must look like, whatever was asked:
 *
 * <ul>
 *   <li>no 5xx, except 503/504 where the test says a dependency is down;
 *   <li>an error is a {@code google.rpc.Status} JSON body ({@code code}, {@code message}, {@code
 *       details} of typed entries) whose code goes with the HTTP status by README's table;
 *   <li>its message shows no internals: no Java class or stack frame, no SQL, no host:port;
 *   <li>a request that no correct edge can accept is not answered with a 2xx.
 * </ul>
 *
 * The table here is written out independently of the gateway's code: it is the documented rule.
 */
final class ErrorBodyOracle {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** README's rule: the gRPC codes an error with this HTTP status may carry. */
  static final Map<Integer, Set<Integer>> CODES_BY_STATUS =
      Map.ofEntries(
          Map.entry(400, Set.of(3, 9, 11)),
          Map.entry(401, Set.of(16)),
          Map.entry(403, Set.of(7)),
          Map.entry(404, Set.of(5)),
          Map.entry(408, Set.of(4)),
          Map.entry(409, Set.of(6, 10)),
          Map.entry(413, Set.of(3)),
          Map.entry(414, Set.of(3)),
          Map.entry(415, Set.of(3)),
          Map.entry(429, Set.of(8)),
          Map.entry(431, Set.of(3)),
          Map.entry(499, Set.of(1)),
          Map.entry(500, Set.of(2, 13, 15)),
          Map.entry(501, Set.of(12)),
          Map.entry(502, Set.of(14)),
          Map.entry(503, Set.of(14)),
          Map.entry(504, Set.of(4)));

  /** What must never reach a caller: internals of the implementation. */
  static final List<Pattern> INTERNALS =
      List.of(
          // Java, Netty, gRPC, protobuf, JSON, database and project packages.
          Pattern.compile(
              "\\b(java|javax|jdk|sun|io\\.grpc|io\\.netty|com\\.linecorp|com\\.google\\.(protobuf|gson|common)"
                  + "|com\\.fasterxml|org\\.postgresql|org\\.jdbi|org\\.flywaydb|org\\.eclipse"
                  + "|io\\.dropwizard|dev\\.library)\\.[a-zA-Z]"),
          Pattern.compile("[A-Za-z]+(Exception|Error)\\b(?!s)"),
          Pattern.compile("\\bat [\\w$.]+\\([\\w$]*\\.java:\\d+\\)|\\.java:\\d+|Caused by:"),
          Pattern.compile(
              "(?i)\\b(select\\s+[\\w*]+.*\\s+from|insert\\s+into|update\\s+\\w+\\s+set|delete\\s+from)\\b"),
          Pattern.compile(
              "(?i)sqlstate|syntax error at or near|violates [a-z ]*constraint|duplicate key value"
                  + "|\\brelation \"|\\bcolumn \"|\\bPSQLException|\\bERROR: "),
          // host:port, loopback and private addresses.
          Pattern.compile(
              "(?i)\\b(localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\d{1,3}(\\.\\d{1,3}){3})(:\\d{1,5})?\\b"
                  + "|\\[::1?\\]|\\b[a-z][a-z0-9.-]*:\\d{2,5}\\b"));

  private ErrorBodyOracle() {}

  /**
   * What is wrong with an answer to {@code request}: an empty list when nothing is.
   *
   * @param unavailableAllowed whether 503/504 may be the answer (a dependency is down)
   */
  static List<String> problems(
      FuzzRequest request, int status, String contentType, String body, boolean unavailableAllowed) {
    List<String> problems = new ArrayList<>();
    if (status >= 500 && !(unavailableAllowed && (status == 503 || status == 504))) {
      problems.add("a server error: " + status);
    }
    if (request.mustBeRefused() && status < 300) {
      problems.add("accepted (" + status + ") what must be refused");
    }
    if (status >= 300 && status < 400) {
      problems.add("a redirect: " + status);
    }
    JsonNode json = null;
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      problems.add("content-type " + contentType + ", not JSON");
    } else {
      try {
        json = JSON.readTree(body);
      } catch (IOException e) {
        problems.add("a body that is not JSON");
      }
    }
    if (json == null || !json.isObject()) {
      problems.add("a body that is not a JSON object");
      return problems;
    }
    if (status >= 400) {
      problems.addAll(statusProblems(request, status, json));
    }
    return problems;
  }

  private static List<String> statusProblems(FuzzRequest request, int status, JsonNode json) {
    List<String> problems = new ArrayList<>();
    if (!json.path("code").isInt()) {
      problems.add("no integer code");
    } else {
      int code = json.get("code").asInt();
      Set<Integer> allowed = CODES_BY_STATUS.get(status);
      if (allowed == null) {
        problems.add("HTTP " + status + " is not in the documented table");
      } else if (!allowed.contains(code)) {
        problems.add("code " + code + " does not go with HTTP " + status + " (allowed " + allowed + ")");
      }
    }
    if (!json.path("message").isTextual() || json.get("message").asText().isBlank()) {
      problems.add("no message");
    }
    if (json.has("details")) {
      if (!json.get("details").isArray()) {
        problems.add("details is not an array");
      } else {
        for (JsonNode detail : json.get("details")) {
          if (!detail.path("@type").asText().startsWith("type.googleapis.com/")) {
            problems.add("a detail without a type: " + detail);
          }
        }
      }
    }
    json.fieldNames()
        .forEachRemaining(
            name -> {
              if (!Set.of("code", "message", "details").contains(name)) {
                problems.add("a field google.rpc.Status does not have: " + name);
              }
            });
    String visible = withoutEchoes(request, json.toString());
    for (Pattern internal : INTERNALS) {
      var matcher = internal.matcher(visible);
      if (matcher.find()) {
        problems.add("internals in the error (" + matcher.group() + "): " + clip(visible));
      }
    }
    return problems;
  }

  /**
   * The text of an error without what the caller sent (a message may quote a refused value),
   * longest values first; quoted values may be cut short, so their first 100 characters go too.
   */
  static String withoutEchoes(FuzzRequest request, String text) {
    List<String> echoes = new ArrayList<>(request.echoes());
    echoes.sort(Comparator.comparingInt(String::length).reversed());
    String visible = text;
    for (String echo : echoes) {
      if (echo.isEmpty()) {
        continue;
      }
      String escaped = JSON.getNodeFactory().textNode(echo).toString();
      escaped = escaped.substring(1, escaped.length() - 1);
      for (String form : List.of(escaped, echo)) {
        visible = visible.replace(form, "…");
        if (form.length() > 100) {
          visible = visible.replace(form.substring(0, 100), "…");
        }
      }
    }
    return visible;
  }

  private static String clip(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500) + "…";
  }
}
