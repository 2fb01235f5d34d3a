package dev.library.server;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.observe.Tracing;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of REST calls through the gateway: one trace across the gateway and the
 * services a call reaches (spans collected in memory), the trace id in the error body, and the
 * Prometheus scrape of the admin port parsed with a Prometheus text-format parser.
 */
class ObservabilityTest {
  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  private static final SecureRandom RANDOM = new SecureRandom();

  private static LibrarySystem system;
  private static Rest rest;
  private static String librarian;
  private static String bookId;

  @BeforeAll
  static void start() {
    system = LibrarySystem.startTraced("all", SPANS);
    rest = new Rest(system.gatewayPort());
    librarian = new TestAccounts(system).librarian().token();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String author = rest.createAuthor(librarian, "Observed Author " + tag);
    String category = rest.createCategory(librarian, "Observed " + tag);
    bookId =
        rest.post("/api/v1/books")
            .bearer(librarian)
            .body(
                Map.of(
                    "title", "Observed " + tag,
                    "authorId", author,
                    "isbn", isbn13(),
                    "totalCopies", 1,
                    "categoryIds", List.of(category)))
            .send()
            .expect(200)
            .path("book")
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
  void oneRestCallIsOneTraceThroughGatewayBookAuthorAndCategory() {
    String traceId = newTraceId();
    JsonNode book =
        rest.get("/api/v1/books/" + bookId)
            .bearer(librarian)
            .header("traceparent", traceparent(traceId))
            .send()
            .expect(200)
            .path("book");
    assertThat(book.path("categories")).as("the book's categories came from Category").hasSize(1);

    AttributeKey<String> dbSystem = AttributeKey.stringKey("db.system");
    await().atMost(Duration.ofSeconds(20))
        .alias("every span of the trace exported")
        .untilAsserted(() -> {
              List<SpanData> trace = spansOf(traceId);
              assertThat(
                      trace.stream()
                          .filter(s -> s.getKind() == SpanKind.SERVER)
                          .map(s -> s.getAttributes().get(Tracing.MODULE))
                          .collect(Collectors.toSet()))
                  .as("server spans of the trace, by module")
                  .containsAll(Set.of("gateway", "book", "author", "category"));
              assertThat(trace)
                  .as("the book service's calls to the others are client spans of the trace")
                  .anyMatch(
                      s ->
                          s.getKind() == SpanKind.CLIENT
                              && s.getName().startsWith("library.author.v1.AuthorService/"))
                  .anyMatch(
                      s ->
                          s.getKind() == SpanKind.CLIENT
                              && s.getName().startsWith("library.category.v1.CategoryService/"));
              assertThat(trace)
                  .as("database statements are spans of the trace")
                  .anyMatch(s -> "postgresql".equals(s.getAttributes().get(dbSystem)));
            });
    SpanData gateway =
        spansOf(traceId).stream()
            .filter(s -> "gateway".equals(s.getAttributes().get(Tracing.MODULE)))
            .filter(s -> s.getKind() == SpanKind.SERVER)
            .findFirst()
            .orElseThrow();
    assertThat(gateway.getName()).isEqualTo("library.book.v1.BookService/GetBook");
    assertThat(gateway.getParentSpanContext().isRemote())
        .as("the gateway continued the caller's traceparent")
        .isTrue();
  }

  @Test
  void anErrorBodyCarriesTheTraceIdAsRequestInfo() {
    String traceId = newTraceId();
    JsonNode status =
        rest.get("/api/v1/books/" + UUID.randomUUID())
            .bearer(librarian)
            .header("traceparent", traceparent(traceId))
            .send()
            .expect(404);
    List<String> requestIds = new ArrayList<>();
    for (JsonNode detail : status.path("details")) {
      if (detail.path("@type").asText().equals("type.googleapis.com/google.rpc.RequestInfo")) {
        requestIds.add(detail.path("requestId").asText());
      }
    }
    assertThat(requestIds).containsExactly(traceId);
  }

  @Test
  void theScrapeHasRpcHttpPoolOutboxAndJvmMetrics() throws Exception {
    rest.get("/api/v1/books/" + bookId).bearer(librarian).send().expect(200);
    rest.get("/api/v1/books/" + UUID.randomUUID()).bearer(librarian).send().expect(404);

    Map<String, MetricFamily> scrape = scrape();

    Histogram getBookOk =
        histogram(
            scrape,
            "rpc_server_duration_seconds",
            Map.of("rpc_method", "GetBook", "rpc_grpc_status_code", "OK"));
    assertThat(getBookOk.getSampleCount()).isGreaterThanOrEqualTo(1);
    assertThat(getBookOk.getBuckets()).isNotEmpty();
    assertThat(
            histogram(
                    scrape,
                    "rpc_server_duration_seconds",
                    Map.of("rpc_method", "GetBook", "rpc_grpc_status_code", "NOT_FOUND"))
                .getSampleCount())
        .isGreaterThanOrEqualTo(1);
    assertThat(
            histogram(
                    scrape,
                    "rpc_client_duration_seconds",
                    Map.of(
                        "rpc_service", "library.author.v1.AuthorService",
                        "rpc_grpc_status_code", "OK"))
                .getSampleCount())
        .as("the book service's calls to the author service, client side")
        .isGreaterThanOrEqualTo(1);
    assertThat(
            histogram(
                    scrape,
                    "http_server_request_duration_seconds",
                    Map.of("http_request_method", "GET", "http_response_status_code", "404"))
                .getSampleCount())
        .as("the gateway's requests by status")
        .isGreaterThanOrEqualTo(1);
    assertThat(metric(scrape, "http_server_request_duration_seconds", Map.of()).getLabels())
        .containsKey("http_route");

    Gauge used =
        (Gauge)
            metric(
                scrape,
                "db_client_connection_count",
                Map.of("db_client_connection_pool_name", "book", "db_client_connection_state", "idle"));
    assertThat(used.getValue()).isGreaterThanOrEqualTo(0);
    metric(scrape, "db_client_connection_pending_requests", Map.of("db_client_connection_pool_name", "book"));
    assertThat(
            histogram(
                    scrape,
                    "db_client_connection_wait_time_seconds",
                    Map.of("db_client_connection_pool_name", "book"))
                .getSampleCount())
        .isGreaterThanOrEqualTo(1);

    assertThat(((Gauge) metric(scrape, "library_outbox_backlog", Map.of())).getValue())
        .isGreaterThanOrEqualTo(0);
    assertThat(((Gauge) metric(scrape, "library_outbox_oldest_age_seconds", Map.of())).getValue())
        .isGreaterThanOrEqualTo(0);
    assertThat(scrape).containsKeys("jvm_memory_used_bytes", "jvm_threads_live_threads");
    Metric uptime = metric(scrape, "process_uptime_seconds", Map.of());
    assertThat(uptime).isInstanceOfAny(Gauge.class, Counter.class);
  }

  private static List<SpanData> spansOf(String traceId) {
    return SPANS.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .toList();
  }

  private static Map<String, MetricFamily> scrape() throws IOException {
    Rest.Reply response = new Rest(system.adminPort()).get("/metrics/prometheus").send();
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
    TextPrometheusMetricDataParser parser =
        new TextPrometheusMetricDataParser(
            new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
    Map<String, MetricFamily> families = new java.util.HashMap<>();
    for (MetricFamily family = parser.parse(); family != null; family = parser.parse()) {
      families.put(family.getName(), family);
    }
    assertThat(response.body()).doesNotContain("NaN\n# EOF");
    return families;
  }

  private static Histogram histogram(
      Map<String, MetricFamily> scrape, String family, Map<String, String> labels) {
    return (Histogram) metric(scrape, family, labels);
  }

  private static Metric metric(
      Map<String, MetricFamily> scrape, String family, Map<String, String> labels) {
    assertThat(scrape).as("metric families scraped").containsKey(family);
    return scrape.get(family).getMetrics().stream()
        .filter(m -> m.getLabels().entrySet().containsAll(labels.entrySet()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    family
                        + " has no series with "
                        + labels
                        + "; it has "
                        + scrape.get(family).getMetrics().stream()
                            .map(Metric::getLabels)
                            .toList()));
  }

  private static String isbn13() {
    StringBuilder digits = new StringBuilder("978");
    for (int i = 0; i < 9; i++) {
      digits.append(RANDOM.nextInt(10));
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return digits.append((10 - sum % 10) % 10).toString();
  }

  private static String newTraceId() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  private static String traceparent(String traceId) {
    byte[] span = new byte[8];
    RANDOM.nextBytes(span);
    return "00-" + traceId + "-" + HexFormat.of().formatHex(span) + "-01";
  }
}
