package dev.library.gateway;

import io.grpc.Metadata;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The time an upstream call may take: the caller's grpc-timeout, capped by the gateway's own. */
final class Deadlines {
  static final Metadata.Key<String> GRPC_TIMEOUT =
      Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

  private final long maxNanos;

  Deadlines(Duration requestTimeout) {
    this.maxNanos = requestTimeout.toNanos();
  }

  /** Nanoseconds the upstream call may take. */
  long timeoutNanos(Metadata incoming) {
    return callerTimeoutNanos(incoming.get(GRPC_TIMEOUT))
        .map(caller -> Math.min(caller, maxNanos))
        .orElse(maxNanos);
  }

  /**
   * A grpc-timeout value ("100m", "30S"): up to 8 digits and a unit. A malformed value is
   * ignored rather than failing the call, as the gateway's own limit still applies.
   */
  static Optional<Long> callerTimeoutNanos(String header) {
    if (header == null || header.length() < 2 || header.length() > 9) {
      return Optional.empty();
    }
    String digits = header.substring(0, header.length() - 1);
    if (!digits.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    long amount = Long.parseLong(digits);
    TimeUnit unit =
        switch (header.charAt(header.length() - 1)) {
          case 'H' -> TimeUnit.HOURS;
          case 'M' -> TimeUnit.MINUTES;
          case 'S' -> TimeUnit.SECONDS;
          case 'm' -> TimeUnit.MILLISECONDS;
          case 'u' -> TimeUnit.MICROSECONDS;
          case 'n' -> TimeUnit.NANOSECONDS;
          default -> null;
        };
    return unit == null ? Optional.empty() : Optional.of(unit.toNanos(amount));
  }
}
