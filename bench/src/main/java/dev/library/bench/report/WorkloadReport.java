package dev.library.bench.report;

import dev.library.bench.load.LoadResult;
import java.util.ArrayList;
import java.util.List;

/** Everything one workload measured and concluded, in the order it happened. */
public record WorkloadReport(
    String id,
    String title,
    String question,
    List<Measurement> measurements,
    List<Finding> findings,
    List<String> notes) {

  /** Collects a workload's rows and prints each as it is measured, so a long run shows progress. */
  public static final class Builder {
    private final String id;
    private final String title;
    private final String question;
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Builder(String id, String title, String question) {
      this.id = id;
      this.title = title;
      this.question = question;
      System.out.printf("%n== %s: %s%n", id, title);
    }

    public LoadResult add(String variant, int concurrency, LoadResult result) {
      measurements.add(new Measurement(variant, concurrency, result));
      System.out.printf(
          "   %-34s c=%-3d %9.1f ops/s  p50 %8.2f ms  p99 %8.2f ms  p99.9 %8.2f ms  n=%d%s%n",
          variant, concurrency, result.opsPerSecond(), result.p50Ms(), result.p99Ms(),
          result.p999Ms(), result.ok(), result.errors().isEmpty() ? "" : "  errors " + result.errors());
      return result;
    }

    public void finding(Finding finding) {
      findings.add(finding);
      System.out.printf("   -> %s: %s%n", finding.name(), finding.value());
    }

    public void note(String note) {
      notes.add(note);
      System.out.printf("   (%s)%n", note);
    }

    public WorkloadReport build() {
      return new WorkloadReport(id, title, question, List.copyOf(measurements), List.copyOf(findings), List.copyOf(notes));
    }
  }
}
