package dev.library.auth.core;

import dev.library.auth.db.ThrottleDao;
import dev.library.auth.db.ThrottleDao.State;
import dev.library.runtime.errors.ThrottledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Password attempts per account and per client address (OWASP ASVS V2.2.1), decided before any
 * bcrypt verification so that a throttled guess costs no CPU.
 *
 * <ul>
 *   <li>Each key allows a few free consecutive failures, then waits 1 s, 2 s, 4 s, … up to {@code
 *       maxDelay} after each further failure. Consecutive failures are forgotten an hour after
 *       the last one; an account's also on its successful login.
 *   <li>An account blocked by backoff still accepts an attempt from an address with no failures
 *       in the last hour: an attacker hammering a member's account does not lock the member out.
 *   <li>Whatever the addresses, an account takes at most {@code accountFailuresPerHour} failures
 *       an hour (ASVS: at most 100); past that it refuses password attempts until the hour ends.
 * </ul>
 *
 * <p>Every method works on the caller's handle: the throttle's statements join the login (or
 * password change) they guard, on its one connection.
 */
public final class LoginThrottle {
  static final Duration MEMORY = Duration.ofHours(1);

  /** The limits; README.md states the defaults. */
  public record Limits(
      int accountFreeFailures, int addressFreeFailures, Duration maxDelay, int accountFailuresPerHour) {}

  private final Limits limits;
  private final Clock clock;

  public LoginThrottle(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Refuses the attempt (RESOURCE_EXHAUSTED with the wait) when a limit says so. */
  public void checkAllowed(Handle handle, String account, String address) {
    ThrottleDao dao = new ThrottleDao(handle);
    Instant now = clock.instant();
    Optional<State> byAddress = dao.find(addressKey(address));
    if (byAddress.isPresent() && byAddress.get().blockedUntil().isAfter(now)) {
      throw throttled(Duration.between(now, byAddress.get().blockedUntil()));
    }
    Optional<State> byAccount = dao.find(accountKey(account));
    if (byAccount.isEmpty()) {
      return;
    }
    State state = byAccount.get();
    Instant hourEnds = state.hourStartedAt().plus(MEMORY);
    if (state.hourFailures() >= limits.accountFailuresPerHour() && hourEnds.isAfter(now)) {
      throw throttled(Duration.between(now, hourEnds));
    }
    if (state.blockedUntil().isAfter(now) && !clean(byAddress, now)) {
      throw throttled(Duration.between(now, state.blockedUntil()));
    }
  }

  /**
   * Counts a failed attempt against the account and the address, inside the caller's transaction
   * (the rows stay locked until it ends). Always the account's row first, then the address's:
   * one lock order, so concurrent failures cannot deadlock.
   */
  public void recordFailure(Handle handle, String account, String address) {
    ThrottleDao dao = new ThrottleDao(handle);
    Instant now = clock.instant();
    dao.update(accountKey(account), now, s -> fail(s, now, limits.accountFreeFailures()));
    dao.update(addressKey(address), now, s -> fail(s, now, limits.addressFreeFailures()));
  }

  /** The account's owner got in: its backoff ends (the address's does not, see the class doc). */
  public void recordSuccess(Handle handle, String account) {
    new ThrottleDao(handle).clearConsecutive(accountKey(account), clock.instant());
  }

  /** Forgets keys with no failure for an hour. */
  public int purge(Handle handle) {
    return new ThrottleDao(handle).deleteIdleSince(clock.instant().minus(MEMORY));
  }

  private State fail(State s, Instant now, int free) {
    int consecutive = s.lastFailureAt().isBefore(now.minus(MEMORY)) ? 1 : s.consecutive() + 1;
    boolean newHour = !s.hourStartedAt().plus(MEMORY).isAfter(now);
    Instant hourStart = newHour ? now : s.hourStartedAt();
    int hourFailures = (newHour ? 0 : s.hourFailures()) + 1;
    return new State(
        s.key(), consecutive, now, now.plus(delay(consecutive, free)), hourStart, hourFailures);
  }

  Duration delay(int consecutive, int free) {
    if (consecutive <= free) {
      return Duration.ZERO;
    }
    int doublings = Math.min(consecutive - free - 1, 30);
    Duration delay = Duration.ofSeconds(1L << doublings);
    return delay.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : delay;
  }

  private static boolean clean(Optional<State> address, Instant now) {
    return address.isEmpty()
        || address.get().consecutive() == 0
        || address.get().lastFailureAt().isBefore(now.minus(MEMORY));
  }

  private static ThrottledException throttled(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return new ThrottledException(
        "TOO_MANY_LOGIN_ATTEMPTS",
        "too many failed attempts; retry in " + seconds + " s",
        Duration.ofSeconds(seconds),
        Map.of("retry_after_seconds", Long.toString(seconds)));
  }

  private static String accountKey(String account) {
    return "account:" + account;
  }

  private static String addressKey(String address) {
    return "address:" + address;
  }
}
