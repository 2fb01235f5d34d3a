package dev.library.bench.pg;

import dev.library.bench.load.LatencyHistogram;
import dev.library.bench.load.LoadResult;
import dev.library.bench.system.Directories;
import dev.library.bench.system.PostgresAddress;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * PostgreSQL's own load generator, as the physical limit of a workload: a custom script run by
 * {@code pgbench} (Debian's postgresql-client; zonky's embedded binaries ship no client tools)
 * against the same server and database as the service. Its per-transaction log (-l) goes into the
 * same kind of histogram as the bench's own measurements, so both sides report alike.
 */
public final class PgBench {
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

  private final Path executable;

  private PgBench(Path executable) {
    this.executable = executable;
  }

  /** pgbench from PATH, if installed. */
  public static Optional<PgBench> find() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "pgbench");
      if (Files.isExecutable(candidate)) {
        return Optional.of(new PgBench(candidate));
      }
    }
    return Optional.empty();
  }

  /** e.g. "pgbench (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)". */
  public String version() {
    try {
      return run(List.of(executable.toString(), "--version"), Map.of(), Duration.ofSeconds(10)).output().trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  public String executable() {
    return executable.toString();
  }

  /** A script from this package's resources, copied where pgbench can read it. */
  public static Path script(String resource, Path workDirectory) throws IOException {
    try (InputStream in = PgBench.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing resource " + resource);
      }
      Path file = workDirectory.resolve(resource);
      Files.write(file, in.readAllBytes());
      return file;
    }
  }

  /**
   * Runs {@code clients} pgbench clients for {@code duration} (prepared statements, like the
   * JDBC driver's server-side statements for repeated queries). With {@code measure}, the
   * transactions' latencies are read back from pgbench's log; without, it is a warm-up.
   */
  public LoadResult run(
      PostgresAddress database,
      Path script,
      int clients,
      Duration duration,
      Map<String, String> variables,
      Path workDirectory,
      boolean measure)
      throws IOException {
    return run(database, script, clients, duration, variables, Map.of(), workDirectory, measure);
  }

  /**
   * As {@link #run(PostgresAddress, Path, int, Duration, Map, Path, boolean)}, with server
   * settings for pgbench's sessions (PGOPTIONS), such as {@code synchronous_commit}.
   */
  public LoadResult run(
      PostgresAddress database,
      Path script,
      int clients,
      Duration duration,
      Map<String, String> variables,
      Map<String, String> sessionSettings,
      Path workDirectory,
      boolean measure)
      throws IOException {
    Path logs = Files.createTempDirectory(workDirectory, "pgbench-log-");
    List<String> command = new ArrayList<>(List.of(
        executable.toString(), "-n", "-M", "prepared",
        "-c", Integer.toString(clients),
        "-j", Integer.toString(Math.min(clients, Runtime.getRuntime().availableProcessors())),
        "-T", Long.toString(Math.max(1, duration.toSeconds())),
        "-f", script.toString(),
        "-h", database.host(), "-p", Integer.toString(database.port()), "-U", database.user()));
    variables.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
    if (measure) {
      command.addAll(List.of("-l", "--log-prefix=" + logs.resolve("tx")));
    }
    command.add(database.database());
    Map<String, String> environment = new TreeMap<>();
    environment.put("PGPASSWORD", database.password());
    if (!sessionSettings.isEmpty()) {
      StringBuilder options = new StringBuilder();
      sessionSettings.forEach((name, value) -> options.append(" -c ").append(name).append('=').append(value));
      environment.put("PGOPTIONS", options.toString().trim());
    }
    Outcome outcome = run(command, environment, duration.plusSeconds(60));
    try {
      Map<String, Long> errors = new TreeMap<>();
      Matcher failed = FAILED.matcher(outcome.output());
      if (failed.find() && Long.parseLong(failed.group(1)) > 0) {
        errors.put("FAILED_TRANSACTIONS", Long.parseLong(failed.group(1)));
      }
      if (outcome.exitCode() != 0) {
        errors.put("PGBENCH_EXIT_" + outcome.exitCode(), 1L);
      }
      Matcher tps = TPS.matcher(outcome.output());
      if (!tps.find()) {
        throw new IOException("pgbench printed no tps:\n" + outcome.output());
      }
      Histogram latencies = measure ? readLog(logs) : LatencyHistogram.create();
      return LoadResult.of(latencies, duration.toNanos() / 1e9, Double.parseDouble(tps.group(1)), errors);
    } finally {
      Directories.deleteTree(logs);
    }
  }

  /** Lines "client tx_no time_us script epoch epoch_us ...": time_us is the latency. */
  private static Histogram readLog(Path logs) throws IOException {
    Histogram histogram = LatencyHistogram.create();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length >= 3 && fields[2].chars().allMatch(Character::isDigit)) {
            LatencyHistogram.recordNanos(histogram, TimeUnit.MICROSECONDS.toNanos(Long.parseLong(fields[2])));
          }
        }
      }
    }
    return histogram;
  }

  private record Outcome(int exitCode, String output) {}

  private static Outcome run(List<String> command, Map<String, String> environment, Duration limit)
      throws IOException {
    // Output goes to a file: a pipe nobody reads while pgbench runs could fill up and stall it.
    Path output = Files.createTempFile("pgbench-", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("pgbench did not finish within " + limit);
      }
      return new Outcome(process.exitValue(), Files.readString(output));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
