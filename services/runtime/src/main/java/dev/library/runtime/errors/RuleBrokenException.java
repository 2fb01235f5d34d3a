package dev.library.runtime.errors;

import java.util.Map;

/**
 * The request is well formed but the library's state does not allow it now: no copy left, the
 * loan limit reached, the loan already returned (FAILED_PRECONDITION). The reason says which
 * rule, so a client can tell a member what to do.
 */
public final class RuleBrokenException extends DomainException {
  public RuleBrokenException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata, null);
  }

  public RuleBrokenException(String reason, String message) {
    this(reason, message, Map.of());
  }
}
