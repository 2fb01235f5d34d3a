package dev.library.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.library.api.ApiDescriptorSet;
import dev.library.gateway.EnvoyConfig.Cluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvoyConfigReaderTest {
  /** Every service of the descriptor set: envoy.yaml must transcode each. */
  private static final List<String> SERVICES =
      ApiDescriptorSet.fromClasspath().libraryServices().stream()
          .map(service -> service.getFullName())
          .toList();

  @Test
  void readsTheRealEnvoyConfiguration() {
    EnvoyConfig envoy = EnvoyConfigReader.read(Path.of("../envoy/envoy.yaml"));

    assertThat(envoy.transcodedServices()).containsExactlyInAnyOrderElementsOf(SERVICES);
    assertThat(envoy.clusterForService("library.auth.v1.AuthService")).hasValue("auth");
    assertThat(envoy.clusterForService("library.author.v1.AuthorService")).hasValue("author");
    assertThat(envoy.clusterForService("library.category.v1.CategoryService"))
        .hasValue("category");
    assertThat(envoy.clusterForService("library.book.v1.BookService")).hasValue("book");
    assertThat(envoy.routeForService("library.book.v1.BookService").orElseThrow().timeout())
        .hasValueSatisfying(t -> assertThat(t).isPositive());
    assertThat(envoy.clusters().get("auth").address()).isEqualTo("auth:50051");
    assertThat(envoy.clusters().get("author").address()).isEqualTo("author:50052");
    assertThat(envoy.clusters().get("category").address()).isEqualTo("category:50053");
    assertThat(envoy.clusters().get("book").address()).isEqualTo("book:50054");
    assertThat(envoy.headersToRemove()).contains("server-key");
    assertThat(envoy.listenerPort()).isEqualTo(8080);
    assertThat(envoy.convertGrpcStatus()).isTrue();
    assertThat(envoy.printOptions().alwaysPrintPrimitiveFields()).isTrue();
    assertThat(envoy.printOptions().preserveProtoFieldNames()).isFalse();
    assertThat(envoy.printOptions().alwaysPrintEnumsAsInts()).isFalse();
    assertThat(envoy.cors()).hasValueSatisfying(
        cors -> {
          assertThat(cors.allowHeaders()).contains("authorization", "content-type");
          assertThat(cors.allowMethods()).contains("GET", "POST", "PUT", "DELETE");
        });
    assertThat(envoy.maxRequestBytes()).hasValue(1024 * 1024);
    assertThat(envoy.maxRequestHeadersBytes()).isEqualTo(32 * 1024);
    // No origin unless the operator lists one.
    assertThat(envoy.cors().orElseThrow().allowOrigins()).isEmpty();
    assertThat(envoy.cors().orElseThrow().allows("http://localhost:3000")).isFalse();
    // The rule of README's "Limits and errors at the edge" table, as the local replies state it.
    assertThat(envoy.localReplyCodes())
        .containsEntry(400, 3)
        .containsEntry(404, 5)
        .containsEntry(413, 3)
        .containsEntry(414, 3)
        .containsEntry(415, 3)
        .containsEntry(431, 3)
        .containsEntry(429, 8)
        .containsEntry(503, 14)
        .containsEntry(504, 4);
  }

  /**
   * Every code in the local replies agrees with the HTTP status by the documented rule: the
   * status the gateway gives that code when a service returns it (google.rpc.Code's mapping), or
   * for a request the edge refuses as sent (413, 414, 415, 431), INVALID_ARGUMENT; 408 and 502
   * are an edge's timeout and a failed upstream.
   */
  @Test
  void everyLocalReplyCodeAgreesWithItsHttpStatus() {
    EnvoyConfig envoy = EnvoyConfigReader.read(Path.of("../envoy/envoy.yaml"));
    assertThat(envoy.localReplyCodes()).isNotEmpty();
    envoy
        .localReplyCodes()
        .forEach(
            (status, code) -> {
              io.grpc.Status.Code grpc = io.grpc.Status.fromCodeValue(code).getCode();
              int forCode = HttpStatusMapping.httpStatus(grpc).code();
              switch (status) {
                case 413, 414, 415, 431 ->
                    assertThat(grpc).as("%s", status).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
                case 408 -> assertThat(grpc).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED);
                case 502 -> assertThat(grpc).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                default -> assertThat(forCode).as("HTTP status of code %s", grpc).isEqualTo(status);
              }
              // The gateway's fallback for statuses without a mapper says the same.
              assertThat(HttpStatusMapping.grpcCode(com.linecorp.armeria.common.HttpStatus.valueOf(status)))
                  .as("fallback for %s", status)
                  .isEqualTo(grpc);
            });
  }

  @Test
  void thePackagedCopyIsTheRealFile() {
    assertThat(EnvoyConfigReader.readResource(GatewaySettings.PACKAGED_ENVOY_CONFIG))
        .isEqualTo(EnvoyConfigReader.read(Path.of("../envoy/envoy.yaml")));
  }

  @Test
  void readsEveryFactTheGatewayUses() {
    EnvoyConfig envoy = EnvoyConfigReader.readResource("envoy/envoy-fixture.yaml");

    assertThat(envoy.transcodedServices()).containsExactlyElementsOf(SERVICES);
    assertThat(envoy.printOptions())
        .isEqualTo(new EnvoyConfig.PrintOptions(false, true, false, false));
    assertThat(envoy.ignoreUnknownQueryParameters()).isFalse();
    assertThat(envoy.headersToRemove()).containsExactlyInAnyOrder("server-key", "x-internal-secret");
    assertThat(envoy.clusters().get("book"))
        .isEqualTo(new Cluster("book", "book", 50054, Duration.ofSeconds(2)));
    assertThat(envoy.routes())
        .extracting(EnvoyConfig.Route::prefix)
        .contains("/library.book.v1.BookService/", "/docs", "/openapi/");
    assertThat(envoy.clusterForService("library.unknown.v1.Nothing")).isEmpty();
    assertThat(envoy.routeForService("library.auth.v1.AuthService").orElseThrow().timeout())
        .hasValue(Duration.ofSeconds(30));
    assertThat(envoy.routes().stream().filter(r -> r.prefix().equals("/docs")).findFirst())
        .hasValueSatisfying(r -> assertThat(r.timeout()).isEmpty());
    assertThat(envoy.maxRequestBytes()).hasValue(1048576);
    assertThat(envoy.maxRequestHeadersBytes()).isEqualTo(16 * 1024);
    // Only mappers of one status with a numeric JSON code count.
    assertThat(envoy.localReplyCodes()).isEqualTo(java.util.Map.of(413, 3, 503, 14));

    CorsPolicy cors = envoy.cors().orElseThrow();
    assertThat(cors.allows("http://localhost:3000")).isTrue();
    assertThat(cors.allows("https://library.example")).isTrue();
    assertThat(cors.allows("https://library.example.evil")).isFalse();
    assertThat(cors.allows("https://elsewhere.example")).isFalse();
    assertThat(cors.allowCredentials()).isTrue();
    assertThat(cors.maxAge()).hasValue(Duration.ofDays(1));
    assertThat(cors.exposeHeaders()).containsExactly("grpc-status", "grpc-message");
  }

  @Test
  void aFileWithoutAHeaderLimitOrLocalRepliesHasEnvoysDefaults() throws Exception {
    String fixture =
        java.nio.file.Files.readString(Path.of("src/test/resources/envoy/envoy-fixture.yaml"));
    String withoutLimit = fixture.replaceAll("(?m)^\\s*max_request_headers_kb:.*\\n", "");
    assertThat(withoutLimit).isNotEqualTo(fixture);

    EnvoyConfig envoy =
        EnvoyConfigReader.read(
            new ByteArrayInputStream(withoutLimit.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    assertThat(envoy.maxRequestHeadersBytes()).isEqualTo(60 * 1024);
  }

  @Test
  void aHeaderLimitEnvoyWouldRefuseIsRejected() throws Exception {
    String fixture =
        java.nio.file.Files.readString(Path.of("src/test/resources/envoy/envoy-fixture.yaml"));
    String tooLarge = fixture.replace("max_request_headers_kb: 16", "max_request_headers_kb: 9000");
    assertThat(tooLarge).isNotEqualTo(fixture);

    assertThatThrownBy(
            () ->
                EnvoyConfigReader.read(
                    new ByteArrayInputStream(tooLarge.getBytes(StandardCharsets.UTF_8)), "t.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_request_headers_kb");
  }

  @Test
  void aFileWithoutTheTranscoderIsRejectedWithItsName() {
    String yaml =
        """
        static_resources:
          listeners:
            - address: { socket_address: { address: 0.0.0.0, port_value: 8080 } }
              filter_chains:
                - filters:
                    - name: envoy.filters.network.http_connection_manager
                      typed_config:
                        route_config:
                          virtual_hosts:
                            - routes: []
                        http_filters:
                          - name: envoy.filters.http.router
          clusters: []
        """;

    assertThatThrownBy(
            () ->
                EnvoyConfigReader.read(
                    new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.yaml")
        .hasMessageContaining("grpc_json_transcoder");
  }

  @Test
  void aServiceWithoutARouteIsRejected() {
    String yaml =
        """
        static_resources:
          listeners:
            - filter_chains:
                - filters:
                    - name: envoy.filters.network.http_connection_manager
                      typed_config:
                        route_config:
                          virtual_hosts:
                            - routes:
                                - match: { prefix: /library.auth.v1.AuthService/ }
                                  route: { cluster: auth }
                        http_filters:
                          - name: envoy.filters.http.grpc_json_transcoder
                            typed_config:
                              services: [library.auth.v1.AuthService, library.book.v1.BookService]
          clusters:
            - name: auth
              load_assignment:
                endpoints:
                  - lb_endpoints:
                      - endpoint: { address: { socket_address: { address: auth, port_value: 50051 } } }
        """;

    assertThatThrownBy(
            () ->
                EnvoyConfigReader.read(
                    new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("library.book.v1.BookService");
  }
}
