package dev.library.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a run does, from the command line. Two modes: the full suite (every catalog size up to 1M
 * books, long windows; under 20 minutes on 2 cores) and {@code --quick} (short windows, catalog
 * sizes 10k and 100k only; under 3 minutes).
 */
public record BenchConfig(
    boolean quick,
    Duration warmUp,
    Duration measured,
    Duration queryWarmUp,
    Duration queryMeasured,
    List<Integer> edgeConcurrency,
    List<Integer> borrowConcurrency,
    int hotBookClients,
    int hotBookCopies,
    int hotBookRounds,
    List<Integer> catalogSizes,
    int fanOutPages,
    List<Integer> loginConcurrency,
    long seed,
    Optional<String> jdbcUrl,
    String dbUser,
    String dbPassword,
    Path resultsRoot,
    Path processConfig,
    Set<String> only) {

  static final String USAGE =
      """
      usage: BenchMain [--quick] [--jdbc-url URL [--db-user U] [--db-password P]]
                       [--results DIR] [--config FILE] [--seed N] [--only w1,w2]
        --quick        short windows, catalog sizes 10k and 100k (under 3 minutes)
        --jdbc-url     a PostgreSQL server to use instead of the embedded one (any database on it,
                       e.g. jdbc:postgresql://localhost:5432/postgres); the bench creates and
                       afterwards drops library_bench_<service> databases there
        --results      where result folders go (default bench-results)
        --config       the process configuration whose bcrypt cost is used (default config/all.yml)
        --seed         seed of the generated catalog (default 42)
        --only         run only these workloads: %s
      """;

  public static BenchConfig parse(String... args) {
    boolean quick = false;
    String jdbcUrl = null;
    String user = "";
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    Path results = Path.of("bench-results");
    Path config = Path.of("config", "all.yml");
    long seed = 42;
    Set<String> only = new TreeSet<>();
    List<String> words = new ArrayList<>();
    // `make bench ARGS="--quick --seed 7"` may arrive as one argument: split on blanks.
    for (String arg : args) {
      words.addAll(Arrays.stream(arg.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList());
    }
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
      boolean inline = word.contains("=");
      switch (name) {
        case "--quick" -> quick = true;
        case "--help", "-h" -> throw new UsageException("");
        case "--jdbc-url", "--db-user", "--db-password", "--results", "--config", "--seed", "--only" -> {
          String value;
          if (inline) {
            value = word.substring(word.indexOf('=') + 1);
          } else if (i + 1 < words.size()) {
            value = words.get(++i);
          } else {
            throw new UsageException(name + " needs a value");
          }
          switch (name) {
            case "--jdbc-url" -> jdbcUrl = value;
            case "--db-user" -> user = value;
            case "--db-password" -> password = value;
            case "--results" -> results = Path.of(value);
            case "--config" -> config = Path.of(value);
            case "--seed" -> seed = Long.parseLong(value);
            default -> only.addAll(Arrays.asList(value.split(",")));
          }
        }
        default -> throw new UsageException("unknown argument " + word);
      }
    }
    return quick
        ? new BenchConfig(
            true, seconds(2), seconds(3), seconds(1), seconds(2),
            List.of(1, 16, 64), List.of(16), 64, 10, 3, List.of(10_000, 100_000), 20,
            List.of(1, 2), seed, Optional.ofNullable(jdbcUrl), user, password, results, config, only)
        : new BenchConfig(
            false, seconds(5), seconds(15), seconds(2), seconds(8),
            List.of(1, 16, 64), List.of(1, 16), 64, 10, 10, List.of(10_000, 100_000, 1_000_000), 100,
            List.of(1, 2), seed, Optional.ofNullable(jdbcUrl), user, password, results, config, only);
  }

  private static Duration seconds(long n) {
    return Duration.ofSeconds(n);
  }

  public String mode() {
    return quick ? "quick" : "full";
  }

  /** Whether a workload is selected (all are, without --only). */
  public boolean runs(String workload) {
    return only.isEmpty() || only.contains(workload);
  }

  /** A command-line mistake: print it with the usage and exit 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    // Keep the database password out of reports and logs.
    return "BenchConfig{mode=" + mode() + ", jdbcUrl=" + jdbcUrl.orElse("<embedded>") + ", seed=" + seed + "}";
  }
}
