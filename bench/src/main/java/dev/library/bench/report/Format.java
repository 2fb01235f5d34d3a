package dev.library.bench.report;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How numbers read in the reports: few digits, since a 2-core shared machine is noisy. */
public final class Format {
  private Format() {}

  public static String ms(double millis) {
    if (millis >= 100) {
      return String.format(Locale.ROOT, "%.0f", millis);
    }
    if (millis >= 10) {
      return String.format(Locale.ROOT, "%.1f", millis);
    }
    return String.format(Locale.ROOT, "%.2f", millis);
  }

  public static String rate(double perSecond) {
    return perSecond >= 100
        ? String.format(Locale.ROOT, "%.0f", perSecond)
        : String.format(Locale.ROOT, "%.1f", perSecond);
  }

  /** A ratio, e.g. {@code 0.42×}; "n/a" when the denominator is zero. */
  public static String ratio(double numerator, double denominator) {
    if (denominator == 0) {
      return "n/a";
    }
    double r = numerator / denominator;
    return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
  }

  public static String errors(Map<String, Long> errors) {
    if (errors.isEmpty()) {
      return "0";
    }
    return errors.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** 10000 → 10k, 1000000 → 1M. */
  public static String count(long n) {
    if (n >= 1_000_000 && n % 1_000_000 == 0) {
      return n / 1_000_000 + "M";
    }
    if (n >= 1_000 && n % 1_000 == 0) {
      return n / 1_000 + "k";
    }
    return Long.toString(n);
  }
}
