package dev.library.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the gateway takes from Envoy's configuration: the facts that decide how a REST call is
 * transcoded and where it goes. Anything else in the file (stats, admin, access logs) is Envoy's
 * own business and is not read.
 *
 * @param listenerPort the port Envoy's REST listener binds
 * @param transcodedServices fully-qualified gRPC services the transcoder exposes over REST
 * @param printOptions how the transcoder prints response messages
 * @param convertGrpcStatus whether gRPC errors become a {@code google.rpc.Status} JSON body
 * @param ignoreUnknownQueryParameters whether a query parameter naming no field is ignored rather
 *     than rejected
 * @param routes the virtual host's routes, in match order
 * @param clusters cluster name to its first endpoint
 * @param headersToRemove request headers never passed upstream (lower case)
 * @param cors the virtual host's CORS policy, if any
 * @param maxRequestBytes the request body limit Envoy enforces, if the file sets one
 * @param maxRequestHeadersBytes the limit on the request line and headers together (Envoy's
 *     {@code max_request_headers_kb}, or its default)
 * @param localReplyCodes HTTP status to the gRPC code of the google.rpc.Status JSON body Envoy
 *     answers with it ({@code local_reply_config} mappers)
 */
public record EnvoyConfig(
    int listenerPort,
    List<String> transcodedServices,
    PrintOptions printOptions,
    boolean convertGrpcStatus,
    boolean ignoreUnknownQueryParameters,
    List<Route> routes,
    Map<String, Cluster> clusters,
    Set<String> headersToRemove,
    Optional<CorsPolicy> cors,
    OptionalInt maxRequestBytes,
    int maxRequestHeadersBytes,
    Map<Integer, Integer> localReplyCodes) {

  /** Envoy's max_request_headers_kb when the file sets none. */
  public static final int DEFAULT_MAX_REQUEST_HEADERS_BYTES = 60 * 1024;

  /** Envoy's {@code print_options} of the gRPC-JSON transcoder. */
  public record PrintOptions(
      boolean addWhitespace,
      boolean alwaysPrintPrimitiveFields,
      boolean alwaysPrintEnumsAsInts,
      boolean preserveProtoFieldNames) {}

  /**
   * A route of the virtual host: requests whose path starts with {@code prefix} go to a cluster,
   * and may take up to {@code timeout} (absent when the file sets none, or disables it with 0s).
   */
  public record Route(String prefix, String cluster, Optional<Duration> timeout) {
    boolean matches(String path) {
      return path.startsWith(prefix);
    }
  }

  /** An upstream cluster and the one endpoint the gateway uses. */
  public record Cluster(String name, String host, int port, Duration connectTimeout) {
    public String address() {
      return host + ":" + port;
    }
  }

  /** The route of a gRPC service's calls: the first one matching its method paths. */
  public Optional<Route> routeForService(String fullServiceName) {
    String methodPath = "/" + fullServiceName + "/";
    return routes.stream().filter(r -> r.matches(methodPath)).findFirst();
  }

  /** The cluster that serves a gRPC service. */
  public Optional<String> clusterForService(String fullServiceName) {
    return routeForService(fullServiceName).map(Route::cluster);
  }
}
