package dev.library.bench.report;

import dev.library.bench.system.Machine;
import java.util.List;
import java.util.Map;

/**
 * A whole run: how it was made (mode, the command that reproduces it, machine, versions and
 * settings), each workload's report, and the performance goals decided from them.
 */
public record RunReport(
    String mode,
    String command,
    String startedAt,
    double durationSeconds,
    Machine machine,
    Map<String, String> setup,
    List<WorkloadReport> workloads,
    List<GoalResult> goals) {

  public List<Finding> headlines() {
    return workloads.stream().flatMap(w -> w.findings().stream()).filter(Finding::headline).toList();
  }
}
