package dev.library.runtime.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's superuser password: generated at the first start, kept in the data
 * directory (readable by its owner only), and required by {@code pg_hba.conf} for every
 * connection (scram-sha-256), so nobody else on the machine connects as {@code postgres}.
 *
 * <p>initdb leaves a directory that trusts every local connection; so does an older release of
 * this application. Such a directory is secured in place: it starts once trusting localhost
 * only, the password is set, then {@code pg_hba.conf} is replaced and reloaded. Each step can be
 * interrupted and is redone at the next start: the file is written first, and the directory
 * counts as secured only once the final {@code pg_hba.conf} is in place.
 */
final class SuperuserPassword {
  private static final Logger LOG = LoggerFactory.getLogger(SuperuserPassword.class);
  static final String FILE = "superuser.password";
  private static final String SECURED_MARK = "# library: every connection needs the password";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path directory;
  private final String password;

  private SuperuserPassword(Path directory, String password) {
    this.directory = directory;
    this.password = password;
  }

  /** The password kept in {@code directory}, made and stored now if there is none. */
  static SuperuserPassword inDirectory(Path directory) {
    Path file = directory.resolve(FILE);
    try {
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        return new SuperuserPassword(directory, Files.readString(file).trim());
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      // URL-safe Base64: letters, digits, '-' and '_', nothing to quote in SQL.
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      writeDurably(file, password + "\n");
      LOG.info("generated the embedded PostgreSQL superuser password; it is kept in {}", file);
      return new SuperuserPassword(directory, password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the superuser password in " + file, e);
    }
  }

  /** The password already kept in {@code directory}, if any. */
  static Optional<String> existing(Path directory) {
    Path file = directory.resolve(FILE);
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the superuser password in " + file, e);
    }
  }

  String value() {
    return password;
  }

  /** Whether the password is set and {@code pg_hba.conf} requires it. */
  boolean isRequired() {
    try {
      return Files.readString(directory.resolve("pg_hba.conf")).startsWith(SECURED_MARK);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Before a start that will set the password: trust connections from this machine only, as
   * initdb's file does, whatever an interrupted earlier start left.
   */
  void trustLocalhostUntilSet() {
    writeHba(
        List.of(
            "# library: temporary, until the superuser password is set (replaced at once)",
            "local all all trust",
            "host all all 127.0.0.1/32 trust",
            "host all all ::1/128 trust"));
  }

  /** Sets the password on the running server, then requires it from every connection. */
  void require(Connection connection) {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET password_encryption = 'scram-sha-256'");
      statement.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      writeHba(
          List.of(
              SECURED_MARK + " (" + FILE + " in this directory)",
              "local all all scram-sha-256",
              "host all all 127.0.0.1/32 scram-sha-256",
              "host all all ::1/128 scram-sha-256"));
      statement.execute("SELECT pg_reload_conf()");
      LOG.info("the embedded PostgreSQL in {} now requires its password", directory);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set the embedded PostgreSQL password", e);
    }
  }

  private void writeHba(List<String> lines) {
    try {
      writeDurably(directory.resolve("pg_hba.conf"), String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf in " + directory, e);
    }
  }

  /** Written aside, flushed, then renamed over the target: never half a file. */
  private static void writeDurably(Path target, String content) throws IOException {
    Path temporary = target.resolveSibling(target.getFileName() + ".new");
    Files.deleteIfExists(temporary);
    Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel parent = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      parent.force(true);
    } catch (IOException ignored) {
      // Not every file system lets a directory be synced; the rename itself is atomic.
    }
  }
}
