package dev.library.bench.report;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One goal of the performance table against this run's figures: what is measured, the goal, the
 * figures that decide it, and whether it is met. A goal the run could not decide (a workload not
 * run, a size or concurrency the mode leaves out, pgbench missing) is not measured, with the
 * reason, rather than met or not.
 */
public record GoalResult(String measure, String goal, String measured, Status status, String reason) {

  public enum Status {
    MET("met"),
    NOT_MET("not met"),
    NOT_MEASURED("not measured");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    @JsonValue
    public String label() {
      return label;
    }
  }

  public static GoalResult decided(String measure, String goal, String measured, boolean met) {
    return new GoalResult(measure, goal, measured, met ? Status.MET : Status.NOT_MET, "");
  }

  public static GoalResult notMeasured(String measure, String goal, String measured, String reason) {
    return new GoalResult(measure, goal, measured, Status.NOT_MEASURED, reason);
  }
}
