package dev.library.auth.cli;

import dev.library.auth.AuthSettings;
import dev.library.auth.core.KeyEncryptionKey;
import dev.library.auth.core.KeyRotation;
import dev.library.auth.core.SigningKeys;
import dev.library.runtime.config.LibraryConfiguration;
import dev.library.runtime.db.Migrations;
import dev.library.runtime.db.ServiceDatabases;
import dev.library.runtime.module.ServiceModule;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code rotate-signing-key <config.yml>}: schedules the next signing key in the auth database
 * and exits. The key is published at once and signs after {@code keyPublishWait}; the current
 * key leaves the JWKS once its last token has expired. Running auth instances pick the schedule
 * up within {@code keyReloadInterval}.
 */
public final class RotateSigningKeyCommand extends ConfiguredCommand<LibraryConfiguration> {
  private final ServiceModule auth;

  public RotateSigningKeyCommand(ServiceModule auth) {
    super("rotate-signing-key", "Schedule a new JWT signing key in the auth database, then exit");
    this.auth = auth;
  }

  @Override
  protected void run(
      Bootstrap<LibraryConfiguration> bootstrap, Namespace namespace, LibraryConfiguration config)
      throws Exception {
    AuthSettings settings =
        bootstrap
            .getObjectMapper()
            .treeToValue(config.service("auth").getSettings(), AuthSettings.class);
    if (!settings.getSigningKeyFile().isBlank()) {
      throw new IllegalStateException(
          "the signing key comes from JWT_SIGNING_KEY_FILE: rotate by replacing that file");
    }
    if (config.service("auth").getDatabase().isEmbedded()) {
      // Starting the embedded PostgreSQL here would stop the one a running server owns.
      Path pid = Path.of(config.getEmbeddedPostgres().getDataDirectory(), "postmaster.pid");
      if (Files.exists(pid)) {
        throw new IllegalStateException(
            "the embedded PostgreSQL in " + pid.getParent() + " is in use: stop the server "
                + "first (with an external database, rotate while it runs)");
      }
    }
    Optional<KeyEncryptionKey> kek =
        KeyEncryptionKey.configured(
            settings.getKeyEncryptionKey(), settings.getKeyEncryptionKeyFile());
    ServiceDatabases databases = ServiceDatabases.open(config, List.of(auth));
    try {
      DataSourceFactory db = databases.dataSourceFor(auth);
      Migrations.migrate(
          "auth", db.getUrl(), db.getUser(), db.getPassword(), auth.migrationsLocation());
      Jdbi jdbi = Jdbi.create(db.getUrl(), db.getUser(), db.getPassword());
      SigningKeys.Rotation rotation =
          KeyRotation.rotate(
              jdbi,
              kek,
              Instant.now(),
              toJava(settings.getKeyPublishWait()),
              toJava(settings.getAccessTokenTtl()));
      System.out.println(
          "new signing key "
              + rotation.kid()
              + " is published now and signs from "
              + rotation.activatesAt()
              + "; the previous keys leave the JWKS at "
              + rotation.previousRetireAt());
    } finally {
      if (databases.embedded().isPresent()) {
        databases.embedded().get().stop();
      }
    }
  }

  private static Duration toJava(io.dropwizard.util.Duration duration) {
    return Duration.ofMillis(duration.toMilliseconds());
  }
}
