package dev.library.runtime.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Flyway over one service's database and its own migration folder. */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

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
    return result;
  }
}
