package dev.library.runtime.testing;

import com.google.rpc.BadRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;

/** What tests check about failed gRPC calls: the code, and the fields a BadRequest names. */
public final class StatusAssertions {
  private StatusAssertions() {}

  /** Runs the call, expecting it to fail; returns the failure. */
  public static StatusRuntimeException failure(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("expected the call to fail, but it succeeded");
  }

  /** The status code of a call: OK when it succeeds. */
  public static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  /**
   * The {@code google.rpc.ErrorInfo} reason of a call's failure ("OK" when it succeeds, "" when
   * the failure carries none): what clients branch on.
   */
  public static String reason(Runnable call) {
    try {
      call.run();
      return "OK";
    } catch (StatusRuntimeException e) {
      return errorInfo(e).map(com.google.rpc.ErrorInfo::getReason).orElse("");
    }
  }

  /** The {@code google.rpc.ErrorInfo} detail of a failure, if it has one. */
  public static java.util.Optional<com.google.rpc.ErrorInfo> errorInfo(StatusRuntimeException error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      return java.util.Optional.empty();
    }
    return status.getDetailsList().stream()
        .filter(any -> any.is(com.google.rpc.ErrorInfo.class))
        .findFirst()
        .map(
            any -> {
              try {
                return any.unpack(com.google.rpc.ErrorInfo.class);
              } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            });
  }

  /** The fields named by the {@code google.rpc.BadRequest} details of a failure. */
  public static List<String> violatedFields(StatusRuntimeException error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      return List.of();
    }
    return status.getDetailsList().stream()
        .filter(any -> any.is(BadRequest.class))
        .flatMap(
            any -> {
              try {
                return any.unpack(BadRequest.class).getFieldViolationsList().stream();
              } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            })
        .map(BadRequest.FieldViolation::getField)
        .toList();
  }
}
