package dev.library.runtime.module;

import dev.library.runtime.BackgroundThreads;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.config.StrictSettings;
import dev.library.runtime.db.DatabaseWatch;
import dev.library.runtime.db.EmbeddedPostgresServer;
import dev.library.runtime.db.LedgerMarkingTransactionHandler;
import dev.library.runtime.db.Migrations;
import dev.library.runtime.db.ServiceDatabases;
import dev.library.runtime.grpc.ExceptionTranslatingInterceptor;
import dev.library.runtime.grpc.GrpcServer;
import dev.library.runtime.grpc.GrpcServerHealthCheck;
import dev.library.runtime.grpc.IdempotentRequests;
import dev.library.runtime.grpc.RequestTextCheck;
import dev.library.runtime.grpc.ServiceChannels;
import dev.library.runtime.grpc.TransportSecurity;
import dev.library.runtime.observe.InstrumentedPool;
import dev.library.runtime.observe.Telemetry;
import io.grpc.ServerInterceptor;
import dev.library.runtime.security.AccessTokenVerifier;
import dev.library.runtime.security.AuthInterceptor;
import dev.library.runtime.security.JwksSigningKeyResolver;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.security.RevocationPoller;
import dev.library.runtime.security.RevokedTokens;
import dev.library.runtime.grpc.ClientAddress;
import dev.library.runtime.security.ServerKey;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings up the modules a target names: for each, its database (migrated first), its services,
 * and its gRPC server with the shared interceptors, all tied to the Dropwizard lifecycle so a stop
 * unwinds them in reverse order (gRPC servers drain before their pools and PostgreSQL close).
 */
public final class ModuleHost {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class);

  /** Longer than any call may run: only an attempt that died loses its request_id claim. */
  private static final Duration REQUEST_CLAIM_LEASE = Duration.ofMinutes(2);
  /** AIP-155: retries with the same request_id are recognised for a day. */
  private static final Duration REQUEST_RETENTION = Duration.ofHours(24);
  /** How long a retry waits for a first attempt still running before answering UNAVAILABLE. */
  private static final Duration REQUEST_MAX_WAIT = Duration.ofSeconds(10);

  private final Map<String, GrpcServer> servers = new LinkedHashMap<>();
  private final Map<String, DataSourceFactory> databases = new LinkedHashMap<>();

  public void start(
      ModuleRegistry registry,
      LibraryConfiguration configuration,
      Environment environment,
      Telemetry telemetry)
      throws Exception {
    List<ServiceModule> modules = registry.select(configuration.getTarget());
    registry.checkConfigured(configuration);
    ServerKey serverKey = serverKey(configuration);
    PageTokens pageTokens = new PageTokens(serverKey.derive("library page tokens v1"));
    RevokedTokens revoked = RevokedTokens.empty();
    AccessTokenVerifier verifier =
        new AccessTokenVerifier(
            new JwksSigningKeyResolver(configuration.getSecurity().getJwksUrl()),
            configuration.getSecurity().getIssuer(),
            revoked);
    ClientAddress clientAddress = new ClientAddress(configuration.getSecurity().getTrustedProxies());
    ServiceChannels channels =
        new ServiceChannels(
            configuration,
            serverKey,
            registry::defaultGrpcPort,
            environment.metrics(),
            telemetry.clientInterceptors());
    environment.lifecycle().manage(channels);

    ServiceDatabases databases = ServiceDatabases.open(configuration, modules);
    databases.embedded().ifPresent(environment.lifecycle()::manage);

    Duration grace =
        Duration.ofMillis(configuration.getGrpcShutdownGracePeriod().toMilliseconds());
    TransportSecurity security = new TransportSecurity(configuration.getTls());
    // First every module's database, pool and own managed objects, then the gRPC servers:
    // Dropwizard stops in reverse order, so all servers drain before any pool closes.
    migrateAll(modules, databases);
    List<Hosted> hosted = new ArrayList<>();
    for (ServiceModule module : modules) {
      DataSourceFactory dataSource = databases.dataSourceFor(module);
      this.databases.put(module.name(), dataSource);
      ManagedDataSource pool = dataSource.build(environment.metrics(), module.name() + "-db");
      Jdbi jdbi =
          new JdbiFactory()
              .build(
                  environment,
                  dataSource,
                  InstrumentedPool.of(module.name(), pool, telemetry),
                  module.name() + "-db");
      jdbi.setTransactionHandler(
          new LedgerMarkingTransactionHandler(
              jdbi.getTransactionHandler(), IdempotentRequests::currentRequest));
      ModuleContext context =
          new ModuleContext(
              module.name(), environment, configuration, jdbi, channels, telemetry, pageTokens);
      List<ServerServiceDefinition> services =
          module.start(context).stream().map(BindableService::bindService).toList();
      if (!context.settingsBound()) {
        StrictSettings.requireEmpty(
            context.settingsPath(), configuration.service(module.name()).getSettings());
      }
      hosted.add(new Hosted(module, dataSource, pool, jdbi, services));
    }
    databases.embedded().ifPresent(EmbeddedPostgresServer::checkpointNewDatabases);
    for (Hosted module : hosted) {
      String name = module.module().name();
      GrpcServer[] hosting = new GrpcServer[1];
      DatabaseWatch watch =
          new DatabaseWatch(
              name,
              module.dataSource().getUrl(),
              module.dataSource().getUser(),
              module.dataSource().getPassword(),
              () -> purge(module.pool()),
              serving -> hosting[0].setServing(serving));
      ExceptionTranslatingInterceptor errors =
          new ExceptionTranslatingInterceptor(name, watch::onFault);
      IdempotentRequests retries =
          new IdempotentRequests(
              module.jdbi(), errors, REQUEST_CLAIM_LEASE, REQUEST_RETENTION, REQUEST_MAX_WAIT);
      // Telemetry's first: the span, metrics and request log see every call, refused or not.
      List<ServerInterceptor> interceptors = new ArrayList<>(telemetry.serverInterceptors(name));
      interceptors.addAll(
          List.of(
              AuthInterceptor.guarding(verifier, serverKey, module.services()),
              clientAddress,
              retries,
              errors,
              new RequestTextCheck()));
      GrpcServer server =
          new GrpcServer(
              name,
              grpcPort(configuration, module.module()),
              module.services(),
              interceptors,
              grace,
              security,
              configuration.getGrpcMaxConnectionAge());
      hosting[0] = server;
      environment.lifecycle().manage(server);
      environment.lifecycle().manage(watch);
      environment.lifecycle().manage(retries);
      environment.healthChecks().register(name + "-grpc", new GrpcServerHealthCheck(server));
      servers.put(name, server);
    }
    if (!hosted.isEmpty()) {
      // After the servers, so the first poll can reach an auth service in this very process.
      environment
          .lifecycle()
          .manage(
              new RevocationPoller(
                  revoked, channels, configuration.getSecurity().getRevocationPollInterval()));
    }
    for (EdgeModule edge : registry.selectEdges(configuration.getTarget())) {
      edge.start(
          configuration.edgeSettings(edge.name()), configuration, environment, channels, telemetry);
      LOG.info("started {}", edge.name());
    }
    // Managed last, so stopped first: health says NOT_SERVING before anything stops accepting.
    environment.lifecycle().manage(new StopAnnouncement(List.copyOf(servers.values())));
    LOG.info("hosting {}", servers.keySet());
  }

  /** A module whose database and services are up, before its gRPC server is. */
  private record Hosted(
      ServiceModule module,
      DataSourceFactory dataSource,
      ManagedDataSource pool,
      Jdbi jdbi,
      List<ServerServiceDefinition> services) {}

  /** Runs the migrations of the target's modules and nothing else (the {@code migrate} command). */
  public static List<String> migrateOnly(ModuleRegistry registry, LibraryConfiguration configuration)
      throws Exception {
    List<ServiceModule> modules = registry.select(configuration.getTarget());
    registry.checkConfigured(configuration);
    ServiceDatabases databases = ServiceDatabases.open(configuration, modules);
    try {
      migrateAll(modules, databases);
    } finally {
      if (databases.embedded().isPresent()) {
        databases.embedded().get().stop();
      }
    }
    return modules.stream().map(ServiceModule::name).toList();
  }

  public Map<String, GrpcServer> servers() {
    return Map.copyOf(servers);
  }

  /**
   * Where a hosted module's database is (URL and credentials), for tools that load or inspect
   * data directly, such as the benchmarks and the query-plan tests.
   */
  public DataSourceFactory database(String module) {
    DataSourceFactory database = databases.get(module);
    if (database == null) {
      throw new IllegalArgumentException(module + " is not hosted by this process");
    }
    return database;
  }

  /**
   * Migrates every module's database at once: each service has a database of its own, and
   * Flyway's start-up (class loading, reading the history) dominates a start with nothing to
   * apply, so four services in sequence took four times as long as one. Flyway gets its own
   * short-lived connections; the services' pools start afterwards.
   */
  private static void migrateAll(List<ServiceModule> modules, ServiceDatabases databases)
      throws Exception {
    ExecutorService migrations = BackgroundThreads.pool("migrate", modules.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (ServiceModule module : modules) {
        DataSourceFactory dataSource = databases.dataSourceFor(module);
        running.add(
            migrations.submit(
                () ->
                    Migrations.migrate(
                        module.name(),
                        dataSource.getUrl(),
                        dataSource.getUser(),
                        dataSource.getPassword(),
                        module.migrationsLocation())));
      }
      for (Future<?> migration : running) {
        try {
          migration.get();
        } catch (ExecutionException e) {
          // The migration's own exception, as a sequential start would have thrown it.
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
    } finally {
      migrations.shutdownNow();
    }
  }

  private static void purge(ManagedDataSource pool) {
    if (pool instanceof DataSourceProxy tomcat) {
      tomcat.purge();
    }
  }

  private static int grpcPort(LibraryConfiguration configuration, ServiceModule module) {
    Integer configured = configuration.service(module.name()).getGrpcPort();
    return configured != null ? configured : module.defaultGrpcPort();
  }

  private static ServerKey serverKey(LibraryConfiguration configuration) {
    String configured = configuration.getSecurity().getServerKey();
    if (configured == null || configured.isBlank()) {
      LOG.warn(
          "security.serverKey is not set: using a random key, so only services in this process "
              + "can call each other's internal methods");
    }
    return ServerKey.of(configured);
  }
}
