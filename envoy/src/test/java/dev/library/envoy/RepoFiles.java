package dev.library.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.library.api.ApiDescriptorSet;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.Buffer;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository files under test, and the parsers the tests share. */
final class RepoFiles {
  /**
   * The services of the descriptor set (`library.<name>.v1`): each is a compose service, an Envoy
   * cluster, a config block and a database of that name.
   */
  static final List<String> SERVICES = ApiDescriptorSet.fromClasspath().libraryServiceNames();

  /**
   * Every message that appears as a typed_config (or typed per-filter config) in envoy.yaml and
   * envoy-tls.yaml. A
   * type missing here makes the parse fail, so the list cannot silently fall behind the file.
   */
  static final JsonFormat.TypeRegistry ENVOY_TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpConnectionManager.getDescriptor())
          .add(Router.getDescriptor())
          .add(GrpcJsonTranscoder.getDescriptor())
          .add(Cors.getDescriptor())
          .add(CorsPolicy.getDescriptor())
          .add(Buffer.getDescriptor())
          .add(LocalRateLimit.getDescriptor())
          .add(HttpProtocolOptions.getDescriptor())
          .add(FilterConfig.getDescriptor())
          .add(StdoutAccessLog.getDescriptor())
          .add(DownstreamTlsContext.getDescriptor())
          .add(io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor())
          .build();

  static final String TRANSCODER = "envoy.filters.http.grpc_json_transcoder";

  static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** `${NAME}`, `${NAME:-default}` or `${NAME:?message}` (also `-`, `?` without the colon). */
  static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  private RepoFiles() {}

  /**
   * The repository root: the first directory upwards that holds envoy/envoy.yaml, or the system
   * property {@code library.root} (to run these checks against another copy of the files).
   */
  static Path root() {
    String override = System.getProperty("library.root", "");
    Path dir = override.isBlank() ? Path.of("").toAbsolutePath() : Path.of(override);
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("envoy/envoy.yaml"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no envoy/envoy.yaml above " + Path.of("").toAbsolutePath());
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(String relative) {
    return yamlText(read(relative));
  }

  static JsonNode yamlText(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * YAML to JSON to Envoy's Bootstrap proto, the way Envoy itself loads a YAML bootstrap: unknown
   * fields, wrong value types and unknown `@type`s are errors.
   */
  static Bootstrap parseBootstrap(String yamlText) throws InvalidProtocolBufferException {
    String json;
    try {
      json = JSON.writeValueAsString(yamlText(yamlText));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Bootstrap.Builder builder = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(ENVOY_TYPES).merge(json, builder);
    return builder.build();
  }

  static Bootstrap envoyBootstrap() {
    try {
      return parseBootstrap(read("envoy/envoy.yaml"));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("envoy/envoy.yaml does not parse as an Envoy v3 Bootstrap", e);
    }
  }

  /** The listener's HTTP connection manager. */
  static HttpConnectionManager connectionManager(Bootstrap bootstrap) {
    try {
      return bootstrap
          .getStaticResources()
          .getListeners(0)
          .getFilterChains(0)
          .getFilters(0)
          .getTypedConfig()
          .unpack(HttpConnectionManager.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** The gRPC-JSON transcoder's configuration. */
  static GrpcJsonTranscoder transcoder(Bootstrap bootstrap) {
    try {
      return connectionManager(bootstrap).getHttpFiltersList().stream()
          .filter(f -> f.getName().equals(TRANSCODER))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + TRANSCODER + " filter"))
          .getTypedConfig()
          .unpack(GrpcJsonTranscoder.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** A value such as `${AUTH_GRPC_PORT:-50051}`, split into its parts. */
  record Variable(String name, String operator, String argument) {
    /** The default of a `${NAME:-default}`, if this is one. */
    Optional<String> defaultValue() {
      return operator != null && operator.endsWith("-") ? Optional.of(argument) : Optional.empty();
    }

    boolean required() {
      return operator != null && operator.endsWith("?");
    }
  }

  /** The value when it is exactly one `${...}` reference. */
  static Optional<Variable> variable(String value) {
    Matcher m = VARIABLE.matcher(value.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Variable(m.group(1), m.group(2), m.group(3)));
  }

  /** Every `${...}` reference in a text. */
  static List<Variable> variables(String text) {
    Matcher m = VARIABLE.matcher(text);
    List<Variable> found = new java.util.ArrayList<>();
    while (m.find()) {
      found.add(new Variable(m.group(1), m.group(2), m.group(3)));
    }
    return found;
  }

  /** The default of a `${NAME:-default}` value, failing when the value has another form. */
  static String defaultOf(JsonNode node, String where) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new AssertionError(where + " is missing");
    }
    return variable(node.asText())
        .flatMap(Variable::defaultValue)
        .orElseThrow(
            () -> new AssertionError(where + " is not of the form ${VAR:-default}: " + node));
  }
}
