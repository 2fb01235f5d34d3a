package dev.library.bench.report;

/**
 * A number a workload exists to produce (a ratio measured side by side, a check), with what it
 * means. Headline findings also go into the summary table and the README section; a failed check
 * is a problem, and makes the run exit non-zero.
 */
public record Finding(String name, String value, String meaning, boolean headline, boolean problem) {

  public static Finding headline(String name, String value, String meaning) {
    return new Finding(name, value, meaning, true, false);
  }

  public static Finding detail(String name, String value, String meaning) {
    return new Finding(name, value, meaning, false, false);
  }

  /** A headline check: its value is shown either way, and a failure is also a problem. */
  public static Finding check(String name, boolean passed, String value, String meaning) {
    return new Finding(name, value, meaning, true, !passed);
  }
}
