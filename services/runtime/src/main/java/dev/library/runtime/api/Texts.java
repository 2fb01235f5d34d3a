package dev.library.runtime.api;

import dev.library.runtime.errors.FieldViolations;

/** Checks for the free-text fields of requests: trimmed, bounded, and required where needed. */
public final class Texts {
  private Texts() {}

  /** Trimmed value of a required field, recording a violation when empty or too long. */
  public static String required(String field, String value, int maxLength, FieldViolations out) {
    String trimmed = value == null ? "" : value.strip();
    if (trimmed.isEmpty()) {
      out.add(field, "is required");
    } else {
      checkLength(field, trimmed, maxLength, out);
    }
    return trimmed;
  }

  /** Trimmed value of an optional field, recording a violation when too long. */
  public static String optional(String field, String value, int maxLength, FieldViolations out) {
    String trimmed = value == null ? "" : value.strip();
    checkLength(field, trimmed, maxLength, out);
    return trimmed;
  }

  /**
   * A LIKE pattern matching {@code text} anywhere, with LIKE's own wildcards in the text escaped
   * (so a search for "100%" finds "100%", not everything starting with "100").
   */
  public static String containsPattern(String text) {
    String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return "%" + escaped + "%";
  }

  private static void checkLength(String field, String value, int maxLength, FieldViolations out) {
    if (value.codePointCount(0, value.length()) > maxLength) {
      out.add(field, "must be at most " + maxLength + " characters");
    }
  }
}
