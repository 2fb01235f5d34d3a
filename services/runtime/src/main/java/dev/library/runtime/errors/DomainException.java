package dev.library.runtime.errors;

import java.util.Map;

/**
 * A request the library refuses, in the domain's terms: the core of every service throws only
 * these (never a transport status), and one place in the runtime turns them into gRPC statuses
 * with {@code google.rpc} details. Each carries a stable UPPER_SNAKE {@link #reason()} that
 * clients can act on without parsing the message, and metadata naming what it is about.
 *
 * <p>These are outcomes, not bugs: no stack trace is captured.
 */
public abstract sealed class DomainException extends RuntimeException
    permits InvalidInputException,
        NotFoundException,
        AlreadyExistsException,
        RuleBrokenException,
        NotAllowedException,
        UnauthenticatedException,
        UnavailableException,
        TimedOutException,
        ThrottledException {
  private final String reason;
  private final Map<String, String> metadata;

  protected DomainException(
      String reason, String message, Map<String, String> metadata, Throwable cause) {
    super(message, cause, false, false);
    if (!reason.matches("[A-Z][A-Z0-9_]*[A-Z0-9]")) {
      throw new IllegalArgumentException("reason must be UPPER_SNAKE_CASE: " + reason);
    }
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  /** The stable, machine-readable reason ({@code google.rpc.ErrorInfo.reason}). */
  public String reason() {
    return reason;
  }

  /** What the refusal is about, e.g. {@code book_id} ({@code google.rpc.ErrorInfo.metadata}). */
  public Map<String, String> metadata() {
    return metadata;
  }
}
