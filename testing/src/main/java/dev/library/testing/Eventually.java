package dev.library.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Waiting for something another thread or process brings about (a relay delivers, a process
 * becomes healthy, a key rotates in): the one way the tests poll until a deadline.
 *
 * <pre>{@code
 * Eventually.within(Duration.ofSeconds(30)).until("the outbox drained", () -> pending() == 0);
 * Hold hold = Eventually.within(PATIENCE).get("the hold ready", () -> hold(id), h -> h.getStatus() == READY);
 * }</pre>
 *
 * <p>It polls at once, then after pauses that double from 10 ms up to {@link #pausingAtMost}
 * (100 ms unless told): a condition met quickly is seen quickly, and a slow one is not hammered.
 * When the deadline passes it fails with {@link TimedOut}, an {@link AssertionError} whose message
 * names what was awaited, the limit and the last value (or exception) seen. An exception from the
 * probe fails the wait at once, unless it is one {@link #ignoring} names as "not yet".
 */
public final class Eventually {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
  private static final Duration DEFAULT_LONGEST_PAUSE = Duration.ofMillis(100);

  private final Duration limit;
  private final Duration longestPause;
  private final Predicate<? super Exception> notYet;

  private Eventually(Duration limit, Duration longestPause, Predicate<? super Exception> notYet) {
    this.limit = limit;
    this.longestPause = longestPause;
    this.notYet = notYet;
  }

  /** Waits of at most {@code limit}. */
  public static Eventually within(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the limit must be positive: " + limit);
    }
    return new Eventually(limit, DEFAULT_LONGEST_PAUSE, e -> false);
  }

  /** The longest pause between polls, for probes too costly to run ten times a second. */
  public Eventually pausingAtMost(Duration longestPause) {
    if (longestPause.isNegative() || longestPause.isZero()) {
      throw new IllegalArgumentException("the pause must be positive: " + longestPause);
    }
    return new Eventually(limit, longestPause, notYet);
  }

  /** Exceptions from the probe that mean "not yet" (say, a server still starting). */
  public Eventually ignoring(Predicate<? super Exception> notYet) {
    return new Eventually(limit, longestPause, Objects.requireNonNull(notYet));
  }

  /** Waits until {@code condition} holds. */
  public void until(String awaited, Condition condition) {
    get(awaited, condition::holds, Boolean::booleanValue);
  }

  /** Waits until {@code probe} returns a value {@code accepted} takes; returns that value. */
  public <T> T get(String awaited, Probe<T> probe, Predicate<? super T> accepted) {
    return poll(
        awaited,
        () -> {
          T value = probe.get();
          return accepted.test(value) ? new Seen<>(value, true) : new Seen<>(value, false);
        });
  }

  /**
   * Waits until {@code check} passes: an {@link AssertionError} from it means "not yet", and the
   * last one is the cause of the failure.
   */
  public void untilAsserted(String awaited, Check check) {
    poll(
        awaited,
        () -> {
          try {
            check.run();
            return new Seen<>(null, true);
          } catch (AssertionError notYet) {
            return new Seen<>(notYet, false);
          }
        });
  }

  private <T> T poll(String awaited, Probe<Seen<T>> attempt) {
    long deadline = System.nanoTime() + limit.toNanos();
    Duration pause = FIRST_PAUSE;
    Object last = "nothing (the probe never answered)";
    Throwable cause = null;
    while (true) {
      try {
        Seen<T> seen = attempt.get();
        if (seen.accepted()) {
          return seen.value();
        }
        last = seen.value();
        cause = seen.value() instanceof Throwable t ? t : null;
      } catch (Exception e) {
        if (!notYet.test(e)) {
          // Named, so that the failure says which wait it broke.
          throw new IllegalStateException("failed while waiting for " + awaited, e);
        }
        last = e;
        cause = e;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimedOut(awaited, limit, last, cause);
      }
      LockSupport.parkNanos(Math.min(pause.toNanos(), left));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + awaited);
      }
      pause = min(pause.multipliedBy(2), longestPause);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private record Seen<T>(T value, boolean accepted) {}

  /** A condition that may throw (SQL, I/O, gRPC). */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** What is looked at on each poll. */
  @FunctionalInterface
  public interface Probe<T> {
    T get() throws Exception;
  }

  /** Assertions that fail until the awaited state is reached. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /** The deadline passed: what was awaited, within what, and what was seen last. */
  public static final class TimedOut extends AssertionError {
    private TimedOut(String awaited, Duration limit, Object last, Throwable cause) {
      super("waited " + describe(limit) + " for " + awaited + "; last seen: " + last, cause);
    }

    private static String describe(Duration limit) {
      return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    }
  }
}
