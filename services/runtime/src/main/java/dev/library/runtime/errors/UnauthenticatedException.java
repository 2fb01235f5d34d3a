package dev.library.runtime.errors;

import java.util.Map;

/** The caller did not prove who they are: no, bad or revoked credentials (UNAUTHENTICATED). */
public final class UnauthenticatedException extends DomainException {
  public UnauthenticatedException(String reason, String message) {
    super(reason, message, Map.of(), null);
  }
}
