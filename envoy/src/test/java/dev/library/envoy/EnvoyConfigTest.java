package dev.library.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.Buffer;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What envoy/envoy.yaml says, checked against the rest of the repository: the descriptor set of
 * library-proto, the service ports in config/all.yml and config/compose.yml, and the security
 * settings the design requires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvoyConfigTest {
  private static final String TRANSCODER = RepoFiles.TRANSCODER;
  private static final String RATE_LIMIT = "envoy.filters.http.local_ratelimit";
  private static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private final Bootstrap bootstrap = RepoFiles.envoyBootstrap();
  private final HttpConnectionManager hcm = RepoFiles.connectionManager(bootstrap);
  private final VirtualHost host = hcm.getRouteConfig().getVirtualHosts(0);
  private final GrpcJsonTranscoder transcoder = RepoFiles.transcoder(bootstrap);

  // ---- (b) the transcoder and the descriptor set ------------------------------------------

  @Test
  void everyTranscodedServiceExistsInTheDescriptorSet() throws IOException {
    Map<String, ServiceDescriptorProto> services = descriptorServices();

    assertThat(transcoder.getServicesList()).isNotEmpty().doesNotHaveDuplicates();
    assertThat(services.keySet()).containsAll(transcoder.getServicesList());
  }

  @Test
  void everyServiceWithHttpRulesIsTranscoded() throws IOException {
    List<String> withRules = new ArrayList<>();
    descriptorServices()
        .forEach(
            (name, service) -> {
              if (service.getMethodList().stream().anyMatch(EnvoyConfigTest::hasHttpRule)) {
                withRules.add(name);
              }
            });

    assertThat(withRules).isNotEmpty();
    assertThat(transcoder.getServicesList()).containsExactlyInAnyOrderElementsOf(withRules);
  }

  /** The REST API is fixed (DESIGN.md §1): every row must be served, with this verb and path. */
  @Test
  void theDescriptorSetMapsEveryRestPathOfTheFixedApi() throws IOException {
    Map<String, String> rules = new LinkedHashMap<>();
    descriptorServices()
        .forEach(
            (name, service) -> {
              for (MethodDescriptorProto method : service.getMethodList()) {
                if (hasHttpRule(method)) {
                  rules.put(name + "/" + method.getName(), verbAndPath(httpRule(method)));
                }
              }
            });

    assertThat(rules)
        .containsAllEntriesOf(
            Map.ofEntries(
                Map.entry("library.auth.v1.AuthService/Register", "POST /api/v1/auth/register"),
                Map.entry("library.auth.v1.AuthService/Login", "POST /api/v1/auth/login"),
                Map.entry("library.auth.v1.AuthService/RefreshToken", "POST /api/v1/auth/refresh"),
                Map.entry("library.auth.v1.AuthService/VerifyToken", "POST /api/v1/auth/verify"),
                Map.entry("library.author.v1.AuthorService/CreateAuthor", "POST /api/v1/authors"),
                Map.entry("library.author.v1.AuthorService/GetAuthor", "GET /api/v1/authors/{id}"),
                Map.entry(
                    "library.author.v1.AuthorService/UpdateAuthor", "PUT /api/v1/authors/{id}"),
                Map.entry(
                    "library.author.v1.AuthorService/DeleteAuthor", "DELETE /api/v1/authors/{id}"),
                Map.entry("library.author.v1.AuthorService/ListAuthors", "GET /api/v1/authors"),
                Map.entry(
                    "library.category.v1.CategoryService/CreateCategory",
                    "POST /api/v1/categories"),
                Map.entry(
                    "library.category.v1.CategoryService/GetCategory",
                    "GET /api/v1/categories/{id}"),
                Map.entry(
                    "library.category.v1.CategoryService/UpdateCategory",
                    "PUT /api/v1/categories/{id}"),
                Map.entry(
                    "library.category.v1.CategoryService/DeleteCategory",
                    "DELETE /api/v1/categories/{id}"),
                Map.entry(
                    "library.category.v1.CategoryService/ListCategories",
                    "GET /api/v1/categories"),
                Map.entry(
                    "library.category.v1.CategoryService/UpdateItemCategories",
                    "PUT /api/v1/items/{item_id}/categories"),
                Map.entry(
                    "library.category.v1.CategoryService/BulkAddItemToCategories",
                    "POST /api/v1/categories/bulk-add-item"),
                Map.entry(
                    "library.category.v1.CategoryService/GetItemCategories",
                    "GET /api/v1/items/{item_id}/categories"),
                Map.entry(
                    "library.category.v1.CategoryService/GetItemsByCategories",
                    "GET /api/v1/categories/items"),
                Map.entry("library.book.v1.BookService/CreateBook", "POST /api/v1/books"),
                Map.entry("library.book.v1.BookService/GetBook", "GET /api/v1/books/{id}"),
                Map.entry("library.book.v1.BookService/UpdateBook", "PUT /api/v1/books/{id}"),
                Map.entry("library.book.v1.BookService/DeleteBook", "DELETE /api/v1/books/{id}"),
                Map.entry("library.book.v1.BookService/ListBooks", "GET /api/v1/books"),
                Map.entry(
                    "library.book.v1.BookService/BorrowBook", "POST /api/v1/books/{id}/borrow"),
                Map.entry(
                    "library.book.v1.BookService/ReturnBook", "POST /api/v1/books/{id}/return"),
                Map.entry(
                    "library.book.v1.BookService/GetBookRecommendations",
                    "GET /api/v1/books/{id}/recommendations")));
    // Every REST path lives under /api/, where the CORS catch-all route sits.
    assertThat(rules.values()).allSatisfy(rule -> assertThat(rule).contains(" /api/"));
  }

  /**
   * convert_grpc_status renders google.rpc.Status with its details as JSON. Envoy adds Status
   * and Any to its type pool by itself, but every detail type must be in the descriptor set, or
   * the conversion fails and an INVALID_ARGUMENT reaches REST clients as HTTP 200 with
   * grpc-status headers. The services attach google.rpc.BadRequest.
   */
  @Test
  void errorDetailTypesAreInTheDescriptorSet() throws IOException {
    Set<String> messages = new TreeSet<>();
    for (FileDescriptorProto file : descriptorSet().getFileList()) {
      file.getMessageTypeList()
          .forEach(m -> messages.add(file.getPackage() + "." + m.getName()));
    }

    assertThat(messages).contains("google.rpc.BadRequest");
  }

  @Test
  void transcoderOptionsAreTheAgreedOnes() {
    assertThat(transcoder.getProtoDescriptor()).isEqualTo("/etc/envoy/descriptor.pb");
    assertThat(transcoder.getConvertGrpcStatus()).isTrue();
    assertThat(transcoder.getAutoMapping()).isFalse();
    assertThat(transcoder.getIgnoreUnknownQueryParameters()).isFalse();
    assertThat(transcoder.getRequestValidationOptions().getRejectUnknownMethod()).isTrue();
    assertThat(transcoder.getRequestValidationOptions().getRejectUnknownQueryParameters())
        .isTrue();
    GrpcJsonTranscoder.PrintOptions print = transcoder.getPrintOptions();
    assertThat(print.getAddWhitespace()).isTrue();
    assertThat(print.getAlwaysPrintPrimitiveFields()).isTrue();
    assertThat(print.getAlwaysPrintEnumsAsInts()).isFalse();
    assertThat(print.getPreserveProtoFieldNames()).isFalse();
  }

  // ---- (c) cluster ports against config/all.yml and config/compose.yml --------------------

  @Test
  void grpcClustersUseTheServicesDefaultPorts() {
    JsonNode all = RepoFiles.yaml("config/all.yml");
    JsonNode compose = RepoFiles.yaml("config/compose.yml");

    for (String service : RepoFiles.SERVICES) {
      SocketAddress address = endpoint(cluster(service));
      String allPort =
          RepoFiles.defaultOf(
              all.path("services").path(service).path("grpcPort"),
              "config/all.yml services." + service + ".grpcPort");
      String composePort =
          RepoFiles.defaultOf(
              compose.path("services").path(service).path("grpcPort"),
              "config/compose.yml services." + service + ".grpcPort");
      String composeAddress =
          RepoFiles.defaultOf(
              compose.path("services").path(service).path("address"),
              "config/compose.yml services." + service + ".address");

      assertThat(address.getAddress()).as("cluster %s host", service).isEqualTo(service);
      assertThat(String.valueOf(address.getPortValue()))
          .as("cluster %s port", service)
          .isEqualTo(allPort)
          .isEqualTo(composePort);
      assertThat(composeAddress).isEqualTo(service + ":" + address.getPortValue());
    }
  }

  @Test
  void docsClusterIsTheAuthServicesHttpPort() {
    JsonNode compose = RepoFiles.yaml("config/compose.yml");
    String httpPort =
        RepoFiles.defaultOf(
            compose.path("server").path("applicationConnectors").path(0).path("port"),
            "config/compose.yml server.applicationConnectors[0].port");

    SocketAddress docs = endpoint(cluster("docs"));
    assertThat(docs.getAddress()).isEqualTo("auth");
    assertThat(String.valueOf(docs.getPortValue())).isEqualTo(httpPort);
    assertThat(cluster("docs").getTypedExtensionProtocolOptionsMap())
        .as("the docs cluster speaks HTTP/1.1")
        .doesNotContainKey(HTTP_PROTOCOL_OPTIONS);
  }

  @Test
  void grpcClustersSpeakHttp2() throws InvalidProtocolBufferException {
    for (String service : RepoFiles.SERVICES) {
      Cluster cluster = cluster(service);
      assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
      assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
      assertThat(cluster.getTypedExtensionProtocolOptionsMap()).containsKey(HTTP_PROTOCOL_OPTIONS);
      HttpProtocolOptions options =
          cluster
              .getTypedExtensionProtocolOptionsMap()
              .get(HTTP_PROTOCOL_OPTIONS)
              .unpack(HttpProtocolOptions.class);
      assertThat(options.getExplicitHttpConfig().hasHttp2ProtocolOptions())
          .as("cluster %s uses HTTP/2 upstream", service)
          .isTrue();
    }
  }

  // ---- (d) security settings and routes ---------------------------------------------------

  @Test
  void serverKeyHeaderIsStrippedFromEveryRequest() {
    assertThat(host.getRequestHeadersToRemoveList()).contains("server-key");
    assertThat(hcm.getRouteConfig().getVirtualHostsCount()).isEqualTo(1);
    assertThat(host.getDomainsList()).containsExactly("*");
  }

  @Test
  void adminInterfaceListensOnLoopbackOnly() {
    SocketAddress admin = bootstrap.getAdmin().getAddress().getSocketAddress();
    assertThat(admin.getAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void listenerServesEveryoneOnPort8080() {
    Listener listener = bootstrap.getStaticResources().getListeners(0);
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(8080);
    assertThat(hcm.getCodecType()).isEqualTo(HttpConnectionManager.CodecType.AUTO);
    assertThat(hcm.getStatPrefix()).isNotBlank();
  }

  @Test
  void everyTranscodedServiceHasAGrpcRouteToItsCluster() {
    for (String service : transcoder.getServicesList()) {
      String prefix = "/" + service + "/";
      Route route =
          host.getRoutesList().stream()
              .filter(r -> r.getMatch().getPrefix().equals(prefix))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no route for prefix " + prefix));
      // library.<cluster>.v1.<Name>Service
      String cluster = service.split("\\.")[1];
      assertThat(route.getRoute().getCluster()).as(prefix).isEqualTo(cluster);
      assertThat(route.getRoute().hasTimeout()).as("%s has a timeout", prefix).isTrue();
    }
  }

  @Test
  void tracesGoToTheCollectorClusterWithW3cTraceContext() throws InvalidProtocolBufferException {
    assertThat(hcm.hasTracing()).as("the listener traces requests").isTrue();
    assertThat(hcm.getTracing().getProvider().getName()).isEqualTo("envoy.tracers.opentelemetry");
    // The OpenTelemetry tracer propagates W3C traceparent, which the services' spans continue.
    io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig tracer =
        hcm.getTracing()
            .getProvider()
            .getTypedConfig()
            .unpack(io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.class);
    String collector = tracer.getGrpcService().getEnvoyGrpc().getClusterName();
    assertThat(collector).isEqualTo("otel_collector");
    Cluster cluster = cluster(collector);
    assertThat(cluster.getTypedExtensionProtocolOptionsMap())
        .as("OTLP/gRPC needs HTTP/2 to the collector")
        .containsKey(HTTP_PROTOCOL_OPTIONS);
    assertThat(endpoint(cluster).getPortValue()).as("the OTLP/gRPC port").isEqualTo(4317);
    assertThat(tracer.getServiceName()).isEqualTo("library-envoy");
  }

  @Test
  void everyRouteTargetsAKnownCluster() {
    Set<String> clusters = new TreeSet<>();
    bootstrap.getStaticResources().getClustersList().forEach(c -> clusters.add(c.getName()));
    for (Route route : host.getRoutesList()) {
      if (route.hasRoute()) {
        assertThat(clusters).contains(route.getRoute().getCluster());
      } else {
        assertThat(route.hasDirectResponse()).as(route.getMatch().getPrefix()).isTrue();
      }
    }
  }

  @Test
  void docsRoutesBypassTheTranscoder() throws InvalidProtocolBufferException {
    for (String prefix : List.of("/docs", "/openapi/")) {
      Route route =
          host.getRoutesList().stream()
              .filter(r -> r.getMatch().getPrefix().equals(prefix))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no route for prefix " + prefix));
      assertThat(route.getRoute().getCluster()).isEqualTo("docs");
      assertThat(route.getTypedPerFilterConfigMap()).containsKey(TRANSCODER);
      FilterConfig config = route.getTypedPerFilterConfigMap().get(TRANSCODER).unpack(FilterConfig.class);
      assertThat(config.getDisabled()).as("transcoder disabled on %s", prefix).isTrue();
    }
  }

  /** The CORS filter finds its policy through the route: REST paths need one before transcoding. */
  @Test
  void restPathsMatchARouteBeforeTranscoding() {
    assertThat(host.getRoutesList())
        .anySatisfy(r -> assertThat(r.getMatch().getPrefix()).isEqualTo("/api/"));
  }

  /**
   * The rate limit runs after the transcoder, so that it sees the gRPC route of a transcoded REST
   * call (the transcoder rewrites the path and clears the route cache).
   */
  @Test
  void filtersRunCorsThenBodyLimitThenTranscoderThenRateLimitThenRouter()
      throws InvalidProtocolBufferException {
    assertThat(hcm.getHttpFiltersList())
        .extracting(HttpFilter::getName)
        .containsExactly(
            "envoy.filters.http.cors",
            "envoy.filters.http.buffer",
            TRANSCODER,
            RATE_LIMIT,
            "envoy.filters.http.router");

    Buffer buffer = filter("envoy.filters.http.buffer").getTypedConfig().unpack(Buffer.class);
    assertThat(buffer.getMaxRequestBytes().getValue()).isEqualTo(1024 * 1024);
  }

  @Test
  void corsAllowsTheApiHeadersAndMethods() throws InvalidProtocolBufferException {
    assertThat(host.getTypedPerFilterConfigMap()).containsKey("envoy.filters.http.cors");
    CorsPolicy cors =
        host.getTypedPerFilterConfigMap().get("envoy.filters.http.cors").unpack(CorsPolicy.class);

    // No origin unless the operator lists one (Swagger UI is same-origin).
    assertThat(cors.getAllowOriginStringMatchList()).isEmpty();
    assertThat(split(cors.getAllowMethods()))
        .contains("GET", "POST", "PUT", "DELETE", "OPTIONS");
    assertThat(split(cors.getAllowHeaders()))
        .contains("authorization", "content-type", "x-grpc-web");
    assertThat(cors.getMaxAge()).isNotBlank();
    assertThat(cors.getAllowCredentials().getValue()).isFalse();
  }

  // ---- the gateway's view: the same facts through plain YAML paths ------------------------

  /**
   * The gateway target reads this file with Jackson, by path, not through Envoy's protos. The
   * paths it relies on must keep resolving to the same facts.
   */
  @Test
  void conventionalPathsResolveForPlainYamlReaders() {
    JsonNode root = RepoFiles.yaml("envoy/envoy.yaml");
    JsonNode hcmNode =
        root.at("/static_resources/listeners/0/filter_chains/0/filters/0/typed_config");
    assertThat(hcmNode.path("@type").asText()).endsWith("HttpConnectionManager");

    JsonNode routes = hcmNode.at("/route_config/virtual_hosts/0/routes");
    Map<String, String> prefixToCluster = new LinkedHashMap<>();
    routes.forEach(
        r -> {
          if (r.has("route")) {
            prefixToCluster.put(
                r.at("/match/prefix").asText(), r.at("/route/cluster").asText());
          }
        });
    assertThat(prefixToCluster)
        .containsEntry("/library.auth.v1.AuthService/", "auth")
        .containsEntry("/library.author.v1.AuthorService/", "author")
        .containsEntry("/library.category.v1.CategoryService/", "category")
        .containsEntry("/library.book.v1.BookService/", "book")
        .containsEntry("/docs", "docs")
        .containsEntry("/openapi/", "docs");

    JsonNode transcoderNode = null;
    for (JsonNode f : hcmNode.path("http_filters")) {
      if (f.path("name").asText().equals(TRANSCODER)) {
        transcoderNode = f.path("typed_config");
      }
    }
    assertThat(transcoderNode).isNotNull();
    List<String> services = new ArrayList<>();
    transcoderNode.path("services").forEach(s -> services.add(s.asText()));
    assertThat(services).containsExactlyElementsOf(transcoder.getServicesList());
    assertThat(transcoderNode.at("/print_options/always_print_primitive_fields").asBoolean())
        .isTrue();

    Map<String, String> clusterAddresses = new LinkedHashMap<>();
    root.at("/static_resources/clusters")
        .forEach(
            c -> {
              JsonNode socket =
                  c.at("/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address");
              clusterAddresses.put(
                  c.path("name").asText(),
                  socket.path("address").asText() + ":" + socket.path("port_value").asInt());
            });
    assertThat(clusterAddresses)
        .containsEntry("auth", "auth:50051")
        .containsEntry("author", "author:50052")
        .containsEntry("category", "category:50053")
        .containsEntry("book", "book:50054")
        .containsEntry("docs", "auth:8081");
  }

  // ---- helpers ----------------------------------------------------------------------------

  private HttpFilter filter(String name) {
    return hcm.getHttpFiltersList().stream()
        .filter(f -> f.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " filter"));
  }

  private Cluster cluster(String name) {
    return bootstrap.getStaticResources().getClustersList().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cluster " + name));
  }

  private static SocketAddress endpoint(Cluster cluster) {
    assertThat(cluster.getLoadAssignment().getEndpointsCount()).isEqualTo(1);
    assertThat(cluster.getLoadAssignment().getEndpoints(0).getLbEndpointsCount()).isEqualTo(1);
    return cluster
        .getLoadAssignment()
        .getEndpoints(0)
        .getLbEndpoints(0)
        .getEndpoint()
        .getAddress()
        .getSocketAddress();
  }

  private static List<String> split(String commaSeparated) {
    List<String> parts = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      parts.add(part.trim());
    }
    return parts;
  }

  static FileDescriptorSet descriptorSet() throws IOException {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    registry.add(AnnotationsProto.http);
    try (InputStream in =
        EnvoyConfigTest.class.getClassLoader().getResourceAsStream("library/descriptor.pb")) {
      assertThat(in).as("library/descriptor.pb on the classpath (library-proto)").isNotNull();
      return FileDescriptorSet.parseFrom(in, registry);
    }
  }

  /** Fully-qualified service name to service, for every service in the descriptor set. */
  static Map<String, ServiceDescriptorProto> descriptorServices() throws IOException {
    Map<String, ServiceDescriptorProto> services = new LinkedHashMap<>();
    for (FileDescriptorProto file : descriptorSet().getFileList()) {
      for (ServiceDescriptorProto service : file.getServiceList()) {
        String name =
            file.getPackage().isEmpty()
                ? service.getName()
                : file.getPackage() + "." + service.getName();
        services.put(name, service);
      }
    }
    return services;
  }

  private static boolean hasHttpRule(MethodDescriptorProto method) {
    return method.getOptions().hasExtension(AnnotationsProto.http);
  }

  private static HttpRule httpRule(MethodDescriptorProto method) {
    return method.getOptions().getExtension(AnnotationsProto.http);
  }

  private static String verbAndPath(HttpRule rule) {
    return switch (rule.getPatternCase()) {
      case GET -> "GET " + rule.getGet();
      case POST -> "POST " + rule.getPost();
      case PUT -> "PUT " + rule.getPut();
      case DELETE -> "DELETE " + rule.getDelete();
      case PATCH -> "PATCH " + rule.getPatch();
      case CUSTOM -> rule.getCustom().getKind() + " " + rule.getCustom().getPath();
      case PATTERN_NOT_SET -> "none";
    };
  }
}
