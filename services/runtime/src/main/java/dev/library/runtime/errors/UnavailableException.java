package dev.library.runtime.errors;

import java.util.Map;

/**
 * Something the request needs is down or overloaded: another service, the database, the pool
 * (UNAVAILABLE). Nothing was changed unless the RPC's documentation says otherwise; the call may
 * be retried.
 */
public final class UnavailableException extends DomainException {
  public UnavailableException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata, null);
  }

  public UnavailableException(String reason, String message, Throwable cause) {
    super(reason, message, Map.of(), cause);
  }

  /** The named dependency ({@code author}, {@code database}) cannot be reached. */
  public static UnavailableException dependency(String dependency) {
    return new UnavailableException(
        dependency.toUpperCase(java.util.Locale.ROOT) + "_UNAVAILABLE",
        "the " + dependency + " service is unavailable; retry later",
        Map.of("dependency", dependency));
  }
}
