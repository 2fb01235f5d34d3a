package dev.library.runtime.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL of a {@link LibraryProcess}, seen from outside as an operator sees it:
 * its data directory, the processes {@code postmaster.pid} leads to, the password file.
 */
public final class EmbeddedDatabase {
  private final Path dataDirectory;

  EmbeddedDatabase(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The running postmaster, if {@code postmaster.pid} names a live one. */
  public Optional<ProcessHandle> postmaster() {
    return pidFileLine(0).map(Long::parseLong).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
  }

  /** The postmaster and every process it started (backends, checkpointer, ...). */
  public List<Long> processes() {
    return postmaster()
        .map(p -> Stream.concat(Stream.of(p), p.descendants()).map(ProcessHandle::pid).toList())
        .orElse(List.of());
  }

  /** Kills the postmaster as a crash would (SIGKILL); its backends notice and exit. */
  public long kill() {
    ProcessHandle postmaster = postmaster().orElseThrow(() -> new IllegalStateException("no postmaster"));
    postmaster.destroyForcibly();
    return postmaster.pid();
  }

  /** Freezes the whole server: connections stay open, nothing answers. */
  public void freeze() {
    Signals.stop(processes());
  }

  public void thaw() {
    Signals.resume(processes());
  }

  public int port() {
    return pidFileLine(3)
        .map(Integer::parseInt)
        .orElseThrow(() -> new IllegalStateException("no postmaster.pid in " + dataDirectory));
  }

  /** The superuser password the application generated and keeps in the data directory. */
  public String password() {
    try {
      return Files.readString(dataDirectory.resolve("superuser.password")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A connection of the test's own to a database of this server. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port() + "/" + database, "postgres", password());
  }

  private Optional<String> pidFileLine(int index) {
    try {
      List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
      return lines.size() > index ? Optional.of(lines.get(index).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
