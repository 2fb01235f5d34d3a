package dev.library.runtime.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.library.runtime.errors.AlreadyExistsException;
import dev.library.runtime.errors.DomainException;
import dev.library.runtime.errors.InvalidInputException;
import dev.library.runtime.errors.NotAllowedException;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.RuleBrokenException;
import dev.library.runtime.errors.ThrottledException;
import dev.library.runtime.errors.TimedOutException;
import dev.library.runtime.errors.UnauthenticatedException;
import dev.library.runtime.errors.UnavailableException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The one translation of the domain's refusals into gRPC statuses (AIP-193): the code stands for
 * the kind of refusal, the message is written for people, and the details are for programs: a
 * {@code google.rpc.ErrorInfo} with the stable reason on every error, a {@code BadRequest} for
 * field violations, a {@code RetryInfo} when the caller must wait.
 */
public final class StatusMapping {
  /** {@code ErrorInfo.domain} of every error the library's services raise. */
  public static final String DOMAIN = "library.dev";

  private StatusMapping() {}

  public static StatusRuntimeException toStatus(DomainException e) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code(e).getNumber()).setMessage(e.getMessage());
    if (e instanceof InvalidInputException invalid) {
      BadRequest.Builder bad = BadRequest.newBuilder();
      invalid
          .violations()
          .forEach(
              v ->
                  bad.addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField(v.field())
                          .setDescription(v.description())));
      if (invalid.unlisted() > 0) {
        bad.addFieldViolations(
            BadRequest.FieldViolation.newBuilder()
                .setField("")
                .setDescription("and " + invalid.unlisted() + " more violations not listed"));
      }
      status.addDetails(Any.pack(bad.build()));
    }
    status.addDetails(
        Any.pack(
            ErrorInfo.newBuilder()
                .setReason(e.reason())
                .setDomain(DOMAIN)
                .putAllMetadata(e.metadata())
                .build()));
    if (e instanceof ThrottledException throttled) {
      status.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(
                      com.google.protobuf.Duration.newBuilder()
                          .setSeconds(Math.max(1, throttled.retryAfter().toSeconds())))
                  .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  static Code code(DomainException e) {
    if (e instanceof InvalidInputException) {
      return Code.INVALID_ARGUMENT;
    } else if (e instanceof NotFoundException) {
      return Code.NOT_FOUND;
    } else if (e instanceof AlreadyExistsException) {
      return Code.ALREADY_EXISTS;
    } else if (e instanceof RuleBrokenException) {
      return Code.FAILED_PRECONDITION;
    } else if (e instanceof NotAllowedException) {
      return Code.PERMISSION_DENIED;
    } else if (e instanceof UnauthenticatedException) {
      return Code.UNAUTHENTICATED;
    } else if (e instanceof UnavailableException) {
      return Code.UNAVAILABLE;
    } else if (e instanceof TimedOutException) {
      return Code.DEADLINE_EXCEEDED;
    } else if (e instanceof ThrottledException) {
      return Code.RESOURCE_EXHAUSTED;
    }
    throw new IllegalArgumentException("unmapped " + e.getClass());
  }
}
