package dev.library.runtime.testing.process;

import static org.awaitility.Awaitility.await;
import org.awaitility.core.ConditionTimeoutException;
import dev.library.testing.FreePorts;

import dev.library.runtime.LibraryApplication;
import dev.library.runtime.testing.MigratedDataDirectory;
import dev.library.runtime.testing.TestConfiguration;
import dev.library.testing.Rest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The library as a separate operating-system process ({@code java -cp <this test's classpath>
 * LibraryApplication server <config>}), for tests of what only a real process shows: {@code kill
 * -9}, SIGTERM and its exit code, a frozen process (SIGSTOP), a PostgreSQL killed under the
 * application, a dependency restarted.
 *
 * <p>The configuration is the in-process harness's ({@code library-test.yml}) with this
 * process's ports and data directory given as Dropwizard {@code -Ddw.*} overrides. Ports and the
 * data directory are chosen once and kept by {@link #restart}, so clients and other processes
 * find it again. Output goes to {@code process.log} in its work directory ({@link #logTail}).
 *
 * <p>Several processes make one system when built from the same {@link ServicePorts}: each then
 * reaches every service, hosted by itself or not, on that service's port.
 */
public final class LibraryProcess implements AutoCloseable {
  private static final Duration READY_WAIT = Duration.ofSeconds(120);
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  private final String target;
  private final ServicePorts ports;
  private final Path workDirectory;
  private final Path dataDirectory;
  private final int httpPort;
  private final int adminPort;
  private final int gatewayPort;
  private final int postgresPort;
  private final Map<String, String> overrides;
  private final List<String> jvmOptions;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Process process;

  private LibraryProcess(Builder builder) {
    this.target = builder.target;
    this.ports = builder.ports;
    this.overrides = new LinkedHashMap<>(builder.overrides);
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    try {
      this.workDirectory = Files.createTempDirectory("library-process-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.dataDirectory = workDirectory.resolve("postgres");
    MigratedDataDirectory.copyInto(dataDirectory);
    boolean hostsAuth = target.equals("all") || List.of(target.split(",")).contains("auth");
    this.httpPort = hostsAuth ? ports.authHttp() : FreePorts.next();
    this.adminPort = FreePorts.next();
    this.gatewayPort = FreePorts.next();
    this.postgresPort = FreePorts.next();
  }

  /** A process hosting {@code target} ({@code all}, or a comma list of services and edges). */
  public static Builder hosting(String target) {
    return new Builder(target);
  }

  public static final class Builder {
    private final String target;
    private ServicePorts ports;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();

    private Builder(String target) {
      this.target = target;
    }

    /** The ports of the system this process is part of (by default, a system of its own). */
    public Builder ports(ServicePorts ports) {
      this.ports = ports;
      return this;
    }

    /** A configuration value, as a dotted path into the YAML ({@code services.book.settings.x}). */
    public Builder override(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    /** An option of the process's JVM, such as {@code -Dsome.library.flag=x}. */
    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    /** Starts the process and waits until it reports healthy. */
    public LibraryProcess start() {
      LibraryProcess process = launch();
      process.awaitHealthy();
      return process;
    }

    /** Starts the process and returns at once, for tests of what happens while it starts. */
    public LibraryProcess launch() {
      if (ports == null) {
        ports = ServicePorts.allocate();
      }
      LibraryProcess process = new LibraryProcess(this);
      process.spawn();
      return process;
    }
  }

  /** Starts the process (again, after a stop or kill) and waits until it reports healthy. */
  public synchronized void start() {
    spawn();
    awaitHealthy();
  }

  private synchronized void spawn() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running as pid " + process.pid());
    }
    try {
      Path config = workDirectory.resolve("library.yml");
      Files.writeString(config, TestConfiguration.text());
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      // A small, quickly started JVM: these processes serve tests, not benchmarks.
      command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      // Every exception the REST gateway (Armeria) turns into an error response is logged.
      command.add("-Dcom.linecorp.armeria.verboseExceptions=always");
      command.addAll(jvmOptions);
      settings().forEach((key, value) -> command.add("-Ddw." + key + "=" + value));
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              LibraryApplication.class.getName(),
              "server",
              config.toString()));
      Path log = log();
      Files.writeString(
          log,
          "=== start " + java.time.Instant.now() + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process =
          new ProcessBuilder(command)
              .directory(workDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy() {
    long began = System.nanoTime();
    pollHealth();
    System.out.printf(
        "%s: %s healthy as pid %d in %d ms%n",
        java.time.LocalTime.now(),
        target,
        process.pid(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
  }

  /** Every setting this process gets on top of library-test.yml. */
  private Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("target", target);
    settings.put("logging.level", "INFO");
    settings.put("logging.appenders[0].threshold", "INFO");
    settings.put("server.applicationConnectors[0].port", "" + httpPort);
    settings.put("server.adminConnectors[0].port", "" + adminPort);
    settings.put("embeddedPostgres.dataDirectory", dataDirectory.toString());
    settings.put("embeddedPostgres.port", "" + postgresPort);
    settings.put("security.jwksUrl", "http://localhost:" + ports.authHttp() + "/.well-known/jwks.json");
    if (TestConfiguration.hasEdge("gateway")) {
      settings.put("edges.gateway.port", "" + gatewayPort);
    }
    for (String service : ports.services()) {
      settings.put("services." + service + ".grpcPort", "" + ports.grpc(service));
      settings.put("services." + service + ".address", "localhost:" + ports.grpc(service));
    }
    settings.putAll(overrides);
    return settings;
  }

  private void pollHealth() {
    Rest admin = new Rest(adminPort);
    try {
      await().atMost(READY_WAIT)
          .alias("the process to answer its health check")
          .until(() -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "the process exited with " + process.exitValue() + " while starting\n" + logTail(60));
                }
                try {
                  return admin.get("/healthcheck").timeout(Duration.ofSeconds(5)).send().status() == 200;
                } catch (UncheckedIOException notYet) {
                  return false;
                }
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "the process was not healthy within " + READY_WAIT.toSeconds() + " s\n" + logTail(60), e);
    }
  }

  /** Waits until the process's log has a line containing {@code text}. */
  public void awaitLogLine(String text, Duration within) {
    try {
      await().atMost(within)
          .alias("a log line with \"" + text + "\"")
          .until(() -> Files.readString(log()).contains(text));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(e.getMessage() + "\n" + logTail(60), e);
    }
  }

  /** The process's id (it changes at each start). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the JVM as a crash would (SIGKILL); its embedded PostgreSQL is left running, orphaned. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** Asks the process to stop (SIGTERM), as an operator or orchestrator does. */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to end; its exit code. */
  public int awaitExit() {
    try {
      if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "the process did not exit within " + STOP_WAIT.toSeconds() + " s\n" + logTail(40));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Freezes the JVM (SIGSTOP): its ports accept connections, nothing answers. */
  public void freeze() {
    Signals.stop(List.of(process.pid()));
  }

  public void thaw() {
    Signals.resume(List.of(process.pid()));
  }

  /** Kills the process and starts it again on the same ports and data. */
  public void restart() {
    kill();
    start();
  }

  /** A plaintext channel to a service this process hosts; closed with the process. */
  public synchronized ManagedChannel channel(String service) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", ports.grpc(service)).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  public int grpcPort(String service) {
    return ports.grpc(service);
  }

  public int gatewayPort() {
    return gatewayPort;
  }

  public int adminPort() {
    return adminPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** This process's embedded PostgreSQL. */
  public EmbeddedDatabase database() {
    return new EmbeddedDatabase(dataDirectory);
  }

  public Path log() {
    return workDirectory.resolve("process.log");
  }

  /** The last lines of the process's output, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log());
      return "--- last " + lines + " lines of " + log() + " ---\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Stops the process (SIGTERM, then SIGKILL if it hangs) and whatever PostgreSQL it left behind,
   * so that no test leaves a process running.
   */
  @Override
  public synchronized void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    channels.clear();
    if (process != null && process.isAlive()) {
      Signals.resume(List.of(process.pid()));
      process.destroy();
      try {
        if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Optional<ProcessHandle> orphan = database().postmaster();
    if (orphan.isPresent()) {
      Signals.resume(database().processes());
      orphan.get().destroy();
      orphan.get().onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    keepLog();
    deleteRecursively(workDirectory);
  }

  /** The process's output outlives it under target/process-logs, for a look after a failure. */
  private void keepLog() {
    Path kept = Path.of("target", "process-logs");
    if (Files.isDirectory(kept.getParent()) && Files.exists(log())) {
      String name = workDirectory.getFileName() + "-" + target.replace(',', '+');
      try {
        Files.createDirectories(kept);
        Files.copy(log(), kept.resolve(name + ".log"), StandardCopyOption.REPLACE_EXISTING);
        Path postgresLogs = dataDirectory.resolve("log");
        if (Files.isDirectory(postgresLogs)) {
          try (var logs = Files.list(postgresLogs)) {
            for (Path log : logs.toList()) {
              Files.copy(
                  log,
                  kept.resolve(name + "-" + log.getFileName()),
                  StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      } catch (IOException e) {
        // only a convenience
      }
    }
  }

  private static void deleteRecursively(Path directory) {
    try (var paths = Files.walk(directory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing a test for
    }
  }
}
