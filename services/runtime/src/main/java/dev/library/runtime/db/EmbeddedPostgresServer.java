package dev.library.runtime.db;

import dev.library.runtime.config.EmbeddedPostgresConfig;
import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 run by the process itself (zonky's binaries), for laptops, CI and tests. The data
 * directory is kept between runs: only a missing one is initialised. Each hosted service gets its
 * own database in it, as it would on a real server.
 */
public final class EmbeddedPostgresServer implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  public static final String SUPERUSER = "postgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedPostgresServer start(EmbeddedPostgresConfig config) throws IOException {
    Path dataDirectory = Path.of(config.getDataDirectory()).toAbsolutePath().normalize();
    Files.createDirectories(dataDirectory);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setServerConfig("max_connections", "200");
    if (config.getPort() > 0) {
      builder.setPort(config.getPort());
    }
    EmbeddedPostgres postgres = builder.start();
    LOG.info("embedded PostgreSQL on port {}, data in {}", postgres.getPort(), dataDirectory);
    return new EmbeddedPostgresServer(postgres);
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(String database) {
    return postgres.getJdbcUrl(SUPERUSER, database);
  }

  /** Creates the database unless it exists. Names come from module names, never from input. */
  public void ensureDatabase(String database) throws SQLException {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("unsafe database name " + database);
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        PreparedStatement exists =
            connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      try (ResultSet rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
      try (Statement create = connection.createStatement()) {
        create.execute("CREATE DATABASE " + database);
        LOG.info("created database {}", database);
      } catch (SQLException e) {
        // Two processes sharing a data directory cannot happen (zonky locks it), but a retry can.
        if (!"42P04".equals(e.getSQLState())) {
          throw e;
        }
      }
    }
  }

  @Override
  public void stop() throws IOException {
    postgres.close();
  }
}
