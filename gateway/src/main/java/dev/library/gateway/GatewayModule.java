package dev.library.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.grpc.ServiceChannels;
import dev.library.runtime.module.EdgeModule;
import dev.library.runtime.observe.Telemetry;
import io.dropwizard.core.setup.Environment;
import io.grpc.InsecureChannelCredentials;
import java.nio.file.Path;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code gateway} target: Envoy's REST edge for places without Envoy, configured from Envoy's
 * own file, and started and stopped with the application.
 */
public final class GatewayModule implements EdgeModule {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayModule.class);

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public void start(
      JsonNode settings,
      LibraryConfiguration configuration,
      Environment environment,
      ServiceChannels channels,
      Telemetry telemetry) {
    GatewaySettings gateway = GatewaySettings.from(settings);
    EnvoyConfig envoy = envoyConfig(gateway);
    GatewayServer server =
        new GatewayServer(
            envoy,
            gateway,
            ProtoDescriptors.load(),
            clusterAddresses(gateway, envoy, channels),
            new DocsRoutes(),
            java.time.Duration.ofMillis(configuration.getGrpcShutdownGracePeriod().toMilliseconds()),
            telemetry,
            channels != null
                ? channels.credentials()
                : InsecureChannelCredentials.create());
    environment.lifecycle().manage(server);
    environment.healthChecks().register("gateway", new GatewayHealthCheck(server));
  }

  static EnvoyConfig envoyConfig(GatewaySettings settings) {
    return settings
        .getEnvoyConfig()
        .map(file -> EnvoyConfigReader.read(Path.of(file)))
        .orElseGet(() -> EnvoyConfigReader.readResource(GatewaySettings.PACKAGED_ENVOY_CONFIG));
  }

  /**
   * Where each cluster is, first match wins: the gateway's own clusterAddresses; for a service's
   * cluster, where this process reaches that service; else the endpoint in Envoy's file (a
   * docker-compose host name).
   */
  static Function<String, String> clusterAddresses(
      GatewaySettings settings, EnvoyConfig envoy, ServiceChannels channels) {
    return cluster -> {
      String configured = settings.getClusterAddresses().get(cluster);
      if (configured != null && !configured.isBlank()) {
        return configured;
      }
      if (settings.isUseServiceAddresses() && channels != null) {
        try {
          return channels.address(cluster);
        } catch (IllegalArgumentException unknownService) {
          LOG.debug("{} is not a service this process knows: using Envoy's endpoint", cluster);
        }
      }
      EnvoyConfig.Cluster fromEnvoy = envoy.clusters().get(cluster);
      if (fromEnvoy == null) {
        throw new IllegalArgumentException("Envoy's configuration has no cluster " + cluster);
      }
      return fromEnvoy.address();
    };
  }
}
