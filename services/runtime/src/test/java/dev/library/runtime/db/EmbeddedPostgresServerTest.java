package dev.library.runtime.db;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.library.runtime.config.EmbeddedPostgresConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL as the application owns it: password, restarts, failures explained. */
class EmbeddedPostgresServerTest {
  @TempDir Path temporary;

  @Test
  void requiresTheGeneratedPasswordKeptInTheDataDirectory() throws Exception {
    Path data = temporary.resolve("pg");
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(config(data, 0));
    try {
      Path file = data.resolve(SuperuserPassword.FILE);
      assertThat(Files.readString(file).trim()).isEqualTo(server.password());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(data.resolve("pg_hba.conf")))
          .contains("host all all 127.0.0.1/32 scram-sha-256")
          .contains("local all all scram-sha-256")
          .doesNotContain("trust");

      assertRefused(server.jdbcUrl("postgres"), "");
      assertRefused(server.jdbcUrl("postgres"), "not-the-password");
      try (Connection connection = connect(server)) {
        assertThat(show(connection, "password_encryption")).isEqualTo("scram-sha-256");
      }
    } finally {
      server.stop();
    }

    // The next start reads the same password; nothing is regenerated.
    EmbeddedPostgresServer again = EmbeddedPostgresServer.start(config(data, 0));
    try (Connection connection = connect(again)) {
      assertThat(again.password()).isEqualTo(server.password());
      assertThat(show(connection, "fsync")).isEqualTo("on");
    } finally {
      again.stop();
    }
  }

  @Test
  void aDataDirectoryThatTrustedEveryoneIsSecuredInPlace() throws Exception {
    Path data = temporary.resolve("legacy");
    // What the application made before it had a password: zonky's defaults, trust for all.
    EmbeddedPostgres legacy =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .start();
    try (Connection connection = legacy.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE kept (value text)");
      statement.execute("INSERT INTO kept VALUES ('from before')");
    }
    legacy.close();
    assertThat(data.resolve(SuperuserPassword.FILE)).doesNotExist();

    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(config(data, 0));
    try (Connection connection = connect(server);
        ResultSet rows = connection.createStatement().executeQuery("SELECT value FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("from before");
      assertRefused(server.jdbcUrl("postgres"), "");
    } finally {
      server.stop();
    }
  }

  @Test
  void aPostmasterThatDiesIsStartedAgainOnTheSamePortWithNothingCommittedLost() throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(config(temporary.resolve("pg"), 0));
    try {
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE acknowledged (n int)");
        statement.execute("INSERT INTO acknowledged SELECT generate_series(1, 1000)");
      }
      long first = server.postmasterPid();
      ProcessHandle.of(first).orElseThrow().destroyForcibly();
      // SIGKILL is delivered asynchronously: until the old postmaster is gone, a connection may
      // still reach it and prove nothing.
      await().atMost(Duration.ofSeconds(30))
          .alias("a new postmaster")
          .until(server::postmasterPid, pid -> pid != first);

      await().atMost(Duration.ofSeconds(30))
          .ignoreExceptionsMatching(notUpYet -> notUpYet instanceof SQLException)
          .alias("the restarted server to answer with every acknowledged row")
          .until(() -> {
                try (Connection connection = connect(server);
                    ResultSet rows =
                        connection.createStatement().executeQuery("SELECT count(*) FROM acknowledged")) {
                  rows.next();
                  return rows.getInt(1) == 1000;
                }
              });
      assertThat(server.postmasterPid()).isNotEqualTo(first);
      try (Connection connection = connect(server)) {
        assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
        assertThat(show(connection, "fsync")).isEqualTo("on");
      }
    } finally {
      server.stop();
    }
    assertThat(ProcessHandle.of(server.postmasterPid()).map(ProcessHandle::isAlive)).isNotEqualTo(
        java.util.Optional.of(true));
  }

  @Test
  void aPortTakenByAnotherProgramIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () -> EmbeddedPostgresServer.start(config(temporary.resolve("pg"), taken.getLocalPort())))
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("in use by another program");
    }
  }

  @Test
  void aServerThatCannotStartIsExplainedInPostgresqlsOwnWords() throws Exception {
    Path data = temporary.resolve("pg");
    EmbeddedPostgresServer.start(config(data, 0)).stop();
    Files.writeString(
        data.resolve("postgresql.conf"), "\nshared_buffers = 'plenty'\n", java.nio.file.StandardOpenOption.APPEND);

    long began = System.nanoTime();
    assertThatThrownBy(() -> EmbeddedPostgresServer.start(config(data, 0)))
        .hasMessageContaining("did not start")
        .hasMessageContaining("shared_buffers");
    // The failure is reported when PostgreSQL gives up, not after the whole startup wait.
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(30));
  }

  private static EmbeddedPostgresConfig config(Path data, int port) {
    EmbeddedPostgresConfig config = new EmbeddedPostgresConfig();
    config.setDataDirectory(data.toString());
    config.setPort(port);
    return config;
  }

  private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
    return DriverManager.getConnection(
        server.jdbcUrl("postgres"), EmbeddedPostgresServer.SUPERUSER, server.password());
  }

  private static String show(Connection connection, String setting) throws SQLException {
    try (ResultSet rows = connection.createStatement().executeQuery("SHOW " + setting)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static void assertRefused(String url, String password) {
    assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", password).close())
        .isInstanceOf(SQLException.class)
        .satisfies(
            e ->
                assertThat(((SQLException) e).getSQLState())
                    .as("refused for its password: " + e.getMessage())
                    .isIn("28P01", "08004"));
  }
}
