package dev.library.runtime.errors;

import com.google.rpc.BadRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects every broken rule of a request, so one INVALID_ARGUMENT tells the caller all that is
 * wrong at once. The status message lists {@code field: problem}; the {@code google.rpc.BadRequest}
 * detail carries the same pairs for programs.
 */
public final class FieldViolations {
  private final List<BadRequest.FieldViolation> violations = new ArrayList<>();

  public FieldViolations add(String field, String description) {
    violations.add(
        BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build());
    return this;
  }

  /** Adds the violation when {@code broken} holds. */
  public FieldViolations check(boolean broken, String field, String description) {
    return broken ? add(field, description) : this;
  }

  public boolean isEmpty() {
    return violations.isEmpty();
  }

  public StatusRuntimeException toException() {
    String message =
        violations.stream()
            .map(v -> v.getField() + ": " + v.getDescription())
            .collect(Collectors.joining("; "));
    return ApiErrors.invalidArgument(
        BadRequest.newBuilder().addAllFieldViolations(violations).build(), message);
  }

  public void throwIfAny() {
    if (!violations.isEmpty()) {
      throw toException();
    }
  }
}
