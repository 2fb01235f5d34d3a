package dev.library.bench.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.library.runtime.grpc.DownstreamCallCounter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of the {@code downstream.<service>/<method>} meters on the admin port's /metrics:
 * how many calls the process has made to other services, per method.
 */
final class DownstreamMetrics {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI metrics;
  private final HttpClient http = HttpClient.newHttpClient();

  DownstreamMetrics(int adminPort) {
    this.metrics = URI.create("http://localhost:" + adminPort + "/metrics");
  }

  Map<String, Long> counts() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("/metrics answered " + response.statusCode());
      }
      Map<String, Long> counts = new TreeMap<>();
      JsonNode meters = JSON.readTree(response.body()).path("meters");
      for (Iterator<Map.Entry<String, JsonNode>> it = meters.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> meter = it.next();
        if (meter.getKey().startsWith(DownstreamCallCounter.PREFIX)) {
          counts.put(
              meter.getKey().substring(DownstreamCallCounter.PREFIX.length()),
              meter.getValue().path("count").asLong());
        }
      }
      return counts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + metrics, e);
    }
  }
}
