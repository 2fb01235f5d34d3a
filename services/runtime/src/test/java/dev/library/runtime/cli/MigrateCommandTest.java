package dev.library.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.LibraryApplication;
import dev.library.runtime.config.EmbeddedPostgresConfig;
import dev.library.runtime.db.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** `migrate <config>` applies a target's migrations and exits, repeatably. */
class MigrateCommandTest {
  @Test
  void migratesTheTargetsDatabasesWithoutStartingServers() throws Exception {
    Path data = Files.createTempDirectory("library-migrate-");
    Path config = Files.createTempFile("migrate", ".yml");
    Files.writeString(
        config,
        "target: probe\n"
            + "embeddedPostgres:\n"
            + "  dataDirectory: " + data + "\n"
            + "logging:\n"
            + "  level: WARN\n");

    new LibraryApplication().run("migrate", config.toString());
    new LibraryApplication().run("migrate", config.toString()); // nothing left to do: no error

    EmbeddedPostgresConfig embedded = new EmbeddedPostgresConfig();
    embedded.setDataDirectory(data.toString());
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(embedded);
    try (Connection db = DriverManager.getConnection(postgres.jdbcUrl("library_probe"), "postgres", postgres.password());
        ResultSet rows =
            db.createStatement()
                .executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    } finally {
      postgres.stop();
    }
  }
}
