package dev.library.runtime.errors;

import java.util.List;
import java.util.Map;

/**
 * Fields of the request break their rules (INVALID_ARGUMENT with a {@code google.rpc.BadRequest}
 * naming each field). Built by {@link FieldViolations}, which keeps what is listed small enough to
 * travel in gRPC trailers however many fields are wrong.
 */
public final class InvalidInputException extends DomainException {
  public static final String REASON = "INVALID_FIELDS";

  /** One broken field rule. */
  public record Violation(String field, String description) {}

  private final List<Violation> violations;
  private final int unlisted;

  InvalidInputException(String message, List<Violation> violations, int unlisted) {
    super(REASON, message, Map.of("fields", fields(violations, unlisted)), null);
    this.violations = List.copyOf(violations);
    this.unlisted = unlisted;
  }

  /** The violations listed (at most {@link FieldViolations#MAX_LISTED}). */
  public List<Violation> violations() {
    return violations;
  }

  /** How many more violations there were than are listed. */
  public int unlisted() {
    return unlisted;
  }

  private static String fields(List<Violation> violations, int unlisted) {
    String names =
        String.join(
            ",", violations.stream().map(Violation::field).distinct().toList());
    return unlisted > 0 ? names + ",…" : names;
  }
}
