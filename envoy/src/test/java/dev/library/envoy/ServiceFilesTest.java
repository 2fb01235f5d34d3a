package dev.library.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files that must name each service, against the services of the descriptor set (the same
 * set the modules' ServiceLoader finds: services/server's ServiceDiscoveryTest checks that). A
 * service added to the protos and the modules fails here until every file below knows it; the
 * list of these files is in docs/ARCHITECTURE.md ("Adding a service module").
 */
class ServiceFilesTest {
  private static final List<String> SERVICES = RepoFiles.SERVICES;

  @Test
  void theDescriptorSetHasTheServicesOfTheOriginalApi() {
    assertThat(SERVICES).contains("auth", "author", "category", "book");
  }

  @Test
  void everyConfigurationNamesEveryServiceAndNothingElse() {
    for (String file :
        List.of("config/all.yml", "config/compose.yml", "config/targets/gateway.yml")) {
      assertThat(keys(RepoFiles.yaml(file).path("services")))
          .as(file + " services:")
          .containsExactlyInAnyOrderElementsOf(SERVICES);
    }
  }

  @Test
  void everyServiceHasASampleTargetConfigurationHostingIt() throws IOException {
    List<String> samples;
    try (Stream<Path> files = Files.list(RepoFiles.file("config/targets"))) {
      samples =
          files.map(p -> p.getFileName().toString().replaceFirst("\\.yml$", "")).toList();
    }
    List<String> expected = new ArrayList<>(SERVICES);
    expected.add("gateway");
    assertThat(samples).containsExactlyInAnyOrderElementsOf(expected);
    for (String service : SERVICES) {
      JsonNode sample = RepoFiles.yaml("config/targets/" + service + ".yml");
      assertThat(sample.path("target").asText()).as(service + ".yml target").isEqualTo(service);
    }
  }

  @Test
  void composeRunsEveryServiceAndEnvoyRoutesToEachOfThem() {
    JsonNode compose = RepoFiles.yaml("docker-compose.yml").path("services");
    List<String> clusters =
        RepoFiles.envoyBootstrap().getStaticResources().getClustersList().stream()
            .map(c -> c.getName())
            .toList();
    for (String service : SERVICES) {
      assertThat(compose.has(service)).as("docker-compose.yml service " + service).isTrue();
      assertThat(clusters).as("envoy.yaml clusters").contains(service);
    }
  }

  @Test
  void thePostgresInitScriptCreatesADatabaseForEveryServiceAndNoOther() {
    Matcher created =
        Pattern.compile("(?m)^create_service_database (\\w+) \"\\$\\{(\\w+)_DB_PASSWORD")
            .matcher(RepoFiles.read("deploy/postgres-init.sh"));
    List<String> databases = new ArrayList<>();
    while (created.find()) {
      databases.add(created.group(1));
      assertThat(created.group(2)).isEqualTo(created.group(1).toUpperCase(Locale.ROOT));
    }
    assertThat(databases).containsExactlyInAnyOrderElementsOf(SERVICES);
  }

  @Test
  void theImageExposesEveryServicesPort() {
    // Every EXPOSE of the file: the envoy stage has its own.
    Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(RepoFiles.read("Dockerfile"));
    List<String> exposed = new ArrayList<>();
    while (expose.find()) {
      exposed.addAll(List.of(expose.group(1).trim().split("\\s+")));
    }
    JsonNode all = RepoFiles.yaml("config/all.yml").path("services");
    for (String service : SERVICES) {
      String port =
          RepoFiles.defaultOf(all.path(service).path("grpcPort"), "config/all.yml " + service);
      assertThat(exposed).as("Dockerfile EXPOSE, " + service).contains(port);
    }
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
