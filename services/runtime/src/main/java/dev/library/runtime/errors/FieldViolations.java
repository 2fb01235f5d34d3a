package dev.library.runtime.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects every broken rule of a request, so one INVALID_ARGUMENT tells the caller all that is
 * wrong at once. The message lists {@code field: problem}; the {@code google.rpc.BadRequest}
 * detail carries the same pairs for programs.
 *
 * <p>Error details travel in gRPC trailers, which peers cap (8 KiB by default); a request naming
 * hundreds of bad ids must not produce trailers that break the connection for every call on it.
 * So at most {@link #MAX_LISTED} violations are listed, each description bounded, and a last
 * entry says how many more there were.
 */
public final class FieldViolations {
  public static final int MAX_LISTED = 10;
  static final int MAX_DESCRIPTION = 200;

  private final List<InvalidInputException.Violation> violations = new ArrayList<>();
  private int total;

  public FieldViolations add(String field, String description) {
    total++;
    if (violations.size() < MAX_LISTED) {
      violations.add(new InvalidInputException.Violation(field, bounded(description)));
    }
    return this;
  }

  /** Adds the violation when {@code broken} holds. */
  public FieldViolations check(boolean broken, String field, String description) {
    return broken ? add(field, description) : this;
  }

  public boolean isEmpty() {
    return total == 0;
  }

  public InvalidInputException toException() {
    int unlisted = total - violations.size();
    String message =
        violations.stream()
            .map(v -> v.field() + ": " + v.description())
            .collect(Collectors.joining("; "));
    if (unlisted > 0) {
      message += "; and " + unlisted + " more";
    }
    return new InvalidInputException(message, violations, unlisted);
  }

  public void throwIfAny() {
    if (total > 0) {
      throw toException();
    }
  }

  /** INVALID_ARGUMENT for one field. */
  public static InvalidInputException of(String field, String description) {
    return new FieldViolations().add(field, description).toException();
  }

  private static String bounded(String description) {
    return description.length() <= MAX_DESCRIPTION
        ? description
        : description.substring(0, MAX_DESCRIPTION - 1) + "…";
  }
}
