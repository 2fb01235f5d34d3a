package dev.library.runtime.errors;

import java.util.Map;

/** What the request would create exists already (ALREADY_EXISTS). */
public final class AlreadyExistsException extends DomainException {
  public AlreadyExistsException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata, null);
  }

  public AlreadyExistsException(String reason, String message) {
    this(reason, message, Map.of());
  }
}
