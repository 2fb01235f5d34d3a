package dev.library.bench.report;

/**
 * performance.md: the README's "Performance" section made from a run, so that after a full run
 * the section can be replaced as a whole rather than edited by hand.
 */
public final class PerformanceSection {
  private PerformanceSection() {}

  public static String render(RunReport run) {
    StringBuilder md = new StringBuilder();
    md.append("## Performance\n\n");
    md.append(
        "`make bench` starts the whole system (the four services and the REST gateway in one process, "
            + "on an embedded PostgreSQL or the server given with `--jdbc-url`), loads a generated catalog "
            + "and runs each workload side by side with its limit: REST through the gateway against direct "
            + "gRPC, the Borrow/Return RPCs against `pgbench` running the same SQL on the same PostgreSQL, "
            + "an empty RPC against the load generator itself. The figures to read are the **ratios**: the "
            + "load generator, the services and PostgreSQL share the machine's cores, so absolute numbers "
            + "move from run to run, while the two sides of a ratio ran back to back under the same "
            + "conditions.\n\n");
    md.append("Latest ").append(run.mode()).append(" run: ").append(run.startedAt()).append(", ")
        .append(Math.round(run.durationSeconds() / 60.0)).append(" min, on ").append(run.machine())
        .append(". Reproduce with `").append(run.command()).append("` (`make bench ARGS=--quick` or ")
        .append("`make bench-quick` for the 3-minute version); each run writes `results.md`, ")
        .append("`results.json` and `chart.svg` to `bench-results/<time>-<mode>/`.\n\n");
    md.append("| setup | |\n|---|---|\n");
    run.setup().forEach((key, value) -> md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n"));
    if (!run.goals().isEmpty()) {
      md.append("\n### Goals\n\n");
      md.append("Each goal decided from this run's own figures; \"not measured\" says what the run lacked.\n\n");
      MarkdownReport.goalsTable(md, run.goals());
    }
    md.append("\n### Headline ratios and checks\n\n");
    MarkdownReport.findingsTable(md, run.headlines());
    md.append("\n### All measurements\n\n");
    md.append("Closed-loop clients; warm-up excluded; latencies of successful requests (HdrHistogram); ")
        .append("errors counted by status.\n\n");
    md.append("| workload | variant | clients | ok | ops/s | p50 ms | p99 ms | p99.9 ms | errors |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (WorkloadReport workload : run.workloads()) {
      for (Measurement m : workload.measurements()) {
        var r = m.result();
        md.append("| ").append(workload.id()).append(" | ").append(m.variant()).append(" | ")
            .append(m.concurrency()).append(" | ").append(r.ok()).append(" | ")
            .append(Format.rate(r.opsPerSecond())).append(" | ").append(Format.ms(r.p50Ms()))
            .append(" | ").append(Format.ms(r.p99Ms())).append(" | ").append(Format.ms(r.p999Ms()))
            .append(" | ").append(Format.errors(r.errors()).replace("|", "\\|")).append(" |\n");
      }
    }
    md.append("\nWhat each workload does and every finding are in that run's `results.md`.\n");
    return md.toString();
  }
}
