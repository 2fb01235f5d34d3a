package dev.library.runtime.errors;

import java.util.UUID;
import java.util.regex.Pattern;

/** Resource ids are UUIDs; anything else is INVALID_ARGUMENT before it reaches the database. */
public final class Ids {
  private static final Pattern UUID_TEXT =
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private Ids() {}

  public static boolean isUuid(String value) {
    return value != null && UUID_TEXT.matcher(value).matches();
  }

  /**
   * Parses {@code value} as the UUID in {@code field}, recording a violation (and returning
   * null) when it is not one; for requests that report every bad field at once.
   */
  public static UUID check(String field, String value, FieldViolations violations) {
    if (!isUuid(value)) {
      violations.add(field, value == null || value.isEmpty() ? "is required" : "must be a UUID");
      return null;
    }
    return UUID.fromString(value);
  }

  /** Parses {@code value} as the UUID in {@code field}, or throws INVALID_ARGUMENT naming it. */
  public static UUID parse(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw FieldViolations.of(field, "is required");
    }
    if (!isUuid(value)) {
      throw FieldViolations.of(field, "must be a UUID");
    }
    return UUID.fromString(value);
  }
}
