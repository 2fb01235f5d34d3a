package dev.library.runtime.errors;

import java.util.Map;

/** The request names something that does not exist (NOT_FOUND). */
public final class NotFoundException extends DomainException {
  public NotFoundException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata, null);
  }

  public NotFoundException(String reason, String message) {
    this(reason, message, Map.of());
  }
}
