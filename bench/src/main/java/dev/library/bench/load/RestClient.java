package dev.library.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A REST caller as outside clients are: JDK HttpClient over HTTP/1.1 (keep-alive, one connection
 * per concurrent request), asynchronous so that 64 clients need no 64 threads.
 */
public final class RestClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public RestClient(int port) {
    this.base = "http://localhost:" + port;
  }

  /** GET {@code path} with a bearer token; completes with {@link Outcomes#OK} or the HTTP status. */
  public CompletableFuture<String> get(String path, String bearerToken) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("authorization", "Bearer " + bearerToken)
            .GET()
            .build();
    // The body is read in full (a real client would parse it), then dropped.
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(response -> Outcomes.ofHttp(response.statusCode()));
  }
}
