package dev.library.runtime.observe;

import com.google.protobuf.Any;
import com.google.rpc.RequestInfo;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;

/**
 * Adds a {@code google.rpc.RequestInfo} whose {@code request_id} is the call's trace id to every
 * error reply (gRPC details, and so the REST error body), so that a user's error report leads to
 * the trace and to the log lines of the request. Nothing is added when the call has no trace id.
 */
public final class ErrorRequestInfo implements ServerInterceptor {
  /** Where gRPC carries a status's details (what StatusProto reads and writes). */
  private static final Metadata.Key<byte[]> DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String traceId = TraceIds.of(headers);
    if (traceId.isEmpty()) {
      return next.startCall(call, headers);
    }
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (!status.isOk()) {
              withRequestInfo(status, trailers, traceId);
            }
            super.close(status, trailers);
          }
        },
        headers);
  }

  static void withRequestInfo(Status status, Metadata trailers, String traceId) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    boolean present =
        details.getDetailsList().stream().anyMatch(detail -> detail.is(RequestInfo.class));
    if (present) {
      return;
    }
    trailers.discardAll(DETAILS);
    trailers.put(
        DETAILS,
        details.toBuilder()
            .addDetails(Any.pack(RequestInfo.newBuilder().setRequestId(traceId).build()))
            .build()
            .toByteArray());
  }
}
