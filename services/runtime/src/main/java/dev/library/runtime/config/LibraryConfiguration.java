package dev.library.runtime.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/** The whole process configuration: which modules run, and how. */
public class LibraryConfiguration extends Configuration {
  /**
   * Comma-separated module names this process hosts ({@code auth}, {@code author}, ...), or
   * {@code all}. Mirrors Mimir/Loki's {@code -target}.
   */
  @NotBlank @JsonProperty private String target = "all";

  @Valid @NotNull @JsonProperty
  private EmbeddedPostgresConfig embeddedPostgres = new EmbeddedPostgresConfig();

  @Valid @NotNull @JsonProperty private SecurityConfig security = new SecurityConfig();

  /** TLS of the gRPC servers and of the channels between services; off unless files are named. */
  @Valid @NotNull @JsonProperty private TlsConfig tls = new TlsConfig();

  /** How long in-flight gRPC calls may run on after a stop is requested. */
  @NotNull @JsonProperty private Duration grpcShutdownGracePeriod = Duration.seconds(10);

  /**
   * How long a client connection to a gRPC server may live before the server asks the client to
   * reconnect (a GOAWAY; calls in flight finish within the grace period). Clients resolve the
   * service's name again when they reconnect, so replicas added since are found. 0: forever.
   */
  @NotNull @JsonProperty private Duration grpcMaxConnectionAge = Duration.seconds(0);

  @Valid @NotNull @JsonProperty private Map<String, ServiceConfig> services = new LinkedHashMap<>();

  /** Settings of edge targets (such as {@code gateway}), keyed by target name. */
  @JsonProperty private Map<String, JsonNode> edges = new LinkedHashMap<>();

  /** The settings block of an edge target, or an empty object. */
  public JsonNode edgeSettings(String name) {
    JsonNode node = edges.get(name);
    return node == null ? JsonNodeFactory.instance.objectNode() : node;
  }

  public Map<String, JsonNode> getEdges() {
    return edges;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public EmbeddedPostgresConfig getEmbeddedPostgres() {
    return embeddedPostgres;
  }

  public SecurityConfig getSecurity() {
    return security;
  }

  public TlsConfig getTls() {
    return tls;
  }

  public Duration getGrpcShutdownGracePeriod() {
    return grpcShutdownGracePeriod;
  }

  public java.time.Duration getGrpcMaxConnectionAge() {
    return java.time.Duration.ofMillis(grpcMaxConnectionAge.toMilliseconds());
  }

  public Map<String, ServiceConfig> getServices() {
    return services;
  }

  /** The block of the named service, or defaults when the file has none. */
  public ServiceConfig service(String name) {
    return services.computeIfAbsent(name, n -> new ServiceConfig());
  }
}
