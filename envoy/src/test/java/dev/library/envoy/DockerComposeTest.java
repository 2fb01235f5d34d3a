package dev.library.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docker-compose.yml, the Dockerfile, .dockerignore and the PostgreSQL init script, checked by
 * structure: there is no Docker engine here, so `docker compose config` cannot run. What is
 * checked is what would make the deployment fail only after `make up`: a service without a
 * health check, a port or variable out of step with config/compose.yml, a descriptor set that
 * Envoy would not find.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerComposeTest {
  private static final String JAVA_HEALTH_URL = "http://127.0.0.1:%s/healthcheck";

  /**
   * Variables config/compose.yml may leave empty in a container: other services' database
   * settings (a container hosts one service), the JWT key file (empty: the key is generated
   * once and kept in the auth database) and the TLS files (empty: plaintext inside the private
   * compose network; docker-compose.tls.yml puts TLS at the edge).
   */
  private static final Pattern DB_VARIABLE =
      Pattern.compile("(AUTH|AUTHOR|CATEGORY|BOOK)_DB_(URL|USER|PASSWORD)");

  private static final Set<String> MAY_STAY_EMPTY =
      Set.of("JWT_SIGNING_KEY_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE", "TLS_TRUST_FILE");

  /** Variables the JVM or the base image read, never config/compose.yml. */
  private static final Set<String> NOT_FOR_THE_CONFIG = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS");

  private final JsonNode compose = RepoFiles.yaml("docker-compose.yml");
  private final JsonNode services = compose.path("services");
  private final String configText = RepoFiles.read("config/compose.yml");
  private final JsonNode config = RepoFiles.yamlText(configText);

  @Test
  void hasPostgresEveryServiceAndEnvoy() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    List<String> expected = new ArrayList<>(RepoFiles.SERVICES);
    expected.addAll(List.of("postgres", "envoy"));
    assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyServiceHasAHealthCheck() {
    services.fields()
        .forEachRemaining(
            e -> {
              JsonNode test = e.getValue().path("healthcheck").path("test");
              assertThat(test.isArray() && test.size() > 0)
                  .as("%s has a healthcheck test", e.getKey())
                  .isTrue();
              assertThat(test.get(0).asText()).isIn("CMD", "CMD-SHELL");
            });
  }

  @Test
  void postgresIsVersion17WithOneDatabasePerServiceFromTheInitScript() throws Exception {
    JsonNode postgres = services.path("postgres");
    assertThat(postgres.path("image").asText()).isEqualTo("postgres:17");
    assertThat(healthCommand(postgres)).contains("pg_isready").contains("-h 127.0.0.1");

    String mount = null;
    for (JsonNode volume : postgres.path("volumes")) {
      if (volume.asText().contains("/docker-entrypoint-initdb.d/")) {
        mount = volume.asText();
      }
    }
    assertThat(mount).as("init script mounted into /docker-entrypoint-initdb.d").isNotNull();
    String script = mount.split(":")[0];
    assertThat(script).isEqualTo("./deploy/postgres-init.sh");
    assertThat(RepoFiles.file(script)).isRegularFile();
    assertThat(Files.isExecutable(RepoFiles.file(script))).as("init script executable").isTrue();
    assertThat(mount).endsWith(".sh:ro");

    String text = RepoFiles.read(script);
    for (String service : RepoFiles.SERVICES) {
      String passwordVariable = service.toUpperCase() + "_DB_PASSWORD";
      assertThat(text)
          .as("init script creates library_%s", service)
          .contains("create_service_database " + service + " \"${" + passwordVariable);

      // The same password expression on both sides, so they cannot drift apart.
      JsonNode serviceEnv = services.path(service).path("environment");
      assertThat(postgres.path("environment").path(passwordVariable).asText())
          .as(passwordVariable + " in postgres")
          .isNotBlank()
          .isEqualTo(serviceEnv.path(passwordVariable).asText());
      assertThat(serviceEnv.path(service.toUpperCase() + "_DB_URL").asText())
          .isEqualTo("jdbc:postgresql://postgres:5432/library_" + service);
      assertThat(serviceEnv.path(service.toUpperCase() + "_DB_USER").asText())
          .isEqualTo("library_" + service);
    }
    assertThat(text).contains("library_${service}");
  }

  @Test
  void javaServicesRunTheServerImageWithTheirTargetAndPublishNoPort() {
    JsonNode grpcPorts = RepoFiles.yaml("docker-compose.grpc-ports.yml").path("services");
    for (String service : RepoFiles.SERVICES) {
      JsonNode node = services.path(service);
      String grpcPort =
          RepoFiles.defaultOf(
              config.path("services").path(service).path("grpcPort"),
              "config/compose.yml services." + service + ".grpcPort");

      assertThat(node.path("build").path("context").asText()).isEqualTo(".");
      assertThat(node.path("build").path("target").asText()).isEqualTo("server");
      assertThat(node.path("environment").path("LIBRARY_TARGET").asText()).isEqualTo(service);
      // A published gRPC port would bypass the edge: only the opt-in file publishes it, and only
      // on the host's loopback.
      assertThat(node.has("ports")).as("%s publishes no port", service).isFalse();
      assertThat(texts(grpcPorts.path(service).path("ports")))
          .as("docker-compose.grpc-ports.yml %s", service)
          .containsExactly("127.0.0.1:" + grpcPort + ":" + grpcPort);
      assertThat(node.path("depends_on").path("postgres").path("condition").asText())
          .isEqualTo("service_healthy");
    }
    List<String> published = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      if (e.getValue().has("ports")) {
        published.add(e.getKey());
      }
    });
    assertThat(published).containsExactly("envoy");
  }

  @Test
  void theTlsEdgeServesMakeCertsFilesInFrontOfEnvoy() throws Exception {
    JsonNode tls = RepoFiles.yaml("docker-compose.tls.yml").path("services").path("envoy-tls");
    io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap bootstrap =
        RepoFiles.parseBootstrap(RepoFiles.read("envoy/envoy-tls.yaml"));

    assertThat(tls.path("build").path("target").asText()).isEqualTo("envoy");
    assertThat(texts(tls.path("command"))).containsExactly("envoy", "-c", "/etc/envoy/envoy-tls.yaml");
    assertThat(texts(tls.path("volumes")))
        .contains("./envoy/envoy-tls.yaml:/etc/envoy/envoy-tls.yaml:ro", "./certs:/etc/envoy/certs:ro");
    int port = bootstrap.getStaticResources().getListeners(0).getAddress().getSocketAddress().getPortValue();
    assertThat(texts(tls.path("ports"))).containsExactly(port + ":" + port);
    assertThat(tls.path("depends_on").path("envoy").path("condition").asText())
        .isEqualTo("service_healthy");

    // The certificate files Envoy loads are the ones `make certs` writes into ./certs.
    var context =
        bootstrap.getStaticResources().getListeners(0).getFilterChains(0).getTransportSocket()
            .getTypedConfig()
            .unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.class)
            .getCommonTlsContext()
            .getTlsCertificates(0);
    String script = RepoFiles.read("deploy/certs.sh");
    for (String file :
        List.of(context.getCertificateChain().getFilename(), context.getPrivateKey().getFilename())) {
      assertThat(file).startsWith("/etc/envoy/certs/");
      assertThat(script).contains("$dir/" + file.substring("/etc/envoy/certs/".length()));
    }
    assertThat(RepoFiles.read("Makefile")).contains("sh deploy/certs.sh certs");

    // It forwards to the plaintext edge's listener.
    var endpoint =
        bootstrap.getStaticResources().getClusters(0).getLoadAssignment().getEndpoints(0)
            .getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    assertThat(endpoint.getAddress()).isEqualTo("envoy");
    assertThat(endpoint.getPortValue())
        .isEqualTo(
            RepoFiles.envoyBootstrap().getStaticResources().getListeners(0).getAddress()
                .getSocketAddress().getPortValue());
    int adminPort = bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue();
    assertThat(healthCommand(tls)).contains("/dev/tcp/127.0.0.1/" + adminPort + " ");
  }

  @Test
  void javaHealthChecksCallTheAdminPortThatIsBoundForThem() {
    String adminPort =
        RepoFiles.defaultOf(
            config.path("server").path("adminConnectors").path(0).path("port"),
            "config/compose.yml server.adminConnectors[0].port");
    assertThat(config.path("server").path("adminConnectors").path(0).path("bindHost").asText())
        .isEqualTo("${ADMIN_BIND_HOST:-127.0.0.1}");

    for (String service : RepoFiles.SERVICES) {
      JsonNode node = services.path(service);
      assertThat(texts(node.path("healthcheck").path("test")))
          .as(service)
          .startsWith("CMD", "curl")
          .contains(String.format(JAVA_HEALTH_URL, adminPort));
      // The health check runs in the container: the admin port needs no other interface.
      assertThat(node.path("environment").path("ADMIN_BIND_HOST").asText()).isEqualTo("127.0.0.1");
    }
    // The runtime image must have curl: the Dockerfile checks for it at build time.
    assertThat(stage("server")).contains("command -v curl");
  }

  @Test
  void everyVariableTheConfigNeedsIsProvidedAndEveryProvidedOneIsUsed() {
    Map<String, RepoFiles.Variable> referenced = new LinkedHashMap<>();
    RepoFiles.variables(configText).forEach(v -> referenced.put(v.name(), v));

    for (String service : RepoFiles.SERVICES) {
      JsonNode env = services.path(service).path("environment");
      assertThat(env.isObject()).as("%s environment is a map", service).isTrue();
      Set<String> provided = new TreeSet<>();
      env.fieldNames().forEachRemaining(provided::add);

      // No dead or misspelt variable: each one set is read by config/compose.yml.
      for (String name : provided) {
        if (!NOT_FOR_THE_CONFIG.contains(name)) {
          assertThat(referenced).as("%s sets %s", service, name).containsKey(name);
        }
      }
      // Each variable the config leaves empty by default is set, unless empty is right here.
      for (RepoFiles.Variable variable : referenced.values()) {
        boolean emptyByDefault = variable.defaultValue().map(String::isEmpty).orElse(true);
        Matcher db = DB_VARIABLE.matcher(variable.name());
        boolean otherServicesDatabase =
            db.matches() && !db.group(1).equalsIgnoreCase(service);
        if (emptyByDefault
            && !otherServicesDatabase
            && !MAY_STAY_EMPTY.contains(variable.name())
            // The auth service's own settings: the other services do not read them.
            && !((variable.name().startsWith("ADMIN_")
                    || variable.name().startsWith("KEY_ENCRYPTION_"))
                && !service.equals("auth"))) {
          assertThat(provided).as("%s must set %s", service, variable.name())
              .contains(variable.name());
        }
      }
      assertThat(provided).contains("LIBRARY_TARGET", "SERVER_KEY", "ADMIN_BIND_HOST");
    }
    assertThat(services.path("auth").path("environment").path("ADMIN_PASSWORD").asText())
        .isNotBlank();
  }

  /** Issue 11: no default secrets; compose refuses to start until .env (make up) sets them. */
  @Test
  void everySecretIsRequiredWithoutADefault() {
    List<String> checked = new ArrayList<>();
    services.fields().forEachRemaining(
        service ->
            service.getValue().path("environment").fields().forEachRemaining(
                entry -> {
                  String name = entry.getKey();
                  if (name.endsWith("PASSWORD") || name.equals("SERVER_KEY")) {
                    Optional<RepoFiles.Variable> variable =
                        RepoFiles.variable(entry.getValue().asText());
                    assertThat(variable)
                        .as("%s %s is a ${%s:?...} reference", service.getKey(), name, name)
                        .hasValueSatisfying(v -> assertThat(v.required()).isTrue());
                    checked.add(service.getKey() + "." + name);
                  }
                }));
    assertThat(checked)
        .contains("postgres.POSTGRES_PASSWORD", "auth.ADMIN_PASSWORD", "auth.AUTH_DB_PASSWORD");
  }

  @Test
  void serverKeyIsRequiredAndTheSameForEveryService() {
    Set<String> expressions = new TreeSet<>();
    for (String service : RepoFiles.SERVICES) {
      String value = services.path(service).path("environment").path("SERVER_KEY").asText();
      Optional<RepoFiles.Variable> variable = RepoFiles.variable(value);
      assertThat(variable).as("%s SERVER_KEY is a ${SERVER_KEY:?...} reference", service)
          .hasValueSatisfying(v -> {
            assertThat(v.name()).isEqualTo("SERVER_KEY");
            assertThat(v.required()).isTrue();
          });
      expressions.add(value);
    }
    assertThat(expressions).hasSize(1);
    assertThat(configText).contains("serverKey: ${SERVER_KEY");
  }

  @Test
  void jwksUrlPointsAtTheAuthServicesHttpPort() {
    String port =
        RepoFiles.defaultOf(
            config.path("server").path("applicationConnectors").path(0).path("port"),
            "config/compose.yml server.applicationConnectors[0].port");
    assertThat(RepoFiles.defaultOf(config.path("security").path("jwksUrl"), "jwksUrl"))
        .isEqualTo("http://auth:" + port + "/.well-known/jwks.json");
    assertThat(RepoFiles.defaultOf(config.path("target"), "target")).isEqualTo("all");
    assertThat(config.path("target").asText()).startsWith("${LIBRARY_TARGET");
  }

  @Test
  void envoyRunsThePinnedImageWithItsConfigAndTheDescriptorSet() {
    JsonNode envoy = services.path("envoy");
    assertThat(envoy.path("build").path("context").asText()).isEqualTo(".");
    assertThat(envoy.path("build").path("target").asText()).isEqualTo("envoy");
    assertThat(texts(envoy.path("volumes")))
        .contains("./envoy/envoy.yaml:/etc/envoy/envoy.yaml:ro");
    assertThat(texts(envoy.path("ports"))).contains("8080:8080");
    for (String service : RepoFiles.SERVICES) {
      assertThat(envoy.path("depends_on").path(service).path("condition").asText())
          .as("envoy waits for %s", service)
          .isEqualTo("service_healthy");
    }
    // Its health check reaches the admin interface at the address envoy.yaml binds it to.
    int adminPort =
        RepoFiles.envoyBootstrap().getAdmin().getAddress().getSocketAddress().getPortValue();
    assertThat(healthCommand(envoy)).contains("/dev/tcp/127.0.0.1/" + adminPort + " ");

    String stage = stage("envoy");
    Matcher from = Pattern.compile("(?m)^FROM (\\S+) AS envoy$").matcher(RepoFiles.read("Dockerfile"));
    assertThat(from.find()).isTrue();
    assertThat(from.group(1)).matches("envoyproxy/envoy:v\\d+\\.\\d+\\.\\d+");
    String descriptorPath = RepoFiles.transcoder(RepoFiles.envoyBootstrap()).getProtoDescriptor();
    assertThat(stage)
        .contains(
            "COPY --from=build /src/proto/target/classes/library/descriptor.pb " + descriptorPath)
        .contains("COPY envoy/envoy.yaml /etc/envoy/envoy.yaml");
  }

  @Test
  void dockerfileBuildsWithTheWrapperAndRunsTheComposeConfigAsNonRoot() {
    String dockerfile = RepoFiles.read("Dockerfile");
    assertThat(dockerfile).containsPattern("(?m)^FROM \\S+ AS build$");
    assertThat(stage("build")).contains("./mvnw -B -q install -DskipTests");
    String server = stage("server");
    assertThat(server)
        .contains("FROM eclipse-temurin:17-jre")
        .contains("COPY --from=build /src/services/server/target/library-server.jar")
        .contains("COPY config/compose.yml /app/config/compose.yml")
        .contains("\"server\", \"/app/config/compose.yml\"")
        .containsPattern("(?m)^USER (?!root)\\S+$");
    assertThat(server).containsPattern("(?m)^EXPOSE .*\\b50051\\b.*\\b50054\\b.*\\b8081\\b.*\\b8082\\b");
    assertThat(dockerfile.strip()).as("the server stage is the default (last) one")
        .endsWith(server.strip());
    assertThat(RepoFiles.read(".dockerignore")).contains("**/target/", "data/", ".git");
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String healthCommand(JsonNode service) {
    return String.join(" ", texts(service.path("healthcheck").path("test")));
  }

  /** The text of one Dockerfile stage, from its FROM line to the next FROM. */
  private static String stage(String name) {
    String dockerfile = RepoFiles.read("Dockerfile");
    Matcher m =
        Pattern.compile("(?ms)^FROM \\S+ AS " + Pattern.quote(name) + "$.*?(?=^FROM |\\z)")
            .matcher(dockerfile);
    assertThat(m.find()).as("Dockerfile stage %s", name).isTrue();
    return m.group();
  }
}
