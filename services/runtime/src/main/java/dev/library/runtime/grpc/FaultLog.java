package dev.library.runtime.grpc;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a burst of the same failure as one line, then a count: a database outage under load fails
 * thousands of requests a second, and a stack trace each would bury the log (and the disk).
 */
public final class FaultLog {
  private static final Logger LOG = LoggerFactory.getLogger(FaultLog.class);
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final String what;
  private long windowStart;
  private boolean open;
  private long suppressed;

  /** @param what names the failing thing in each line, e.g. "book database" */
  public FaultLog(String what) {
    this.what = what;
  }

  /** Records one failure; logs it if it opens a burst. */
  public synchronized void record(String reason, Throwable cause) {
    long now = System.nanoTime();
    if (open && now - windowStart < WINDOW_NANOS) {
      suppressed++;
      return;
    }
    if (suppressed > 0) {
      LOG.warn("{}: {} more failures in the last burst", what, suppressed);
    }
    LOG.warn("{}: {} ({}: {})", what, reason, cause.getClass().getSimpleName(), firstLine(cause));
    windowStart = now;
    open = true;
    suppressed = 0;
  }

  private static String firstLine(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
