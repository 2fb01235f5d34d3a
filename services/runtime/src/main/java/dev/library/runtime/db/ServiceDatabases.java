package dev.library.runtime.db;

import dev.library.runtime.config.DatabaseConfig;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.module.ServiceModule;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Decides where each hosted module's database lives: the configured JDBC URL, or a database in
 * the embedded PostgreSQL, started only when some hosted module needs it.
 */
public final class ServiceDatabases {
  private final LibraryConfiguration configuration;
  private final EmbeddedPostgresServer embedded;

  private ServiceDatabases(LibraryConfiguration configuration, EmbeddedPostgresServer embedded) {
    this.configuration = configuration;
    this.embedded = embedded;
  }

  public static ServiceDatabases open(LibraryConfiguration configuration, List<ServiceModule> modules)
      throws Exception {
    boolean needsEmbedded =
        modules.stream()
            .anyMatch(m -> configuration.service(m.name()).getDatabase().isEmbedded());
    EmbeddedPostgresServer embedded =
        needsEmbedded ? EmbeddedPostgresServer.start(configuration.getEmbeddedPostgres()) : null;
    return new ServiceDatabases(configuration, embedded);
  }

  public Optional<EmbeddedPostgresServer> embedded() {
    return Optional.ofNullable(embedded);
  }

  /** A pool definition for the module's database, creating that database when embedded. */
  public DataSourceFactory dataSourceFor(ServiceModule module) throws Exception {
    DatabaseConfig config = configuration.service(module.name()).getDatabase();
    DataSourceFactory factory = new DataSourceFactory();
    factory.setDriverClass("org.postgresql.Driver");
    if (config.isEmbedded()) {
      String database = "library_" + module.name();
      embedded.ensureDatabase(database);
      factory.setUrl(embedded.jdbcUrl(database));
      factory.setUser(EmbeddedPostgresServer.SUPERUSER);
      factory.setPassword(embedded.password());
    } else {
      factory.setUrl(config.getUrl());
      factory.setUser(config.getUser());
      factory.setPassword(config.getPassword());
    }
    factory.setMaxSize(config.getMaxConnections());
    factory.setMinSize(Math.min(2, config.getMaxConnections()));
    factory.setInitialSize(Math.min(2, config.getMaxConnections()));
    factory.setMaxWaitForConnection(config.getConnectionWait());
    factory.setValidationQuery("SELECT 1");
    factory.setValidationQueryTimeout(Duration.seconds(2));
    factory.setCheckConnectionOnBorrow(true);
    factory.setProperties(connectionProperties(config));
    return factory;
  }

  /**
   * Timeouts on every pooled connection, so that no request outlives its deadline because of the
   * database: statements and idle transactions are ended by the server, and a server that stops
   * answering altogether is given up on by the driver.
   */
  static java.util.Map<String, String> connectionProperties(DatabaseConfig config) {
    java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
    properties.put(
        "options",
        "-c statement_timeout=" + config.getStatementTimeout().toMilliseconds()
            + " -c idle_in_transaction_session_timeout="
            + config.getIdleInTransactionTimeout().toMilliseconds());
    properties.put("connectTimeout", "" + Math.max(1, config.getConnectionWait().toSeconds()));
    properties.put("socketTimeout", "" + Math.max(1, config.getSocketTimeout().toSeconds()));
    properties.put("tcpKeepAlive", "true");
    return properties;
  }
}
