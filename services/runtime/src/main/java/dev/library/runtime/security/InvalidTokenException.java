package dev.library.runtime.security;

/** An access token that must be refused; the message is safe to show the caller. */
public final class InvalidTokenException extends Exception {
  public InvalidTokenException(String message) {
    super(message);
  }
}
