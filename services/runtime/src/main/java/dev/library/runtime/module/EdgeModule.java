package dev.library.runtime.module;

import io.dropwizard.core.setup.Environment;
import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.grpc.ServiceChannels;
import dev.library.runtime.observe.Telemetry;

/**
 * A target that is not a gRPC service of its own, such as the REST gateway: it has no database
 * and reaches the services only through their gRPC ports. Found with {@link
 * java.util.ServiceLoader} like {@link ServiceModule}; {@code all} includes it.
 */
public interface EdgeModule {
  /** The target name, and the key of its settings block at the top of the configuration. */
  String name();

  /**
   * Starts the edge; register servers as managed objects on the environment.
   *
   * @param settings the configuration block named {@link #name()} (an empty object if absent)
   * @param telemetry the process's metrics registry and tracing, for the edge's own
   */
  void start(
      JsonNode settings,
      LibraryConfiguration configuration,
      Environment environment,
      ServiceChannels channels,
      Telemetry telemetry)
      throws Exception;
}
