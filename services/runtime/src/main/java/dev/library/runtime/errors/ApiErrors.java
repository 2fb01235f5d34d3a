package dev.library.runtime.errors;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The library's error vocabulary. Messages are written for the caller: they name the field or
 * resource, never carry SQL, stack traces or secrets.
 */
public final class ApiErrors {
  private ApiErrors() {}

  /** INVALID_ARGUMENT for one field, with a {@code google.rpc.BadRequest} detail naming it. */
  public static StatusRuntimeException invalidArgument(String field, String description) {
    return new FieldViolations().add(field, description).toException();
  }

  static StatusRuntimeException invalidArgument(BadRequest badRequest, String message) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(message)
            .addDetails(Any.pack(badRequest))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  public static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException alreadyExists(String message) {
    return Status.ALREADY_EXISTS.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException unauthenticated(String message) {
    return Status.UNAUTHENTICATED.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException permissionDenied(String message) {
    return Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException unavailable(String message) {
    return Status.UNAVAILABLE.withDescription(message).asRuntimeException();
  }
}
