package dev.library.runtime.observe;

import java.time.Duration;

/**
 * The latency histogram buckets of every duration metric: fixed, so series from every process
 * can be summed, and few, so a histogram per method and status stays cheap to scrape.
 */
public final class Buckets {
  static final Duration[] LATENCY = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private Buckets() {}

  /** A copy of {@link #LATENCY}, for meters of other modules (the gateway's). */
  public static Duration[] latency() {
    return LATENCY.clone();
  }
}
