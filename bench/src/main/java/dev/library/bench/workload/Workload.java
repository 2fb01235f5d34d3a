package dev.library.bench.workload;

import dev.library.bench.report.WorkloadReport;

/** One benchmark question, answered by measurements taken side by side in one run. */
public interface Workload {
  /** Short name, used by {@code --only} and in the chart. */
  String id();

  WorkloadReport run(BenchContext context) throws Exception;
}
