package dev.library.bench.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one measurement saw: successful requests per second over the measured window, latency
 * percentiles of the successful requests (ms), and every other outcome counted by status.
 */
public record LoadResult(
    long ok,
    double seconds,
    double opsPerSecond,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    Map<String, Long> errors) {

  public static LoadResult of(Histogram latencies, double seconds, Map<String, Long> errors) {
    long ok = latencies.getTotalCount();
    return of(latencies, seconds, seconds > 0 ? ok / seconds : 0, errors);
  }

  /** With the rate as another tool measured it (pgbench's tps, without connection time). */
  public static LoadResult of(
      Histogram latencies, double seconds, double opsPerSecond, Map<String, Long> errors) {
    long ok = latencies.getTotalCount();
    return new LoadResult(
        ok,
        seconds,
        opsPerSecond,
        millis(latencies, 50),
        millis(latencies, 99),
        millis(latencies, 99.9),
        ok == 0 ? 0 : latencies.getMaxValue() / 1000.0,
        new TreeMap<>(errors));
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
