package dev.library.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.LibraryApplication;
import dev.library.runtime.config.EmbeddedPostgresConfig;
import dev.library.runtime.db.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code rotate-signing-key <config>} on a real embedded PostgreSQL: the first run creates the
 * database and a key, the second schedules the next one (sealed, activating later, the first
 * one retiring after it), and both are audited.
 */
class RotateSigningKeyCommandTest {
  private static final String KEK = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

  @Test
  void schedulesASealedKeyThatSignsAfterThePublishWait() throws Exception {
    Path data = Files.createTempDirectory("library-rotate-");
    Path config = Files.createTempFile("rotate", ".yml");
    Files.writeString(
        config,
        "target: auth\n"
            + "embeddedPostgres:\n"
            + "  dataDirectory: " + data + "\n"
            + "logging:\n"
            + "  level: WARN\n"
            + "services:\n"
            + "  auth:\n"
            + "    settings:\n"
            + "      keyEncryptionKey: " + KEK + "\n"
            + "      keyPublishWait: 6m\n");
    Instant before = Instant.now();
    new LibraryApplication().run("rotate-signing-key", config.toString());
    new LibraryApplication().run("rotate-signing-key", config.toString());

    EmbeddedPostgresConfig embedded = new EmbeddedPostgresConfig();
    embedded.setDataDirectory(data.toString());
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(embedded);
    List<String> rows = new ArrayList<>();
    try (Connection db =
            DriverManager.getConnection(
                postgres.jdbcUrl("library_auth"), "postgres", postgres.password());
        ResultSet keys =
            db.createStatement()
                .executeQuery(
                    "SELECT sealed, activates_at > now() + interval '5 minutes' AS later, "
                        + "retires_at IS NULL AS staying FROM signing_keys ORDER BY activates_at")) {
      while (keys.next()) {
        rows.add(
            keys.getBoolean("sealed") + "/" + keys.getBoolean("later") + "/"
                + keys.getBoolean("staying"));
      }
      ResultSet audit =
          db.createStatement()
              .executeQuery("SELECT count(*) FROM audit_events WHERE type = 'SIGNING_KEY_ROTATED'");
      audit.next();
      assertThat(audit.getInt(1)).isEqualTo(2);
    } finally {
      postgres.stop();
    }
    // Two rotations on a new database: two keys, sealed, scheduled; the first retires.
    assertThat(rows).containsExactly("true/true/false", "true/true/true");
    assertThat(before).isBefore(Instant.now());
  }
}
