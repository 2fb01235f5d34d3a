package dev.library.bench.report;

import java.util.List;
import java.util.Map;

/**
 * results.md: the summary of headline findings, the goals, then every workload's table, findings
 * and notes.
 */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(RunReport run) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results (").append(run.mode()).append(" run)\n\n");
    md.append("Started ").append(run.startedAt()).append(", took ")
        .append(Math.round(run.durationSeconds())).append(" s. Reproduce with `")
        .append(run.command()).append("`.\n\n");
    md.append("Machine: ").append(run.machine()).append(".\n\n");
    md.append("| setup | |\n|---|---|\n");
    for (Map.Entry<String, String> item : run.setup().entrySet()) {
      md.append("| ").append(item.getKey()).append(" | ").append(cell(item.getValue())).append(" |\n");
    }
    md.append("\n## Summary\n\n");
    findingsTable(md, run.headlines());
    if (!run.goals().isEmpty()) {
      md.append("\n## Goals\n\n");
      goalsTable(md, run.goals());
    }
    for (WorkloadReport workload : run.workloads()) {
      md.append("\n## ").append(workload.title()).append("\n\n");
      md.append("_").append(workload.question()).append("_\n\n");
      if (!workload.measurements().isEmpty()) {
        measurementTable(md, workload);
        md.append('\n');
      }
      if (!workload.findings().isEmpty()) {
        findingsTable(md, workload.findings());
      }
      for (String note : workload.notes()) {
        md.append("\n- ").append(note);
      }
      if (!workload.notes().isEmpty()) {
        md.append('\n');
      }
    }
    return md.toString();
  }

  static void findingsTable(StringBuilder md, List<Finding> findings) {
    md.append("| finding | value | what it means |\n|---|---|---|\n");
    for (Finding finding : findings) {
      md.append("| ").append(cell(finding.name())).append(" | **").append(cell(finding.value()))
          .append("** | ").append(cell(finding.meaning())).append(" |\n");
    }
  }

  static void goalsTable(StringBuilder md, List<GoalResult> goals) {
    md.append("| measure | goal | measured | |\n|---|---|---|---|\n");
    for (GoalResult goal : goals) {
      String status =
          goal.status() == GoalResult.Status.NOT_MEASURED
              ? goal.status().label() + ": " + goal.reason()
              : "**" + goal.status().label() + "**";
      md.append("| ").append(cell(goal.measure())).append(" | ").append(cell(goal.goal())).append(" | ")
          .append(cell(goal.measured())).append(" | ").append(cell(status)).append(" |\n");
    }
  }

  static void measurementTable(StringBuilder md, WorkloadReport workload) {
    md.append("| variant | clients | ok | ops/s | p50 ms | p99 ms | p99.9 ms | errors |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Measurement m : workload.measurements()) {
      var r = m.result();
      md.append("| ").append(cell(m.variant())).append(" | ").append(m.concurrency())
          .append(" | ").append(r.ok()).append(" | ").append(Format.rate(r.opsPerSecond()))
          .append(" | ").append(Format.ms(r.p50Ms())).append(" | ").append(Format.ms(r.p99Ms()))
          .append(" | ").append(Format.ms(r.p999Ms())).append(" | ")
          .append(cell(Format.errors(r.errors()))).append(" |\n");
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
