package dev.library.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tests' REST client, as outside callers use one: plain HTTP/1.1 with java.net.http to a port
 * on localhost (the gateway's, or a process's HTTP or admin port), nothing of the library's own
 * code. Every request has a timeout, so a hang is a failure rather than a stuck build.
 */
public final class Rest {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
  /** Sends of a request refused from its declared length: a reset twice running is rare. */
  static final int EARLY_RESET_ATTEMPTS = 3;

  private final String base;
  private final HttpClient client;

  public Rest(int port) {
    this(port, outsideCaller());
  }

  /** Over a client the caller shares with other code, and so its pooled connections. */
  public Rest(int port, HttpClient client) {
    this.base = "http://localhost:" + port;
    this.client = client;
  }

  /**
   * An HTTP client configured as an outside caller's: HTTP/1.1 (what browsers and curl speak to
   * the gateway), a short connect timeout, redirects not followed (a test sees them).
   */
  private static HttpClient outsideCaller() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** A request being built: method, path, optional body and headers. */
  public final class Call {
    private final String method;
    private final String path;
    private byte[] body;
    private final List<String> headers = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean resendOnEarlyReset;

    private Call(String method, String path) {
      this.method = method;
      this.path = path;
    }

    /** A JSON body, declared as JSON. */
    public Call body(String json) {
      this.body = json.getBytes(StandardCharsets.UTF_8);
      return header("content-type", "application/json");
    }

    public Call body(Map<String, ?> json) {
      try {
        return body(JSON.writeValueAsString(json));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Bytes as they are, with no content-type added: for malformed and hostile bodies. */
    public Call rawBody(byte[] bytes) {
      this.body = bytes.clone();
      return this;
    }

    public Call bearer(String token) {
      return header("authorization", "Bearer " + token);
    }

    public Call header(String name, String value) {
      headers.add(name);
      headers.add(value);
      return this;
    }

    public Call headers(Map<String, String> namesAndValues) {
      namesAndValues.forEach(this::header);
      return this;
    }

    public Call timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Sends the request again (up to {@link #EARLY_RESET_ATTEMPTS} times in all) when the
     * connection fails before an answer arrives. Only for a body the server refuses from its
     * declared length: it answers 413 at once and closes the connection (RFC 9110 allows it), and
     * a client still writing the body may then get a TCP reset that discards the answer (RFC 9112
     * section 9.6).
     */
    public Call resendOnEarlyReset() {
      this.resendOnEarlyReset = true;
      return this;
    }

    public Reply send() {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(timeout)
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      if (!headers.isEmpty()) {
        request.headers(headers.toArray(String[]::new));
      }
      int attempts = resendOnEarlyReset ? EARLY_RESET_ATTEMPTS : 1;
      for (int attempt = 1; ; attempt++) {
        try {
          HttpResponse<String> response =
              client.send(request.build(), HttpResponse.BodyHandlers.ofString());
          return new Reply(method + " " + path, response);
        } catch (IOException e) {
          if (attempt < attempts) {
            continue;
          }
          throw new UncheckedIOException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** A request with any method (the gateway's answer to odd ones is tested too). */
  public Call call(String method, String path) {
    return new Call(method, path);
  }

  public Call get(String path) {
    return call("GET", path);
  }

  public Call post(String path) {
    return call("POST", path);
  }

  public Call put(String path) {
    return call("PUT", path);
  }

  public Call delete(String path) {
    return call("DELETE", path);
  }

  /**
   * A browser's CORS preflight: OPTIONS from {@code origin}, asking whether {@code method} with
   * {@code requestHeaders} (comma-separated) may follow.
   */
  public Call preflight(String path, String origin, String method, String requestHeaders) {
    return call("OPTIONS", path)
        .header("origin", origin)
        .header("access-control-request-method", method)
        .header("access-control-request-headers", requestHeaders);
  }

  /** Creates an author as the given (librarian) user; returns its id. */
  public String createAuthor(String token, String name) {
    return post("/api/v1/authors").bearer(token).body(Map.of("name", name)).send()
        .expect(200).path("author").path("id").asText();
  }

  /** Creates a category as the given (librarian) user; returns its id. */
  public String createCategory(String token, String name) {
    return post("/api/v1/categories").bearer(token).body(Map.of("name", name)).send()
        .expect(200).path("category").path("id").asText();
  }

  /** The "name" of each element of a JSON array (authors, categories). */
  public static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.path("name").asText()));
    return names;
  }

  /** The elements of a JSON array of strings. */
  public static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  /** A value as a URL query parameter value (or path segment without slashes). */
  public static String encode(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /**
   * The fields named by the {@code google.rpc.BadRequest} details of a google.rpc.Status JSON
   * body, in order; empty when it has none.
   */
  public static List<String> violatedFields(JsonNode status) {
    List<String> fields = new ArrayList<>();
    for (JsonNode detail : status.path("details")) {
      if ("type.googleapis.com/google.rpc.BadRequest".equals(detail.path("@type").asText())) {
        detail.path("fieldViolations").forEach(v -> fields.add(v.path("field").asText()));
      }
    }
    return fields;
  }

  /** An answer, with assertions about its shape. */
  public record Reply(String request, HttpResponse<String> response) {
    public int status() {
      return response.statusCode();
    }

    public String body() {
      return response.body();
    }

    public Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }

    public List<String> headers(String name) {
      return response.headers().allValues(name);
    }

    /** The body as a JSON object; fails unless the answer is a JSON object declared as JSON. */
    public JsonNode json() {
      assertThat(header("content-type"))
          .as("content-type of %s (body %s)", request, body())
          .hasValueSatisfying(
              type -> assertThat(type.toLowerCase()).startsWith("application/json"));
      JsonNode node;
      try {
        node = JSON.readTree(body());
      } catch (IOException e) {
        throw new AssertionError(request + " answered a body that is not JSON: " + body(), e);
      }
      assertThat(node).as("body of %s: %s", request, body()).isNotNull();
      assertThat(node.isObject()).as("body of %s is a JSON object: %s", request, body()).isTrue();
      return node;
    }

    /** Asserts the status and that the body is JSON; returns the body. */
    public JsonNode expect(int status) {
      assertThat(status()).as("status of %s (body %s)", request, body()).isEqualTo(status);
      return json();
    }

    /**
     * Asserts an error answer: the HTTP status and a google.rpc.Status JSON body with the gRPC
     * code and a message.
     */
    public JsonNode expectError(int status, int grpcCode) {
      JsonNode error = expect(status);
      assertThat(error.path("code").isInt()).as("code of %s: %s", request, body()).isTrue();
      assertThat(error.path("code").asInt()).as("gRPC code of %s: %s", request, body()).isEqualTo(grpcCode);
      assertThat(error.path("message").isTextual()).as("message of %s: %s", request, body()).isTrue();
      assertThat(error.path("message").asText()).as("message of %s", request).isNotBlank();
      return error;
    }

    /**
     * Asserts an INVALID_ARGUMENT answer (HTTP 400, code 3) whose BadRequest details name
     * {@code fields} (among possibly others); returns the body.
     */
    public JsonNode expectViolation(String... fields) {
      JsonNode error = expectError(400, 3);
      assertThat(violatedFields(error))
          .as("fieldViolations of %s: %s", request, body())
          .contains(fields);
      return error;
    }
  }
}
