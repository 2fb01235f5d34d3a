package dev.library.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.config.StrictSettings;
import io.dropwizard.util.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code edges.gateway} block of the process configuration. Everything about routing comes
 * from Envoy's file; these settings only say where that file is and how this process differs
 * from a docker-compose deployment (ports, addresses).
 */
public class GatewaySettings {
  // The fluent setters (for tests and embedders) are not named set*, so that Jackson binds the
  // annotated fields, with Dropwizard's duration syntax ("30s"), and never those setters.

  /** The copy of {@code envoy/envoy.yaml} packaged in this jar. */
  public static final String PACKAGED_ENVOY_CONFIG = "envoy/envoy.yaml";

  /** Where this block sits in the process configuration. */
  static final String PATH = "edges.gateway";

  /** HTTP port of the gateway; unset means the port of Envoy's listener (8080). 0 picks one. */
  @JsonProperty private Integer port;

  /** An Envoy configuration file to use instead of the packaged copy. */
  @JsonProperty private String envoyConfig;

  /** cluster name to host:port, overriding every other way of finding a cluster. */
  @JsonProperty private Map<String, String> clusterAddresses = new LinkedHashMap<>();

  /**
   * Whether a cluster named like a service (auth, author, category, book) goes where this
   * process reaches that service ({@code services.<name>.address}, else localhost and its gRPC
   * port), instead of Envoy's docker-compose host name.
   */
  @JsonProperty private boolean useServiceAddresses = true;

  /** The longest a call may take upstream; a smaller grpc-timeout from the caller wins. */
  @JsonProperty private Duration requestTimeout = Duration.seconds(30);

  public static GatewaySettings from(JsonNode settings) {
    // A misspelt setting stops the start, naming its path and the keys known there.
    GatewaySettings bound = StrictSettings.bind(PATH, settings, GatewaySettings.class);
    if (bound.port != null && (bound.port < 0 || bound.port > 65535)) {
      throw new IllegalArgumentException("gateway port must be 0 to 65535, not " + bound.port);
    }
    if (bound.requestTimeout.toMilliseconds() <= 0) {
      throw new IllegalArgumentException("gateway requestTimeout must be positive");
    }
    return bound;
  }

  public Optional<Integer> getPort() {
    return Optional.ofNullable(port);
  }

  public GatewaySettings port(int port) {
    this.port = port;
    return this;
  }

  public Optional<String> getEnvoyConfig() {
    return Optional.ofNullable(envoyConfig).filter(s -> !s.isBlank());
  }

  public GatewaySettings envoyConfig(String envoyConfig) {
    this.envoyConfig = envoyConfig;
    return this;
  }

  public Map<String, String> getClusterAddresses() {
    return clusterAddresses;
  }

  public GatewaySettings clusterAddresses(Map<String, String> clusterAddresses) {
    this.clusterAddresses = new LinkedHashMap<>(clusterAddresses);
    return this;
  }

  public boolean isUseServiceAddresses() {
    return useServiceAddresses;
  }

  public GatewaySettings useServiceAddresses(boolean useServiceAddresses) {
    this.useServiceAddresses = useServiceAddresses;
    return this;
  }

  public java.time.Duration getRequestTimeout() {
    return java.time.Duration.ofMillis(requestTimeout.toMilliseconds());
  }

  public GatewaySettings requestTimeout(java.time.Duration requestTimeout) {
    this.requestTimeout = Duration.milliseconds(requestTimeout.toMillis());
    return this;
  }
}
