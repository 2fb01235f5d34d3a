package dev.library.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.library.runtime.config.InvalidSettingsException;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.grpc.ServiceChannels;
import dev.library.runtime.module.EdgeModule;
import dev.library.runtime.observe.Telemetry;
import dev.library.runtime.security.ServerKey;
import dev.library.testing.Rest;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.JettyManaged;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The gateway as the runtime starts it: found by ServiceLoader, bound from its settings. */
class GatewayModuleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void isFoundAsTheGatewayEdgeModule() {
    assertThat(ServiceLoader.load(EdgeModule.class).stream().map(p -> p.get().name()))
        .contains("gateway");
  }

  @Test
  void bindsItsSettings() throws Exception {
    GatewaySettings settings =
        GatewaySettings.from(
            JSON.readTree(
                """
                {"port": 0, "requestTimeout": "5s", "useServiceAddresses": false,
                 "clusterAddresses": {"auth": "localhost:1"}, "envoyConfig": "../envoy/envoy.yaml"}
                """));

    assertThat(settings.getPort()).hasValue(0);
    assertThat(settings.getRequestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.isUseServiceAddresses()).isFalse();
    assertThat(settings.getClusterAddresses()).containsEntry("auth", "localhost:1");
    assertThat(settings.getEnvoyConfig()).hasValue("../envoy/envoy.yaml");

    GatewaySettings defaults = GatewaySettings.from(JSON.createObjectNode());
    assertThat(defaults.getPort()).isEmpty();
    assertThat(defaults.getRequestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.isUseServiceAddresses()).isTrue();
    assertThat(defaults.getEnvoyConfig()).isEmpty();
  }

  @Test
  void aMisspeltSettingIsAnError() throws Exception {
    assertThatThrownBy(() -> GatewaySettings.from(JSON.readTree("{\"prot\": 8080}")))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("unknown setting edges.gateway.prot; known here: [")
        .hasMessageContaining("requestTimeout")
        .hasMessageEndingWith("did you mean port?");
  }

  @Test
  void aServiceClusterGoesWhereThisProcessReachesTheService() throws Exception {
    LibraryConfiguration configuration = new LibraryConfiguration();
    configuration.service("book").setAddress("books.internal:6000");
    configuration.service("auth").setGrpcPort(7000);
    ServiceChannels channels =
        new ServiceChannels(configuration, ServerKey.of(""), name -> 50_000);
    EnvoyConfig envoy = EnvoyConfigReader.readResource(GatewaySettings.PACKAGED_ENVOY_CONFIG);

    var addresses =
        GatewayModule.clusterAddresses(
            new GatewaySettings().clusterAddresses(Map.of("author", "override:1")),
            envoy,
            channels);
    assertThat(addresses.apply("book")).isEqualTo("books.internal:6000");
    assertThat(addresses.apply("auth")).isEqualTo("localhost:7000");
    assertThat(addresses.apply("author")).isEqualTo("override:1");

    var envoyOnly =
        GatewayModule.clusterAddresses(
            new GatewaySettings().useServiceAddresses(false), envoy, channels);
    assertThat(envoyOnly.apply("book")).isEqualTo("book:50054");
  }

  @Test
  void startsAndStopsWithTheApplication() throws Exception {
    Environment environment = new Environment("gateway-test");
    JsonNode settings =
        JSON.readTree("{\"port\": 0, \"clusterAddresses\": {\"auth\": \"localhost:1\"}}");
    new GatewayModule()
        .start(
            settings, new LibraryConfiguration(), environment, null, Telemetry.metricsOnly());

    JettyManaged lifecycle =
        environment.lifecycle().getManagedObjects().stream()
            .filter(JettyManaged.class::isInstance)
            .map(JettyManaged.class::cast)
            .filter(m -> m.getManaged() instanceof GatewayServer)
            .findFirst()
            .orElseThrow();
    GatewayServer server = (GatewayServer) lifecycle.getManaged();
    lifecycle.start();
    try {
      assertThat(environment.healthChecks().runHealthCheck("gateway").isHealthy()).isTrue();
      Rest.Reply response = new Rest(server.port()).post("/api/v1/auth/login").body("{}").send();
      // Nothing listens on localhost:1: the route exists and the upstream is down.
      assertThat(response.status()).isEqualTo(503);
    } finally {
      lifecycle.stop();
    }
    assertThat(environment.healthChecks().runHealthCheck("gateway").isHealthy()).isFalse();
  }
}
