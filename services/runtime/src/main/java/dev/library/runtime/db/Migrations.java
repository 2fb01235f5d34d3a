package dev.library.runtime.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway over one service's database: its own migration folder, then the runtime's tables that
 * every service has (the request_id ledger), tracked in a history table of their own so that
 * neither set's version numbers constrain the other's.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  static final String RUNTIME_LOCATION = "classpath:db/runtime";
  static final String RUNTIME_HISTORY = "library_runtime_schema_history";

  private Migrations() {}

  public static MigrateResult migrate(
      String module, String url, String user, String password, String location) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(url, user, password)
            .locations(location)
            .failOnMissingLocations(true)
            .load()
            .migrate();
    LOG.info(
        "{}: schema at version {} ({} migrations applied)",
        module,
        result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion,
        result.migrationsExecuted);
    MigrateResult runtime =
        Flyway.configure()
            .dataSource(url, user, password)
            .locations(RUNTIME_LOCATION)
            .table(RUNTIME_HISTORY)
            // The service's own tables are there already (they migrate first).
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .failOnMissingLocations(true)
            .load()
            .migrate();
    if (runtime.migrationsExecuted > 0) {
      LOG.info("{}: runtime tables at version {}", module, runtime.targetSchemaVersion);
    }
    return result;
  }
}
