package dev.library.bench.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** The HdrHistogram settings every measurement shares: microseconds, 1 µs to 5 min, 3 digits. */
public final class LatencyHistogram {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(5);

  private LatencyHistogram() {}

  public static Histogram create() {
    return new Histogram(1, HIGHEST_MICROS, 3);
  }

  /** Records a latency measured in nanoseconds, clamped into the trackable range. */
  public static void recordNanos(Histogram histogram, long nanos) {
    long micros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos));
    histogram.recordValue(Math.min(micros, HIGHEST_MICROS));
  }
}
