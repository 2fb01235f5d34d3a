package dev.library.runtime.errors;

import java.time.Duration;
import java.util.Map;

/**
 * Too many attempts: the caller must wait before trying again (RESOURCE_EXHAUSTED with a {@code
 * google.rpc.RetryInfo}; HTTP 429 with {@code Retry-After}).
 */
public final class ThrottledException extends DomainException {
  private final Duration retryAfter;

  public ThrottledException(
      String reason, String message, Duration retryAfter, Map<String, String> metadata) {
    super(reason, message, metadata, null);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
