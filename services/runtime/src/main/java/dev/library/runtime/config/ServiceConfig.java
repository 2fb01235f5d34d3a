package dev.library.runtime.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * One service's block under {@code services:}. The same block serves two purposes: the process
 * that hosts the service reads the port, database and settings; a process that calls the service
 * reads {@code address}.
 */
public class ServiceConfig {
  /**
   * Port of this service's gRPC server, when this process hosts it. Unset means the service's
   * default (50051-50054); 0 picks a free port.
   */
  @Min(0)
  @Max(65535)
  @JsonProperty
  private Integer grpcPort;

  /** host:port where other services reach this one. Defaults to localhost and grpcPort. */
  @JsonProperty private String address = "";

  /**
   * The longest a call from this process to this service may take (a caller's own, shorter
   * deadline wins). Read by the processes that call the service.
   */
  @NotNull @JsonProperty private io.dropwizard.util.Duration callTimeout =
      io.dropwizard.util.Duration.seconds(5);

  @Valid @NotNull @JsonProperty private DatabaseConfig database = new DatabaseConfig();

  /** Service-specific settings, bound by the service module to its own settings class. */
  @JsonProperty private JsonNode settings = JsonNodeFactory.instance.objectNode();

  public Integer getGrpcPort() {
    return grpcPort;
  }

  public void setGrpcPort(Integer grpcPort) {
    this.grpcPort = grpcPort;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public java.time.Duration getCallTimeout() {
    return java.time.Duration.ofMillis(callTimeout.toMilliseconds());
  }

  public DatabaseConfig getDatabase() {
    return database;
  }

  public JsonNode getSettings() {
    return settings;
  }
}
