package dev.library.runtime.security;

/**
 * An access token that must be refused; the message is safe to show the caller and the reason
 * ({@code INVALID_TOKEN}, {@code TOKEN_EXPIRED}, ...) is what programs read.
 */
public final class InvalidTokenException extends Exception {
  private final String reason;

  public InvalidTokenException(String message) {
    this("INVALID_TOKEN", message);
  }

  public InvalidTokenException(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
