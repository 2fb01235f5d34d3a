package dev.library.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.library.gateway.CorsPolicy.OriginMatcher;
import dev.library.gateway.EnvoyConfig.Cluster;
import dev.library.gateway.EnvoyConfig.PrintOptions;
import dev.library.gateway.EnvoyConfig.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads Envoy's bootstrap YAML ({@code envoy/envoy.yaml}) into an {@link EnvoyConfig}. It reads
 * the file as plain YAML rather than as Envoy's API protos: the server jar must not carry Envoy's
 * API (its jar bundles clashing copies of {@code com.google.api} classes), and the envoy module's
 * tests already check the file against that schema.
 */
public final class EnvoyConfigReader {
  static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
  static final String TRANSCODER = "envoy.filters.http.grpc_json_transcoder";
  static final String CORS_FILTER = "envoy.filters.http.cors";
  static final String BUFFER_FILTER = "envoy.filters.http.buffer";

  /** Envoy's default when a cluster sets no connect_timeout. */
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String source;

  private EnvoyConfigReader(String source) {
    this.source = source;
  }

  public static EnvoyConfig read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Envoy configuration " + file, e);
    }
  }

  /** Reads a classpath resource, such as the {@code envoy/envoy.yaml} packaged in this jar. */
  public static EnvoyConfig readResource(String resource) {
    InputStream in = EnvoyConfigReader.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("no Envoy configuration on the classpath at " + resource);
    }
    try (in) {
      return read(in, "classpath:" + resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Envoy configuration " + resource, e);
    }
  }

  public static EnvoyConfig read(InputStream yaml, String source) throws IOException {
    JsonNode root = YAML.readTree(yaml);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": not a YAML document");
    }
    return new EnvoyConfigReader(source).parse(root);
  }

  private EnvoyConfig parse(JsonNode root) {
    JsonNode resources = required(root, "static_resources");
    JsonNode listener = first(required(resources, "listeners"), "static_resources.listeners");
    JsonNode manager = httpConnectionManager(listener);
    JsonNode virtualHost =
        first(
            required(required(manager, "route_config"), "virtual_hosts"),
            "route_config.virtual_hosts");
    JsonNode filters = required(manager, "http_filters");
    JsonNode transcoder = typedConfig(findFilter(filters, TRANSCODER, true));

    List<String> services = strings(required(transcoder, "services"));
    if (services.isEmpty()) {
      throw fail(TRANSCODER + " lists no services");
    }
    JsonNode print = transcoder.path("print_options");
    PrintOptions printOptions =
        new PrintOptions(
            print.path("add_whitespace").asBoolean(false),
            print.path("always_print_primitive_fields").asBoolean(false),
            print.path("always_print_enums_as_ints").asBoolean(false),
            print.path("preserve_proto_field_names").asBoolean(false));

    Map<String, Cluster> clusters = clusters(resources.path("clusters"));
    List<Route> routes = routes(virtualHost);
    for (Route route : routes) {
      if (!clusters.containsKey(route.cluster())) {
        throw fail("route " + route.prefix() + " names unknown cluster " + route.cluster());
      }
    }
    EnvoyConfig config =
        new EnvoyConfig(
            listener.path("address").path("socket_address").path("port_value").asInt(8080),
            List.copyOf(services),
            printOptions,
            transcoder.path("convert_grpc_status").asBoolean(false),
            transcoder.path("ignore_unknown_query_parameters").asBoolean(false),
            List.copyOf(routes),
            Map.copyOf(clusters),
            headersToRemove(virtualHost),
            cors(virtualHost),
            maxRequestBytes(listener, filters),
            maxRequestHeadersBytes(manager),
            localReplyCodes(manager));
    for (String service : services) {
      if (config.clusterForService(service).isEmpty()) {
        throw fail("no route sends /" + service + "/ to a cluster");
      }
    }
    return config;
  }

  private JsonNode httpConnectionManager(JsonNode listener) {
    for (JsonNode chain : listener.path("filter_chains")) {
      for (JsonNode filter : chain.path("filters")) {
        if (HTTP_CONNECTION_MANAGER.equals(filter.path("name").asText())) {
          return typedConfig(filter);
        }
      }
    }
    throw fail("the first listener has no " + HTTP_CONNECTION_MANAGER);
  }

  private JsonNode findFilter(JsonNode filters, String name, boolean mandatory) {
    for (JsonNode filter : filters) {
      if (name.equals(filter.path("name").asText())) {
        return filter;
      }
    }
    if (mandatory) {
      throw fail("http_filters has no " + name);
    }
    return null;
  }

  private JsonNode typedConfig(JsonNode filter) {
    JsonNode config = filter.get("typed_config");
    if (config == null || !config.isObject()) {
      throw fail(filter.path("name").asText() + " has no typed_config");
    }
    return config;
  }

  private List<Route> routes(JsonNode virtualHost) {
    List<Route> routes = new ArrayList<>();
    for (JsonNode route : required(virtualHost, "routes")) {
      JsonNode match = route.path("match");
      String prefix = match.hasNonNull("prefix") ? match.get("prefix").asText() : null;
      if (prefix == null && match.hasNonNull("path")) {
        prefix = match.get("path").asText();
      }
      String cluster = route.path("route").path("cluster").asText(null);
      // Redirects, direct responses and regex matches have no counterpart in the gateway.
      if (prefix != null && cluster != null) {
        JsonNode timeout = route.path("route").path("timeout");
        Optional<Duration> limit =
            timeout.isMissingNode() || timeout.isNull()
                ? Optional.empty()
                : Optional.of(duration(timeout, "route " + prefix + " timeout"))
                    .filter(d -> !d.isZero());
        routes.add(new Route(prefix, cluster, limit));
      }
    }
    return routes;
  }

  private Map<String, Cluster> clusters(JsonNode clusters) {
    Map<String, Cluster> byName = new LinkedHashMap<>();
    for (JsonNode cluster : clusters) {
      String name = cluster.path("name").asText(null);
      if (name == null) {
        throw fail("a cluster has no name");
      }
      JsonNode socket =
          cluster
              .path("load_assignment")
              .path("endpoints")
              .path(0)
              .path("lb_endpoints")
              .path(0)
              .path("endpoint")
              .path("address")
              .path("socket_address");
      if (!socket.hasNonNull("address") || !socket.hasNonNull("port_value")) {
        throw fail("cluster " + name + " has no socket_address endpoint");
      }
      Duration connectTimeout =
          cluster.hasNonNull("connect_timeout")
              ? duration(cluster.get("connect_timeout"), "clusters." + name + ".connect_timeout")
              : DEFAULT_CONNECT_TIMEOUT;
      byName.put(
          name,
          new Cluster(
              name, socket.get("address").asText(), socket.get("port_value").asInt(), connectTimeout));
    }
    return byName;
  }

  private static Set<String> headersToRemove(JsonNode virtualHost) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode header : virtualHost.path("request_headers_to_remove")) {
      names.add(header.asText().toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(names);
  }

  private Optional<CorsPolicy> cors(JsonNode virtualHost) {
    JsonNode policy = virtualHost.path("typed_per_filter_config").path(CORS_FILTER);
    if (policy.isMissingNode()) {
      // The deprecated per-virtual-host field, still accepted by Envoy.
      policy = virtualHost.path("cors");
    }
    if (policy.isMissingNode() || policy.isNull()) {
      return Optional.empty();
    }
    List<OriginMatcher> origins = new ArrayList<>();
    for (JsonNode matcher : policy.path("allow_origin_string_match")) {
      origins.add(originMatcher(matcher));
    }
    Optional<Duration> maxAge =
        policy.hasNonNull("max_age")
            ? Optional.of(Duration.ofSeconds(Long.parseLong(policy.get("max_age").asText().trim())))
            : Optional.empty();
    return Optional.of(
        new CorsPolicy(
            List.copyOf(origins),
            commaSeparated(policy.path("allow_methods")),
            commaSeparated(policy.path("allow_headers")),
            commaSeparated(policy.path("expose_headers")),
            maxAge,
            policy.path("allow_credentials").asBoolean(false)));
  }

  private OriginMatcher originMatcher(JsonNode matcher) {
    boolean ignoreCase = matcher.path("ignore_case").asBoolean(false);
    for (OriginMatcher.Kind kind : OriginMatcher.Kind.values()) {
      String field = kind.name().toLowerCase(Locale.ROOT);
      if (matcher.has(field)) {
        String value =
            kind == OriginMatcher.Kind.SAFE_REGEX
                ? matcher.get(field).path("regex").asText()
                : matcher.get(field).asText();
        return new OriginMatcher(kind, value, ignoreCase);
      }
    }
    throw fail("unsupported allow_origin_string_match " + matcher);
  }

  private OptionalInt maxRequestBytes(JsonNode listener, JsonNode filters) {
    JsonNode buffer = findFilter(filters, BUFFER_FILTER, false);
    if (buffer != null && buffer.path("typed_config").hasNonNull("max_request_bytes")) {
      return OptionalInt.of(buffer.path("typed_config").get("max_request_bytes").asInt());
    }
    if (listener.hasNonNull("per_connection_buffer_limit_bytes")) {
      return OptionalInt.of(listener.get("per_connection_buffer_limit_bytes").asInt());
    }
    return OptionalInt.empty();
  }

  private int maxRequestHeadersBytes(JsonNode manager) {
    JsonNode kb = manager.get("max_request_headers_kb");
    if (kb == null || kb.isNull()) {
      return EnvoyConfig.DEFAULT_MAX_REQUEST_HEADERS_BYTES;
    }
    if (!kb.canConvertToInt() || kb.asInt() < 1 || kb.asInt() > 8192) {
      throw fail("max_request_headers_kb must be 1 to 8192, not " + kb);
    }
    return kb.asInt() * 1024;
  }

  /**
   * The codes of Envoy's JSON local replies: each mapper that matches one status ({@code
   * status_code_filter} with op EQ) and formats a JSON body with a numeric {@code code}. Mappers
   * of another shape (the one that leaves gRPC replies alone) say nothing about codes.
   */
  private Map<Integer, Integer> localReplyCodes(JsonNode manager) {
    Map<Integer, Integer> codes = new LinkedHashMap<>();
    for (JsonNode mapper : manager.path("local_reply_config").path("mappers")) {
      JsonNode comparison = mapper.path("filter").path("status_code_filter").path("comparison");
      JsonNode code = mapper.path("body_format_override").path("json_format").path("code");
      if (!comparison.path("op").asText("EQ").equals("EQ")
          || !comparison.path("value").path("default_value").canConvertToInt()
          || !code.canConvertToInt()) {
        continue;
      }
      int status = comparison.path("value").path("default_value").asInt();
      if (code.asInt() < 0 || code.asInt() > 16) {
        throw fail("local reply of " + status + ": " + code + " is not a gRPC code");
      }
      codes.putIfAbsent(status, code.asInt());
    }
    return Map.copyOf(codes);
  }

  /** Envoy's JSON form of google.protobuf.Duration: "2s", "0.25s". */
  private Duration duration(JsonNode node, String where) {
    String text = node.asText().trim();
    if (!text.endsWith("s")) {
      throw fail(where + ": expected a duration such as \"2s\", got " + text);
    }
    BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
    return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
  }

  private static List<String> commaSeparated(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    return Arrays.stream(node.asText().split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private List<String> strings(JsonNode array) {
    if (!array.isArray()) {
      throw fail("expected a list, got " + array);
    }
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private JsonNode required(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw fail("missing " + field);
    }
    return node;
  }

  private JsonNode first(JsonNode array, String where) {
    if (!array.isArray() || array.isEmpty()) {
      throw fail(where + " is empty");
    }
    return array.get(0);
  }

  private IllegalArgumentException fail(String message) {
    return new IllegalArgumentException(source + ": " + message);
  }
}
