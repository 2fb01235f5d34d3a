package dev.library.runtime.errors;

import java.util.Map;

/** The caller is known but may not do this (PERMISSION_DENIED). */
public final class NotAllowedException extends DomainException {
  public NotAllowedException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata, null);
  }

  public NotAllowedException(String reason, String message) {
    this(reason, message, Map.of());
  }
}
