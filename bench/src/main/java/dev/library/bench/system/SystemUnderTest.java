package dev.library.bench.system;

import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.LoginRequest;
import dev.library.runtime.module.ModuleRegistry;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import io.dropwizard.db.DataSourceFactory;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real library process, started the way the system tests start it (LibrarySystem: every
 * service and the REST gateway in this JVM, on free ports, with an embedded PostgreSQL in a fresh
 * temporary directory, or on a given server), but with production settings where they matter
 * for speed. The load generator runs in the same JVM and on the same cores.
 */
public final class SystemUnderTest implements AutoCloseable {
  /** The services on the classpath, found as the application finds them. */
  public static final List<String> SERVICES = ModuleRegistry.discover().serviceNames();
  public static final String ADMIN_USERNAME = "admin";
  public static final String ADMIN_PASSWORD = TestAccounts.ADMIN_PASSWORD;

  private final LibrarySystem system;
  private final Optional<ExternalDatabases> external;
  private final ProductionSettings settings;
  private final DownstreamMetrics downstream;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  private SystemUnderTest(
      LibrarySystem system, Optional<ExternalDatabases> external, ProductionSettings settings) {
    this.system = system;
    this.external = external;
    this.settings = settings;
    this.downstream = new DownstreamMetrics(system.adminPort());
  }

  /**
   * Starts everything ({@code all}: the four services and the gateway). With a JDBC URL the
   * services get fresh databases on that server; otherwise PostgreSQL is embedded.
   */
  public static SystemUnderTest start(
      ProductionSettings settings, Optional<PostgresAddress> server) throws SQLException {
    Map<String, String> overrides = new LinkedHashMap<>(settings.overrides());
    Optional<ExternalDatabases> external = Optional.empty();
    if (server.isPresent()) {
      ExternalDatabases databases = ExternalDatabases.create(server.get(), SERVICES);
      overrides.putAll(databases.overrides());
      external = Optional.of(databases);
    }
    return new SystemUnderTest(LibrarySystem.start("all", overrides), external, settings);
  }

  /**
   * One channel per service for the whole run. Callbacks run on the transport's threads
   * (directExecutor): the load generator's callbacks only record and start the next call, so a
   * hop to another pool would be pure overhead.
   */
  public ManagedChannel channel(String service) {
    return channels.computeIfAbsent(
        service,
        s ->
            NettyChannelBuilder.forAddress("localhost", system.grpcPort(s))
                .usePlaintext()
                .directExecutor()
                .build());
  }

  public int gatewayPort() {
    return system.gatewayPort();
  }

  public int bcryptCost() {
    return settings.bcryptCost();
  }

  public ProductionSettings settings() {
    return settings;
  }

  /** Signs in over gRPC; the access token. */
  public String login(String username, String password) {
    return AuthServiceGrpc.newBlockingStub(channel("auth"))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build())
        .getAccessToken();
  }

  /**
   * A fresh token of the configured administrator, who is also a librarian: it may borrow for
   * any member id, so a workload can have thousands of members without thousands of logins.
   */
  public String adminToken() {
    return login(ADMIN_USERNAME, ADMIN_PASSWORD);
  }

  /** Calls made so far to other services, per method (admin /metrics downstream.* meters). */
  public Map<String, Long> downstreamCalls() {
    return downstream.counts();
  }

  /** Where a service's own database is. */
  public PostgresAddress database(String service) {
    DataSourceFactory database = system.application().host().database(service);
    return PostgresAddress.parse(database.getUrl(), database.getUser(), database.getPassword());
  }

  /** The largest number of connections a service's pool opens. */
  public int poolSize(String service) {
    return system.application().host().database(service).getMaxSize();
  }

  public Connection connect(String service) throws SQLException {
    DataSourceFactory database = system.application().host().database(service);
    return DriverManager.getConnection(database.getUrl(), database.getUser(), database.getPassword());
  }

  /** {@code SELECT version()} of the server under the book database. */
  public String postgresVersion() {
    try (Connection db = connect("book");
        Statement sql = db.createStatement();
        ResultSet row = sql.executeQuery("SHOW server_version")) {
      row.next();
      return "PostgreSQL " + row.getString(1) + (external.isPresent() ? " (given by --jdbc-url)" : " (embedded, zonky binaries)");
    } catch (SQLException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws Exception {
    channels.values().forEach(ManagedChannel::shutdownNow);
    system.close();
    if (external.isPresent()) {
      external.get().close();
    }
    Directories.deleteTree(system.dataDirectory());
  }
}
