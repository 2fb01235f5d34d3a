package dev.library.runtime.errors;

import java.util.Map;

/** The work did not finish within its time limit (DEADLINE_EXCEEDED); it was not committed. */
public final class TimedOutException extends DomainException {
  public TimedOutException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata, null);
  }
}
