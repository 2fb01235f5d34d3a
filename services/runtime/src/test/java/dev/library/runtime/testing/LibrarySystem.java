package dev.library.runtime.testing;

import dev.library.runtime.LibraryApplication;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.module.ModuleRegistry;
import dev.library.testing.FreePorts;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.core.Application;
import io.dropwizard.testing.DropwizardTestSupport;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real library process for tests: {@link LibraryApplication} with the chosen target on free
 * ports (from {@link FreePorts}, chosen once and kept across restarts) and an embedded PostgreSQL
 * in a fresh data directory (a copy of a migrated one: {@link MigratedDataDirectory}).
 * {@link #restart()} stops and starts the same process configuration on the same data, to test
 * what survives a restart.
 */
public final class LibrarySystem implements AutoCloseable {
  /**
   * The services a test process may host or call: the modules on this classpath (found with
   * ServiceLoader, as the application does) and the services of the descriptor set.
   */
  public static final List<String> SERVICES = ModuleRegistry.discover().knownServiceNames();
  public static final String SERVER_KEY = "test-server-key";

  private final String target;
  private final Path dataDirectory;
  private final Map<String, Integer> grpcPorts = new LinkedHashMap<>();
  private final int httpPort;
  private final int gatewayPort;
  private final int postgresPort;
  private final Map<String, String> extraOverrides;
  private final SpanExporter spans;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private DropwizardTestSupport<LibraryConfiguration> support;
  private boolean running;

  private LibrarySystem(String target, Map<String, String> extraOverrides, SpanExporter spans) {
    this.target = target;
    this.spans = spans;
    this.extraOverrides = extraOverrides;
    try {
      this.dataDirectory = Files.createTempDirectory("library-pg-");
      MigratedDataDirectory.copyInto(dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String service : SERVICES) {
      // A test wiring two processes together may fix a port through the overrides.
      String fixed = extraOverrides.get("services." + service + ".grpcPort");
      grpcPorts.put(service, fixed != null ? Integer.parseInt(fixed) : FreePorts.next());
    }
    this.httpPort = FreePorts.next();
    this.gatewayPort = FreePorts.next();
    this.postgresPort = FreePorts.next();
  }

  /** Starts a process hosting {@code target} (e.g. "auth" or "all"). */
  public static LibrarySystem start(String target) {
    return start(target, Map.of());
  }

  /** Starts with extra config overrides, such as {@code services.auth.settings.bcryptCost}. */
  public static LibrarySystem start(String target, Map<String, String> overrides) {
    LibrarySystem system = new LibrarySystem(target, new LinkedHashMap<>(overrides), null);
    system.startProcess();
    return system;
  }

  /** Starts with tracing on, every span of the process handed to {@code spans} as it ends. */
  public static LibrarySystem startTraced(String target, SpanExporter spans) {
    LibrarySystem system = new LibrarySystem(target, new LinkedHashMap<>(), spans);
    system.startProcess();
    return system;
  }

  private void startProcess() {
    // The harness's own settings first; a test's explicit overrides replace them key by key.
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("target", target);
    settings.put("embeddedPostgres.dataDirectory", dataDirectory.toString());
    settings.put("embeddedPostgres.port", "" + postgresPort);
    settings.put("server.applicationConnectors[0].port", "" + httpPort);
    settings.put("security.jwksUrl", "http://localhost:" + httpPort + "/.well-known/jwks.json");
    if (TestConfiguration.hasEdge("gateway")) {
      settings.put("edges.gateway.port", "" + gatewayPort);
    }
    grpcPorts.forEach(
        (service, port) -> {
          settings.put("services." + service + ".grpcPort", "" + port);
          settings.put("services." + service + ".address", "localhost:" + port);
        });
    settings.putAll(extraOverrides);
    ConfigOverride[] overrides =
        settings.entrySet().stream()
            .map(e -> ConfigOverride.config(e.getKey(), e.getValue()))
            .toArray(ConfigOverride[]::new);
    support =
        new DropwizardTestSupport<>(
            LibraryApplication.class,
            TestConfiguration.RESOURCE,
            path -> new ByteArrayInputStream(TestConfiguration.text().getBytes(StandardCharsets.UTF_8)),
            overrides) {
          @Override
          public Application<LibraryConfiguration> newApplication() {
            return spans == null ? super.newApplication() : new LibraryApplication(spans);
          }
        };
    try {
      support.before();
      running = true;
    } catch (Exception e) {
      throw new IllegalStateException("library process failed to start", e);
    }
  }

  /** Stops the process and starts it again on the same ports and data. */
  public void restart() {
    stop();
    startProcess();
  }

  /** Stops the process but keeps the data, for tests of what happens while a service is down. */
  public void stop() {
    closeChannels();
    if (running) {
      running = false;
      support.after();
    }
  }

  /** A plain channel to a hosted service's gRPC port (no credentials attached). */
  public ManagedChannel channel(String service) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", grpcPort(service)).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  public int grpcPort(String service) {
    return grpcPorts.get(service);
  }

  /** The Dropwizard application port (JWKS, docs). */
  public int httpPort() {
    return httpPort;
  }

  public int adminPort() {
    return support.getAdminPort();
  }

  /** The REST gateway's port, when the target includes it. */
  public int gatewayPort() {
    return gatewayPort;
  }

  /** A JDBC connection to a hosted service's own database, for plan checks and bulk loads. */
  public java.sql.Connection connect(String service) throws java.sql.SQLException {
    var database = application().host().database(service);
    return java.sql.DriverManager.getConnection(
        database.getUrl(), database.getUser(), database.getPassword());
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public LibraryApplication application() {
    return (LibraryApplication) support.getApplication();
  }

  private void closeChannels() {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    channels.clear();
  }

  @Override
  public void close() {
    stop();
  }
}
