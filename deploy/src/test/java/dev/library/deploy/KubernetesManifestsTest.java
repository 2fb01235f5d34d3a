package dev.library.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.library.runtime.grpc.GrpcServer;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * deploy/kubernetes rendered (base and overlays) and checked without a cluster:
 *
 * <ul>
 *   <li>every object against the Kubernetes API's own models (io.kubernetes:client-java-api,
 *       generated from the Kubernetes OpenAPI schema): an unknown or misspelt field, a missing
 *       required field or a value of the wrong type is an error, as the API server's strict field
 *       validation would make it;
 *   <li>against what the application reads: gRPC and HTTP ports and the probes' health service
 *       names, every environment variable against config/compose.yml (the file the image runs),
 *       every Secret and key against the README's commands that create them, service addresses
 *       (config and Envoy's clusters) against the Services, and the NetworkPolicies against the
 *       calls between services found in the code;
 *   <li>the operational shape: an HPA and a PDB per Deployment, a grace period longer than the
 *       drain.
 * </ul>
 */
class KubernetesManifestsTest {
  private static final Path ROOT = repositoryRoot();
  private static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
  private static final List<String> SERVICES = List.of("auth", "author", "category", "book");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** `${NAME}`, `${NAME:-default}`, as Dropwizard's substitution reads them. */
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?]([^}]*))?}");
  /** The Kubernetes API model of each kind the manifests may use. */
  private static final Map<String, Class<?>> MODELS =
      Map.of(
          "apps/v1 Deployment", V1Deployment.class,
          "v1 Service", V1Service.class,
          "v1 Namespace", V1Namespace.class,
          "autoscaling/v2 HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
          "policy/v1 PodDisruptionBudget", V1PodDisruptionBudget.class,
          "networking.k8s.io/v1 NetworkPolicy", V1NetworkPolicy.class);

  private final List<ObjectNode> base = Kustomize.render(KUBERNETES.resolve("base"));
  private final JsonNode config = yaml(ROOT.resolve("config/compose.yml"));
  private final String configText = read(ROOT.resolve("config/compose.yml"));

  static Stream<Path> kustomizations() throws IOException {
    try (Stream<Path> files = Files.walk(KUBERNETES)) {
      return files
          .filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
          .map(Path::getParent)
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void everyObjectOfEveryOverlayIsValidForTheKubernetesApi() throws Exception {
    List<Path> directories = kustomizations().toList();
    assertThat(directories).contains(KUBERNETES.resolve("base"), KUBERNETES.resolve("overlays/production"));
    for (Path directory : directories) {
      List<ObjectNode> objects = Kustomize.render(directory);
      assertThat(objects).as(directory.toString()).isNotEmpty();
      Set<String> names = new TreeSet<>();
      for (ObjectNode object : objects) {
        validate(object);
        assertThat(names.add(key(object))).as("%s: %s twice", directory, key(object)).isTrue();
      }
    }
  }

  /** The validation must bite: each broken copy of a real object is rejected. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "misspelt field        | /spec/template/spec | terminationGracePeriodSeconds | terminationGracePeriodSecond",
        "misspelt probe field  | /spec/template/spec/containers/0/readinessProbe | periodSeconds | periodSecond",
        "misspelt grpc action  | /spec/template/spec/containers/0/readinessProbe/grpc | port | prot",
        "missing required name | /spec/template/spec/containers/0 | name | ",
      })
  void aBrokenDeploymentIsRejected(String what, String parent, String field, String renamed) {
    ObjectNode deployment = object("Deployment", "book").deepCopy();
    ObjectNode node = (ObjectNode) deployment.at(parent);
    assertThat(node.has(field)).as("the mutation applies to the real object").isTrue();
    JsonNode value = node.remove(field);
    if (renamed != null && !renamed.isBlank()) {
      node.set(renamed, value);
    }
    // The message names the field: the object was refused for this mutation, not another reason.
    assertThatThrownBy(() -> validate(deployment))
        .as(what)
        .hasMessageContaining("`" + (renamed == null || renamed.isBlank() ? field : renamed) + "`");
  }

  @Test
  void aValueOfTheWrongTypeIsRejected() {
    ObjectNode deployment = object("Deployment", "book").deepCopy();
    ((ObjectNode) deployment.at("/spec")).put("replicas", "two");
    assertThatThrownBy(() -> validate(deployment)).isInstanceOf(Exception.class);
  }

  @Test
  void theRendererAgreesWithKubectlKustomizeWhereKubectlIsInstalled() throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    if (kubectl.isEmpty()) {
      System.out.println("kubectl is not installed: the rendering is not compared with kubectl kustomize");
      return;
    }
    for (Path directory : kustomizations().toList()) {
      Process process =
          new ProcessBuilder(kubectl.get().toString(), "kustomize", directory.toString())
              .redirectErrorStream(false)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("kubectl kustomize %s: %s", directory, errors).isZero();
      Path rendered = Files.createTempFile("kustomize-", ".yaml");
      Files.writeString(rendered, output);
      Map<String, JsonNode> theirs = byKey(Kustomize.readAll(rendered));
      Map<String, JsonNode> ours = byKey(Kustomize.render(directory));
      assertThat(ours.keySet()).as(directory.toString()).isEqualTo(theirs.keySet());
      for (String key : ours.keySet()) {
        assertThat(normalized(ours.get(key))).as("%s %s", directory, key).isEqualTo(normalized(theirs.get(key)));
      }
    }
  }

  @Test
  void serviceDeploymentsListenAndAreProbedWhereTheApplicationServes() {
    String httpPort = defaultOf(config.at("/server/applicationConnectors/0/port"));
    for (String service : SERVICES) {
      ObjectNode deployment = object("Deployment", service);
      JsonNode container = container(deployment);
      int grpcPort = Integer.parseInt(defaultOf(config.at("/services/" + service + "/grpcPort")));

      assertThat(port(container, "grpc")).as(service).isEqualTo(grpcPort);
      assertThat(container.path("image").asText()).isEqualTo("library-server");
      assertThat(texts(container.path("args"))).containsExactly("server", "/app/config/compose.yml");
      assertThat(read(ROOT.resolve("Dockerfile"))).contains("COPY config/compose.yml /app/config/compose.yml");
      assertThat(env(container)).containsEntry("LIBRARY_TARGET", service);

      // Readiness: the whole server (""), which reports NOT_SERVING without its database and
      // while draining. Liveness and startup: the name that only a stopping process turns off.
      JsonNode readiness = container.path("readinessProbe").path("grpc");
      assertThat(readiness.path("port").asInt()).isEqualTo(grpcPort);
      assertThat(readiness.path("service").asText("")).isEmpty();
      for (String probe : List.of("livenessProbe", "startupProbe")) {
        JsonNode grpc = container.path(probe).path("grpc");
        assertThat(grpc.path("port").asInt()).as("%s %s", service, probe).isEqualTo(grpcPort);
        assertThat(grpc.path("service").asText()).as("%s %s", service, probe).isEqualTo(GrpcServer.LIVENESS);
      }

      // The Service: headless, its grpc port the container's, its name the one the other
      // services and Envoy use.
      ObjectNode svc = object("Service", service);
      assertThat(svc.at("/spec/clusterIP").asText()).isEqualTo("None");
      assertThat(servicePort(svc, "grpc")).isEqualTo(grpcPort);
      assertThat(selects(svc.at("/spec/selector"), deployment)).isTrue();
      assertThat(defaultOf(config.at("/services/" + service + "/address"))).isEqualTo(service + ":" + grpcPort);
    }
    ObjectNode auth = object("Deployment", "auth");
    assertThat(port(container(auth), "http")).isEqualTo(Integer.parseInt(httpPort));
    assertThat(servicePort(object("Service", "auth"), "http")).isEqualTo(Integer.parseInt(httpPort));
    assertThat(defaultOf(config.at("/security/jwksUrl")))
        .isEqualTo("http://auth:" + httpPort + "/.well-known/jwks.json");
  }

  @Test
  void envoysClustersNameTheServices() {
    JsonNode envoy = yaml(ROOT.resolve("envoy/envoy.yaml"));
    Map<String, Integer> endpoints = new TreeMap<>();
    for (JsonNode cluster : envoy.at("/static_resources/clusters")) {
      if (cluster.path("name").asText().equals("otel_collector")) {
        // The trace collector is the operator's (README, Operations), not one of these objects.
        continue;
      }
      for (JsonNode group : cluster.at("/load_assignment/endpoints")) {
        for (JsonNode endpoint : group.path("lb_endpoints")) {
          JsonNode address = endpoint.at("/endpoint/address/socket_address");
          endpoints.put(address.path("address").asText(), address.path("port_value").asInt());
        }
      }
      // Several replicas behind one name: Envoy must resolve all of them.
      assertThat(cluster.path("type").asText()).as(cluster.path("name").asText()).isEqualTo("STRICT_DNS");
    }
    assertThat(endpoints).isNotEmpty();
    endpoints.forEach(
        (host, port) -> {
          ObjectNode svc = object("Service", host);
          assertThat(svc.at("/spec/ports").findValuesAsText("port")).as(host).contains("" + port);
        });
    JsonNode container = container(object("Deployment", "envoy"));
    int listener = envoy.at("/static_resources/listeners/0/address/socket_address/port_value").asInt();
    assertThat(port(container, "http")).isEqualTo(listener);
    assertThat(container.path("image").asText()).isEqualTo("library-envoy");
    assertThat(texts(container.path("args"))).containsExactly("-c", "/etc/envoy/envoy.yaml");
    assertThat(read(ROOT.resolve("Dockerfile"))).contains("COPY envoy/envoy.yaml /etc/envoy/envoy.yaml");
  }

  @Test
  void everyVariableIsOneTheConfigReadsAndEveryRequiredOneIsSet() {
    Map<String, Optional<String>> referenced = new HashMap<>();
    Matcher matcher = VARIABLE.matcher(configText);
    while (matcher.find()) {
      referenced.put(matcher.group(1), Optional.ofNullable(matcher.group(2)));
    }
    for (String service : SERVICES) {
      Map<String, JsonNode> env = envEntries(container(object("Deployment", service)));
      assertThat(referenced).as("config/compose.yml reads").containsKeys(env.keySet().toArray(String[]::new));
      String prefix = service.toUpperCase() + "_DB_";
      assertThat(env).as(service).containsKeys("SERVER_KEY", prefix + "URL", prefix + "USER", prefix + "PASSWORD");
      // Secrets come from Secrets, never from a literal in the manifest.
      for (String secret : List.of("SERVER_KEY", prefix + "URL", prefix + "PASSWORD")) {
        assertThat(env.get(secret).at("/valueFrom/secretKeyRef/name").asText()).as(secret).isNotBlank();
        assertThat(env.get(secret).at("/valueFrom/secretKeyRef/optional").asBoolean(false)).isFalse();
      }
    }
    Map<String, JsonNode> auth = envEntries(container(object("Deployment", "auth")));
    assertThat(auth).containsKey("JWT_SIGNING_KEY_FILE");
  }

  @Test
  void secretsAndTheirKeysAreTheOnesTheReadmeTellsHowToCreate() {
    Map<String, Set<String>> documented = readmeSecrets();
    Map<String, Set<String>> used = new TreeMap<>();
    for (ObjectNode deployment : objects("Deployment")) {
      for (JsonNode entry : container(deployment).path("env")) {
        JsonNode ref = entry.at("/valueFrom/secretKeyRef");
        if (!ref.isMissingNode()) {
          used.computeIfAbsent(ref.path("name").asText(), n -> new TreeSet<>()).add(ref.path("key").asText());
        }
      }
      for (JsonNode volume : deployment.at("/spec/template/spec/volumes")) {
        if (volume.has("secret")) {
          used.computeIfAbsent(volume.at("/secret/secretName").asText(), n -> new TreeSet<>());
        }
      }
    }
    assertThat(used).isNotEmpty();
    for (var secret : used.entrySet()) {
      assertThat(documented).as("README creates Secret %s", secret.getKey()).containsKey(secret.getKey());
      assertThat(documented.get(secret.getKey())).as(secret.getKey()).containsAll(secret.getValue());
    }
    assertThat(used.keySet()).containsAll(documented.keySet());

    // The signing key file the auth service reads is the documented key of the mounted Secret.
    ObjectNode auth = object("Deployment", "auth");
    String file = env(container(auth)).get("JWT_SIGNING_KEY_FILE");
    JsonNode volume = null;
    for (JsonNode v : auth.at("/spec/template/spec/volumes")) {
      if (v.at("/secret/secretName").asText().equals("library-jwt-signing-key")) {
        volume = v;
      }
    }
    assertThat(volume).as("library-jwt-signing-key mounted").isNotNull();
    String mountPath = null;
    for (JsonNode mount : container(auth).path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume.path("name").asText())) {
        mountPath = mount.path("mountPath").asText();
      }
    }
    assertThat(mountPath).isNotNull();
    String key = file.substring(file.lastIndexOf('/') + 1);
    assertThat(file).isEqualTo(mountPath + "/" + key);
    assertThat(documented.get("library-jwt-signing-key")).contains(key);
  }

  @Test
  void everyDeploymentScalesAndSurvivesDisruptionWithNothingPinnedToOneReplica() {
    for (ObjectNode deployment : objects("Deployment")) {
      String name = deployment.at("/metadata/name").asText();
      ObjectNode hpa = object("HorizontalPodAutoscaler", name);
      assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
      assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(name);
      assertThat(hpa.at("/spec/minReplicas").asInt()).as(name).isGreaterThanOrEqualTo(2);
      assertThat(deployment.at("/spec/replicas").asInt()).as(name).isGreaterThanOrEqualTo(2);
      ObjectNode pdb = object("PodDisruptionBudget", name);
      assertThat(selects(pdb.at("/spec/selector/matchLabels"), deployment)).as(name).isTrue();
      assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
      JsonNode container = container(deployment);
      assertThat(container.at("/resources/requests/cpu").asText()).as(name).isNotBlank();
      assertThat(container.at("/resources/requests/memory").asText()).as(name).isNotBlank();
      assertThat(container.at("/resources/limits/memory").asText()).as(name).isNotBlank();
    }
  }

  @Test
  void theGracePeriodCoversThePauseAndTheDrain() {
    for (String service : SERVICES) {
      ObjectNode deployment = object("Deployment", service);
      JsonNode container = container(deployment);
      long pause = container.at("/lifecycle/preStop/sleep/seconds").asLong();
      Duration drain =
          parse(Optional.ofNullable(env(container).get("GRPC_SHUTDOWN_GRACE"))
              .orElse(defaultOf(config.path("grpcShutdownGracePeriod"))));
      long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
      assertThat(pause).as(service).isPositive();
      // Five seconds at least for the pools, PostgreSQL connections and the JVM's exit.
      assertThat(grace).as(service).isGreaterThanOrEqualTo(pause + drain.toSeconds() + 5);
    }
  }

  @Test
  void onlyEnvoyIsReachableFromOutsideAndOnlyCallersReachAService() throws IOException {
    List<ObjectNode> policies = objects("NetworkPolicy");
    ObjectNode deny = object("NetworkPolicy", "default-deny-ingress");
    assertThat(deny.at("/spec/podSelector").isEmpty()).isTrue();
    assertThat(texts(deny.at("/spec/policyTypes"))).containsExactly("Ingress");
    assertThat(deny.at("/spec/ingress").isMissingNode()).isTrue();

    Map<String, Set<String>> callers = callersInCode();
    assertThat(callers.get("author")).as("found in the code").contains("book");
    for (String service : SERVICES) {
      int grpcPort = Integer.parseInt(defaultOf(config.at("/services/" + service + "/grpcPort")));
      Set<String> expected = new TreeSet<>(callers.getOrDefault(service, Set.of()));
      expected.add("envoy");
      assertThat(allowedSources(policies, service, grpcPort)).as("who may call %s", service).isEqualTo(expected);
    }
    // Every service (auth included: JWKS_URL names the Service, which may lead to another
    // replica) fetches the JWKS from auth's HTTP port; Envoy serves the docs from it.
    int httpPort = Integer.parseInt(defaultOf(config.at("/server/applicationConnectors/0/port")));
    Set<String> everyone = new TreeSet<>(SERVICES);
    everyone.add("envoy");
    assertThat(allowedSources(policies, "auth", httpPort)).isEqualTo(everyone);
    // Envoy: from anywhere, on its listener only.
    ObjectNode envoy = object("NetworkPolicy", "envoy");
    assertThat(envoy.at("/spec/ingress/0/from").isMissingNode()).isTrue();
    assertThat(envoy.at("/spec/ingress/0/ports").findValuesAsText("port")).containsExactly("8080");
  }

  // --- helpers ---

  private static void validate(ObjectNode object) throws Exception {
    String key = object.path("apiVersion").asText() + " " + object.path("kind").asText();
    Class<?> model = MODELS.get(key);
    assertThat(model).as("a known kind: %s", key).isNotNull();
    String json = JSON.writeValueAsString(object);
    try {
      model.getMethod("fromJson", String.class).invoke(null, json);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new IllegalArgumentException(key(object) + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private Map<String, Set<String>> callersInCode() throws IOException {
    Pattern call = Pattern.compile("(?:downstream|serviceChannel)\\(\"(\\w+)\"\\)");
    Map<String, Set<String>> callers = new TreeMap<>();
    for (String caller : SERVICES) {
      try (Stream<Path> files = Files.walk(ROOT.resolve("services/" + caller + "/src/main/java"))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = call.matcher(read(file));
          while (m.find()) {
            callers.computeIfAbsent(m.group(1), c -> new TreeSet<>()).add(caller);
          }
        }
      }
    }
    return callers;
  }

  /** The app names whose pods the policies let reach {@code service}'s pods on {@code port}. */
  private static Set<String> allowedSources(List<ObjectNode> policies, String service, int port) {
    Set<String> sources = new TreeSet<>();
    for (ObjectNode policy : policies) {
      JsonNode selector = policy.at("/spec/podSelector/matchLabels");
      if (!service.equals(selector.path("app.kubernetes.io/name").asText())) {
        continue;
      }
      for (JsonNode rule : policy.at("/spec/ingress")) {
        if (!rule.path("ports").findValuesAsText("port").contains("" + port)) {
          continue;
        }
        assertThat(rule.has("from")).as("%s port %d open to any source", service, port).isTrue();
        for (JsonNode from : rule.path("from")) {
          assertThat(from.has("namespaceSelector") || from.has("ipBlock")).isFalse();
          sources.add(from.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText());
        }
      }
    }
    return sources;
  }

  private Map<String, Set<String>> readmeSecrets() {
    String readme = read(ROOT.resolve("README.md")).replace("\\\n", " ");
    Map<String, Set<String>> secrets = new TreeMap<>();
    Matcher command = Pattern.compile("create secret generic (\\S+)([^\\n]*)").matcher(readme);
    while (command.find()) {
      Set<String> keys = secrets.computeIfAbsent(command.group(1), n -> new TreeSet<>());
      Matcher key = Pattern.compile("--from-(?:literal|file)=([A-Za-z0-9._-]+)=").matcher(command.group(2));
      while (key.find()) {
        keys.add(key.group(1));
      }
    }
    return secrets;
  }

  private List<ObjectNode> objects(String kind) {
    return base.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  private ObjectNode object(String kind, String name) {
    return objects(kind).stream()
        .filter(o -> o.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the base"));
  }

  private static JsonNode container(ObjectNode deployment) {
    JsonNode containers = deployment.at("/spec/template/spec/containers");
    assertThat(containers.size()).isEqualTo(1);
    return containers.get(0);
  }

  private static int port(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no port " + name);
  }

  private static int servicePort(JsonNode service, String name) {
    for (JsonNode port : service.at("/spec/ports")) {
      if (port.path("name").asText().equals(name)) {
        assertThat(port.path("targetPort").asText()).isEqualTo(name);
        return port.path("port").asInt();
      }
    }
    throw new AssertionError("no port " + name);
  }

  private static boolean selects(JsonNode selector, ObjectNode deployment) {
    JsonNode labels = deployment.at("/spec/template/metadata/labels");
    List<String> mismatches = new ArrayList<>();
    selector.fields().forEachRemaining(e -> {
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText())) {
        mismatches.add(e.getKey());
      }
    });
    return !selector.isEmpty() && mismatches.isEmpty();
  }

  private static Map<String, String> env(JsonNode container) {
    Map<String, String> values = new LinkedHashMap<>();
    envEntries(container).forEach((k, v) -> values.put(k, v.path("value").asText(null)));
    return values;
  }

  private static Map<String, JsonNode> envEntries(JsonNode container) {
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    for (JsonNode entry : container.path("env")) {
      assertThat(entries.put(entry.path("name").asText(), entry)).as("set twice").isNull();
    }
    return entries;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  /** The default of a `${VAR:-default}` value (or the value itself). */
  private static String defaultOf(JsonNode node) {
    String text = node.asText();
    Matcher m = VARIABLE.matcher(text);
    return m.matches() ? Optional.ofNullable(m.group(2)).orElse("") : text;
  }

  private static Duration parse(String duration) {
    Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m)").matcher(duration.trim());
    assertThat(m.matches()).as(duration).isTrue();
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMinutes(amount);
    };
  }

  private static String key(JsonNode object) {
    return object.path("kind").asText() + "/" + object.at("/metadata/namespace").asText("") + "/"
        + object.at("/metadata/name").asText();
  }

  private static Map<String, JsonNode> byKey(List<ObjectNode> objects) {
    Map<String, JsonNode> map = new TreeMap<>();
    objects.forEach(o -> map.put(key(o), o));
    return map;
  }

  /** Compared as values: YAML numbers and strings kubectl may write differently ("0440" vs 288). */
  private static JsonNode normalized(JsonNode node) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(node));
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static JsonNode yaml(Path file) {
    try {
      return Kustomize.YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/kubernetes"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("deploy/kubernetes not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
